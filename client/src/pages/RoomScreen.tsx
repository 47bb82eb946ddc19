// The room screen (projector view): opened with a room link, no personal login, read-only. It is
// just a follower: the current item, the chair's document and page, attendance and quorum, and a
// QR code for check-in that changes as the short-lived code rotates.
// The projector always shows the whole page, whatever the chair's zoom: at the chair's fit-width
// only the top of an A4 page would fit a 16:9 screen, and the chair's scroll is theirs. Once the
// meeting has ended nothing of it stays up (no current item, no last vote).
import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import QRCode from 'qrcode';
import { useTranslation } from 'react-i18next';
import type { MeetingDetail } from '../../../shared/api';
import { quorumOf } from '../../../shared/meeting-state';
import { api } from '../api/endpoints';
import { useAnnotations } from '../annotations/useAnnotations';
import type { AnnotationLayer } from '../../../shared/annotations';
import { StatusBadge } from '../components/Badges';
import { Loading } from '../components/StatusView';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { ConnectionPill } from '../live/ConnectionPill';
import { QuorumBadge } from '../live/QuorumBadge';
import { isLive } from '../live/follow';
import { useLiveMeeting } from '../live/useLive';
import { RoomFloorCard, RoomVoteBanner } from '../votes/RoomVoting';
import type { ZoomMode } from '../viewer/zoom';

const PdfViewer = lazy(() => import('../viewer/PdfViewer').then((m) => ({ default: m.PdfViewer })));

/** The projector shows what everyone may see: never a private mark, even an officer's own. */
const ROOM_LAYERS: readonly AnnotationLayer[] = ['shared', 'presenter'];
const quiet = () => undefined;
const noName = () => null;

/** Fetch a new code this often; a code is accepted for its window and the next (server: live-tokens). */
const QR_REFRESH_MS = 20_000;

/** The room link may ask for a public vote's running counts (`#token=…&tally=1`); hidden until close by default. */
function runningTallyFromUrl(): boolean {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('tally') === '1';
}

/** Whole page, independent of the chair's view (see the note at the top). */
const ROOM_ZOOM: ZoomMode = { kind: 'fit-page' };

function roomTokenFromUrl(): string | null {
  const hash = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  return hash.get('token') ?? new URLSearchParams(window.location.search).get('token');
}

export function RoomScreen({ meetingId, signedIn }: { meetingId: string; signedIn: boolean }) {
  const { t } = useTranslation();
  const [roomToken] = useState(roomTokenFromUrl);
  const { store, live } = useLiveMeeting(meetingId, { roomToken: roomToken ?? undefined, enabled: roomToken !== null });
  const state = live?.state ?? null;

  // Titles and document bytes: a signed-in officer's session reads the member API; a bare
  // projector trades its room token for a read-only cookie and reads /api/room/*.
  const [detail, setDetail] = useState<MeetingDetail | null>(null);
  const viaRoom = !signedIn && roomToken !== null;
  // re-read when the server says the agenda or documents changed (the `meeting.changed` nudge)
  const preparationChanges = live?.preparationChanges ?? 0;
  useEffect(() => {
    const ctrl = new AbortController();
    if (signedIn) api.meeting(meetingId, ctrl.signal).then(setDetail, () => undefined);
    else if (roomToken) {
      api
        .roomSession(roomToken)
        .then(() => api.roomMeeting(ctrl.signal))
        .then(setDetail, () => undefined);
    }
    return () => ctrl.abort();
  }, [meetingId, signedIn, roomToken, preparationChanges]);

  // The check-in QR: a fresh code every window, while the meeting is open and the link is up.
  const [qr, setQr] = useState<{ dataUrl: string; url: string } | null>(null);
  const online = live?.connection === 'online';
  const open = isLive(state);
  useEffect(() => {
    if (!store || !online || !open) {
      setQr(null);
      return;
    }
    let alive = true;
    const refresh = async () => {
      const ack = await store.checkInToken();
      if (!alive || !ack.ok) return;
      const url = new URL(ack.url, window.location.origin).toString();
      const dataUrl = await QRCode.toDataURL(url, { margin: 1, width: 480, errorCorrectionLevel: 'M' });
      if (alive) setQr({ dataUrl, url });
    };
    void refresh();
    const timer = setInterval(() => void refresh(), QR_REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [store, online, open]);

  const [showTally] = useState(runningTallyFromUrl);
  const ignorePage = useCallback(() => undefined, []);

  // The marks on the chair's document, read-only (no role: no tools); hooks run before any return.
  const followedDocId = isLive(state) ? (state?.follow.documentId ?? null) : null;
  const ink = useAnnotations({
    store,
    documentId: followedDocId,
    userId: '',
    marks: null,
    presenting: false,
    say: quiet,
    nameOf: noName,
    layers: ROOM_LAYERS,
    ...(viaRoom && followedDocId ? { annotationsUrl: api.roomDocumentAnnotationsUrl(followedDocId) } : {}),
  });

  // the file a showing opened stays its file, as in the member's viewer (MeetingPage): while the web
  // copy is pending the original is pinned (`?variant=original`), and a copy that becomes ready
  // meanwhile is used from the next showing, never mid-reading (its bytes differ)
  // (computed once the meeting's detail is in: the viewer waits for it anyway, and a URL made before
  // it, when the room's state arrives first, would not know the copy is pending)
  const followedWebCopy = followedDocId ? detail?.documents.find((d) => d.id === followedDocId)?.webCopy : undefined;
  const detailIn = detail !== null;
  const fileUrl = useMemo(
    () =>
      followedDocId && detailIn
        ? viaRoom
          ? api.roomDocumentFileUrl(followedDocId, followedWebCopy)
          : api.documentFileUrl(followedDocId, followedWebCopy)
        : '',
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [followedDocId, viaRoom, detailIn],
  );

  if (!roomToken || live?.fatal) {
    return (
      <main className="room room--error" data-testid="room-screen" data-state="invalid">
        <p className="room__invalid" role="alert">
          {t('live.room.invalidLink')}
        </p>
      </main>
    );
  }
  if (!live || !state)
    return (
      <main className="room screen-center" data-testid="room-screen" data-state="loading">
        <Loading />
      </main>
    );

  const agenda = detail ? [...detail.agenda].sort((a, b) => a.position - b.position) : [];
  const itemIndex = agenda.findIndex((i) => i.id === state.currentItemId);
  const item = itemIndex >= 0 ? agenda[itemIndex] : undefined;
  const follow = open ? state.follow : null;
  const doc = follow?.documentId && detail ? (detail.documents.find((d) => d.id === follow.documentId) ?? null) : null;
  const q = quorumOf(state);
  const onlineCount = [...live.presence.values()].filter((u) => u.online).length;
  const statusLine =
    state.status === 'scheduled'
      ? t('live.room.waiting')
      : state.status === 'paused'
        ? t('live.room.paused')
        : state.status === 'ended'
          ? t('live.room.ended')
          : null;

  return (
    <main
      className="room"
      data-testid="room-screen"
      data-state="ready"
      data-meeting-status={state.status}
      data-chair-page={follow?.documentId ? follow.page : undefined}
      data-current-item={state.currentItemId ?? undefined}
    >
      <header className="room__head">
        <div className="room__title">
          <div className="room__kicker">{t('live.room.meeting')}</div>
          <h1>{detail?.meeting.title ?? t('app.name')}</h1>
        </div>
        <StatusBadge status={state.status} />
        <ConnectionPill state={live.connection} />
        <LanguageSwitch />
      </header>
      {open && <RoomVoteBanner state={state} runningTally={showTally} />}
      <div className="room__body">
        <section className="room__stage">
          {doc && follow ? (
            <Suspense
              fallback={
                <div className="screen-center">
                  <Loading label={t('viewer.loading')} />
                </div>
              }
            >
              <PdfViewer
                key={doc.id}
                url={fileUrl}
                documentId={doc.id}
                expectedPages={doc.pageCount}
                page={follow.page}
                onPageChange={ignorePage}
                zoom={ROOM_ZOOM}
                onZoomChange={ignorePage}
                renderOverlay={ink.renderOverlay}
                chrome={false}
                confidential={doc.confidentiality !== null}
              />
            </Suspense>
          ) : (
            <div className="room__placeholder">
              {statusLine && <p className="room__status-line">{statusLine}</p>}
              {follow?.documentId ? (
                <>
                  <div className="room__big-page" data-testid="room-page">
                    {t('live.room.page', { page: follow.page })}
                  </div>
                  <p className="muted">{t('live.room.noPreview')}</p>
                </>
              ) : open ? (
                <p className="room__status-line muted">{t('live.room.noDocument')}</p>
              ) : null}
            </div>
          )}
        </section>
        {/* focusable: on a short screen the side column scrolls, and a keyboard must reach it (axe) */}
        <aside className="room__side" tabIndex={0} aria-label={t('live.room.side')}>
          {open && (
            <div className="room__card">
              <div className="room__label">{t('live.room.currentItem')}</div>
              <div className="room__item" data-testid="room-item">
                {item ? `${itemIndex + 1}. ${item.title}` : state.currentItemId ? '—' : t('live.room.noItem')}
              </div>
              {follow?.documentId && (
                <div className="room__page" data-testid="room-chair-page">
                  {doc ? <span className="room__doc">{doc.title ?? doc.filename}</span> : null}
                  {doc
                    ? t('live.room.pageOf', { page: follow.page, total: doc.pageCount })
                    : t('live.room.page', { page: follow.page })}
                </div>
              )}
            </div>
          )}
          <div className="room__card">
            <QuorumBadge state={state} large />
            <div className="room__counts muted">
              {t('live.room.online', { count: onlineCount })} · {t('live.attendance.present')}: {q.present}/{q.members}
            </div>
          </div>
          {open && <RoomFloorCard state={state} />}
          {open && (
            <div className="room__card room__qr" data-testid="room-qr" data-checkin-url={qr?.url}>
              <div className="room__label">{t('live.room.scanToCheckIn')}</div>
              {qr ? (
                <img src={qr.dataUrl} alt={t('live.room.scanToCheckIn')} width={240} height={240} />
              ) : (
                <Loading label={t('live.room.qrLoading')} />
              )}
            </div>
          )}
        </aside>
      </div>
    </main>
  );
}
