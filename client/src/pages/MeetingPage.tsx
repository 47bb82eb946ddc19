// One meeting: header, agenda sidebar (a drawer on narrow or portrait screens) and the viewer.
// The open document and page live in the URL, so reload and back keep the reader's place.
// While the meeting is live the viewer follows the chair (or the named presenter) unless the
// reader chose to browse; a presenter's own page turns become `page.set` commands.
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CalendarClock, MapPin, PanelLeftClose, PanelLeftOpen, Users } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/api';
import { api } from '../api/endpoints';
import { AppHeader } from '../components/AppHeader';
import { Announcer, announce } from '../components/Announcer';
import { RoleBadge, StatusBadge } from '../components/Badges';
import { ErrorPanel, Loading } from '../components/StatusView';
import { errorMessage } from '../components/errors';
import { formatMeetingTime } from '../format';
import { useApi } from '../hooks/useApi';
import { useMediaQuery } from '../hooks/useMediaQuery';
import { currentLanguage } from '../i18n';
import { meetingHref, navigate } from '../router';
import type { ZoomMode } from '../viewer/zoom';
import type { AttendanceStatus, CommandPayloads, CommandType } from '../../../shared/events';
import { AttendancePanel } from '../live/AttendancePanel';
import { ChairControls } from '../live/ChairControls';
import { ConnectionPill } from '../live/ConnectionPill';
import { LiveBar } from '../live/LiveBar';
import { RoomLinkDialog } from '../live/RoomLinkDialog';
import { liveErrorMessage } from '../live/errors';
import { canPresent, isLive, viewOfZoom, zoomOfView } from '../live/follow';
import type { LiveAck } from '../live/live-store';
import { useLiveMeeting } from '../live/useLive';
import { AgendaSidebar } from './AgendaSidebar';
import { ClipboardList, FileText, Mail, MessageSquareText } from 'lucide-react';
import { InvitationPanel } from '../invitations/InvitationPanel';
import { HeaderActions } from '../components/HeaderActions';
import { MinutesPanel } from '../minutes/MinutesPanel';
import type { SaveMinutes } from '../minutes/MinutesField';
import { VotingDock } from '../votes/VotingDock';
import { PreparePanel, canPrepare } from '../prepare/PreparePanel';
import { useAnnotations } from '../annotations/useAnnotations';
import { ConfidentialBadge } from '../confidential/ConfidentialBadge';
import { keepDocuments, keptDocument, mayKeep, throughCache } from '../offline/offline-cache';
import { RefusedChanges, WaitingChanges } from '../offline/OfflineStatus';

// pdf.js is most of the bundle: load it with the first document, not with the login form.
const PdfViewer = lazy(() => import('../viewer/PdfViewer').then((m) => ({ default: m.PdfViewer })));

export function MeetingPage(props: {
  user: User;
  meetingId: string;
  documentId: string | null;
  page: number;
  /** ?minutes=<field key> (a search hit): the minutes panel opens at that field */
  minutesKey?: string | null;
  onLogout: () => void;
  onUnauthenticated: (reason?: string) => void;
}) {
  const { t } = useTranslation();
  const { meetingId, documentId, page } = props;
  // kept on the device as it loads, with the meeting's readable documents (client/src/offline)
  const detail = useApi(
    (signal) =>
      throughCache(`meeting:${meetingId}`, () =>
        api.meeting(meetingId, signal).then((d) => {
          void keepDocuments(d).catch(() => undefined);
          return d;
        }),
      ),
    meetingId,
    props.onUnauthenticated,
  );
  // Wide landscape screens keep the agenda beside the document; narrow ones show it as a drawer.
  const wide = useMediaQuery('(min-width: 1000px)');
  // Narrow screens (a portrait tablet) start with the agenda folded away: a drawer open by default
  // covers the page and its controls, and a delegate usually follows the chair's document anyway.
  // The overview offers the agenda when nothing is shown.
  const [agendaOpen, setAgendaOpen] = useState(wide);
  const [zoom, setZoom] = useState<ZoomMode>({ kind: 'fit-width' });
  const firstLayout = useRef(true);
  useEffect(() => {
    if (firstLayout.current) {
      firstLayout.current = false;
      return;
    }
    setAgendaOpen(wide); // rotating the tablet: docked when wide, out of the way when narrow
  }, [wide]);

  const { store, live } = useLiveMeeting(meetingId);
  const state = live?.state ?? null;
  const me = props.user.id;
  const meeting = detail.status === 'ready' ? detail.data.meeting : null;
  const role = meeting?.role ?? null;
  // what the caller may do, as the server's policies answered (never re-derived from the role here)
  const abilities = detail.status === 'ready' ? detail.data.abilities : null;
  const isChair = abilities?.controlMeeting ?? false;
  const liveNow = isLive(state);
  const presenting = canPresent(state, isChair, role, me);
  const chairFollow = liveNow && state.follow.documentId ? state.follow : null;
  // Everyone follows by default; browsing is a choice (or a page turn of one's own).
  const [following, setFollowing] = useState(true);
  // A presenter's page turn shows at once, before the server has confirmed it.
  const [optimistic, setOptimistic] = useState<{ documentId: string; page: number } | null>(null);
  const commandNo = useRef(0);
  const followActive = following && chairFollow !== null;

  let shownDoc = documentId;
  let shownPage = page;
  if (followActive) {
    const at = presenting && optimistic ? optimistic : chairFollow;
    shownDoc = at.documentId;
    shownPage = at.page;
  }

  // ---- screen-reader announcements: the followed page turning, the connection lost and back
  const followedPage = followActive ? chairFollow.page : null;
  useEffect(() => {
    if (followedPage !== null) announce(t('live.room.page', { page: followedPage }));
  }, [followedPage, t]);
  const connection = live?.connection ?? null;
  const connectionLost = useRef(false);
  useEffect(() => {
    if (connection === 'offline' || connection === 'reconnecting') {
      if (!connectionLost.current) announce(t(`live.connection.${connection}`));
      connectionLost.current = true;
    } else if (connection === 'online' && connectionLost.current) {
      connectionLost.current = false;
      announce(t('live.connection.online'));
    }
  }, [connection, t]);

  // ---- toasts: one short message at a time
  const [toast, setToast] = useState<{ text: string; n: number } | null>(null);
  const say = useCallback((text: string) => setToast((prev) => ({ text, n: (prev?.n ?? 0) + 1 })), []);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 5000);
    return () => clearTimeout(timer);
  }, [toast]);

  const send = useCallback(
    async <T extends CommandType>(type: T, payload: CommandPayloads[T]): Promise<LiveAck | null> => {
      if (!store) return null;
      const ack = await store.sendCommand(type, payload);
      const msg = liveErrorMessage(t, ack);
      if (msg) say(msg);
      return ack;
    },
    [store, t, say],
  );

  /** The presenter moves everyone: optimistic locally, confirmed by the event the server broadcasts. */
  const present = useCallback(
    (doc: string, n: number, z: ZoomMode) => {
      const no = ++commandNo.current;
      setOptimistic({ documentId: doc, page: n });
      void send('page.set', { documentId: doc, page: n, view: viewOfZoom(z) }).then(() => {
        if (commandNo.current === no) setOptimistic(null);
      });
    },
    [send],
  );

  // Following: the URL tracks the chair's place, so a reload or a shared link lands there too.
  useEffect(() => {
    if (!followActive || !shownDoc) return;
    if (shownDoc !== documentId || shownPage !== page) navigate(meetingHref(meetingId, shownDoc, shownPage), { replace: true });
  }, [followActive, shownDoc, shownPage, documentId, page, meetingId]);

  // Following: the chair's view (fit or zoom) applies when the chair changes it; a local zoom stays
  // until then and never leaves follow.
  const chairViewKey = chairFollow?.view ? JSON.stringify(chairFollow.view) : null;
  useEffect(() => {
    if (!followActive || presenting || !chairFollow?.view) return;
    setZoom(zoomOfView(chairFollow.view));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chairViewKey, followActive, presenting]);

  // Presence: where this reader is (the server throttles and folds it; the store throttles too).
  useEffect(() => {
    if (!store || !live || live.connection !== 'online') return;
    store.updatePresence({ following: followActive, documentId: shownDoc, page: shownDoc ? shownPage : null });
  }, [store, live, followActive, shownDoc, shownPage]);

  // A session that expired under a live socket goes back to the login form like any 401.
  useEffect(() => {
    if (live?.fatal?.code === 'UNAUTHENTICATED') props.onUnauthenticated(live.fatal.message);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [live?.fatal?.code]);

  // Agenda, documents or members changed over HTTP (the server's nudge): re-read quietly, keeping the viewer.
  const preparationChanges = live?.preparationChanges ?? 0;
  const { refresh: refreshDetail } = detail;
  useEffect(() => {
    if (preparationChanges > 0) refreshDetail();
  }, [preparationChanges, refreshDetail]);

  const agenda = useMemo(() => (detail.status === 'ready' ? detail.data.agenda : []), [detail]);

  const openDocument = useCallback(
    (id: string) => {
      if (!wide) setAgendaOpen(false);
      if (presenting && state) {
        // Showing a document to everyone; the chair also opens its agenda item.
        const item = agenda.find((i) => i.documentIds.includes(id));
        setFollowing(true);
        const no = ++commandNo.current;
        setOptimistic({ documentId: id, page: 1 });
        void (async () => {
          if (isChair && item && item.id !== state.currentItemId) {
            const ack = await send('agenda.open', { itemId: item.id });
            if (ack && !ack.ok) {
              if (commandNo.current === no) setOptimistic(null);
              return;
            }
          }
          await send('document.show', { documentId: id });
          if (commandNo.current === no) setOptimistic(null);
        })();
        return;
      }
      if (followActive) {
        setFollowing(false);
        say(t('live.follow.leftFollow'));
      }
      navigate(meetingHref(meetingId, id, 1));
    },
    [meetingId, wide, presenting, state, agenda, isChair, send, followActive, say, t],
  );

  // Page turns replace the history entry: Back leaves the document rather than stepping pages.
  const changePage = useCallback(
    (n: number) => {
      if (followActive && shownDoc) {
        if (presenting) {
          present(shownDoc, n, zoom);
          return;
        }
        // Turning the page oneself is browsing: say so, and keep showing where the chair is.
        setFollowing(false);
        say(t('live.follow.leftFollow'));
      }
      navigate(meetingHref(meetingId, shownDoc, n), { replace: true });
    },
    [followActive, presenting, shownDoc, present, zoom, say, t, meetingId],
  );

  const changeZoom = useCallback(
    (z: ZoomMode) => {
      setZoom(z);
      // zooming never leaves follow; a presenter's view travels with the page
      if (followActive && presenting && shownDoc) present(shownDoc, shownPage, z);
    },
    [followActive, presenting, shownDoc, shownPage, present],
  );

  const returnToChair = useCallback(() => {
    setFollowing(true);
    if (chairFollow?.view) setZoom(zoomOfView(chairFollow.view));
  }, [chairFollow]);

  const [attendanceOpen, setAttendanceOpen] = useState(false);
  // the minutes (biên bản) beside the document; the field saves its own way (conflicts stay in the field)
  const [minutesOpen, setMinutesOpen] = useState(Boolean(props.minutesKey));
  const [invitationOpen, setInvitationOpen] = useState(false);
  const saveMinutes = useCallback<SaveMinutes>(
    (p) => (store ? store.sendCommand('minutes.update', p) : Promise.resolve(null)),
    [store],
  );
  const [roomLinkOpen, setRoomLinkOpen] = useState(false);
  const [prepareOpen, setPrepareOpen] = useState(false);
  // Escape closes the panel on top (dialog, then side panels, then the agenda drawer), one per press.
  // A field that handles Escape itself (an edit form) stops it first; the minutes editor keeps it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if (e.target instanceof HTMLTextAreaElement) return;
      if (roomLinkOpen) setRoomLinkOpen(false);
      else if (prepareOpen) setPrepareOpen(false);
      else if (minutesOpen) setMinutesOpen(false);
      else if (attendanceOpen) setAttendanceOpen(false);
      else if (!wide && agendaOpen) setAgendaOpen(false);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [roomLinkOpen, prepareOpen, minutesOpen, attendanceOpen, agendaOpen, wide]);

  const attendanceActions = useMemo(
    () => ({
      mark: (userId: string, status: AttendanceStatus, reason?: string) => {
        void send('attendance.mark', reason ? { userId, status, reason } : { userId, status });
      },
      setPresenter: (userId: string | null) => {
        void send('presenter.set', { userId });
      },
    }),
    [send],
  );

  const members = detail.status === 'ready' ? detail.data.members : [];
  const nameOf = (userId: string | null) => (userId ? (members.find((m) => m.userId === userId)?.fullName ?? null) : null);
  const docs = detail.status === 'ready' ? detail.data.documents : [];
  // a mark queued offline on a document that got a new version meanwhile is saved on the old one: say so
  // (asked of the server afresh: the new version may have come while this page was offline)
  useEffect(() => {
    if (!store) return;
    // one request for a whole flush of the outbox (its marks are answered within moments of each other)
    let asked: { at: number; meeting: ReturnType<typeof api.meeting> } | null = null;
    store.setAcceptedNotice(async (q) => {
      const documentId = (q.payload as { documentId?: unknown } | null)?.documentId;
      if (typeof documentId !== 'string') return null;
      if (!asked || Date.now() - asked.at > 5000) asked = { at: Date.now(), meeting: api.meeting(meetingId) };
      const fresh = await asked.meeting;
      return fresh.documents.some((d) => d.previousVersionId === documentId) ? 'SUPERSEDED' : null;
    });
    return () => store.setAcceptedNotice(null);
  }, [store, meetingId]);
  // Annotations (client/src/annotations): the ink overlay for the viewer and its toolbar.
  // a confidential document: only its organisers may take a copy away (the server refuses the others)
  const shownInfo = shownDoc ? docs.find((d) => d.id === shownDoc) : undefined;
  const mayTakeAway = !shownInfo?.confidentiality || (detail.status === 'ready' && detail.data.abilities.uploadDocument);
  const ink = useAnnotations({
    store,
    documentId: shownDoc,
    userId: me,
    marks: abilities,
    presenting,
    say,
    nameOf,
    downloadable: mayTakeAway,
    onPinch: (scale) => changeZoom({ kind: 'scale', scale: Math.min(5, Math.max(0.25, scale)) }),
  });
  const titleOf = (id: string | null) => {
    const d = id ? docs.find((x) => x.id === id) : undefined;
    return d ? (d.title ?? d.filename) : null;
  };
  const currentIndex = state?.currentItemId
    ? [...agenda].sort((a, b) => a.position - b.position).findIndex((i) => i.id === state.currentItemId)
    : -1;
  const currentItemLabel =
    currentIndex >= 0
      ? `${currentIndex + 1}. ${[...agenda].sort((a, b) => a.position - b.position)[currentIndex]?.title ?? ''}`
      : null;
  // "being discussed" is only true while the meeting is live, never after the end
  const liveItemLabel = liveNow ? currentItemLabel : null;
  const myAttendance = state?.attendance[me]?.status;
  const checkIn: 'hidden' | 'available' | 'done' =
    !liveNow || !abilities?.checkIn ? 'hidden' : myAttendance === 'present' || myAttendance === 'late' ? 'done' : 'available';

  const doc = detail.status === 'ready' && shownDoc ? (detail.data.documents.find((d) => d.id === shownDoc) ?? null) : null;
  // the file a reading opened stays its file: a web copy that becomes ready meanwhile (the meeting is
  // re-read) is used from the next opening, never mid-reading (its bytes differ from the original's)
  const docId = doc?.id;
  const docWebCopy = doc?.webCopy;
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const fileUrl = useMemo(() => (docId ? api.documentFileUrl(docId, docWebCopy) : ''), [docId]);
  const toggleLabel = agendaOpen ? t('meeting.hideAgenda') : t('meeting.showAgenda');
  const stale = live !== null && live.connection !== 'online';
  const atChair = chairFollow !== null && shownDoc === chairFollow.documentId && shownPage === chairFollow.page;

  return (
    <div className="layout layout--meeting">
      <AppHeader
        user={props.user}
        onBack={() => navigate('/')}
        backLabel={t('meeting.backToList')}
        onLogout={props.onLogout}
        start={
          <button
            type="button"
            className="icon-btn"
            aria-expanded={agendaOpen}
            aria-controls="agenda-panel"
            aria-label={toggleLabel}
            title={toggleLabel}
            onClick={() => setAgendaOpen((o) => !o)}
            data-testid="toggle-agenda"
          >
            {agendaOpen ? <PanelLeftClose aria-hidden /> : <PanelLeftOpen aria-hidden />}
          </button>
        }
        title={
          meeting ? (
            <div className="meeting-heading">
              <h1 className="meeting-heading__title" title={meeting.title}>
                {meeting.title}
              </h1>
              {doc && (
                <div className="meeting-heading__doc" title={doc.title ?? doc.filename}>
                  {doc.confidentiality && <ConfidentialBadge level={doc.confidentiality} />} {doc.title ?? doc.filename}
                </div>
              )}
            </div>
          ) : (
            <span className="brand">{t('app.name')}</span>
          )
        }
        end={
          <>
            <HeaderActions label={t('meeting.moreActions')}>
              {meeting && (
                <button
                  type="button"
                  className="btn btn--secondary btn--compact"
                  aria-pressed={minutesOpen}
                  onClick={() => setMinutesOpen((o) => !o)}
                  data-testid="open-minutes"
                >
                  <FileText aria-hidden size={18} /> <span className="btn__label">{t('minutes.open')}</span>
                </button>
              )}
              {meeting && (
                <>
                  <button
                    type="button"
                    className="btn btn--secondary btn--compact"
                    aria-pressed={invitationOpen}
                    onClick={() => setInvitationOpen((o) => !o)}
                    data-testid="open-invitation"
                  >
                    <Mail aria-hidden size={18} /> <span className="btn__label">{t('invitations.open')}</span>
                  </button>
                  <a
                    className="btn btn--secondary btn--compact"
                    href={`/meetings/${meeting.id}/opinions`}
                    data-testid="open-opinions"
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/meetings/${meeting.id}/opinions`);
                    }}
                  >
                    <MessageSquareText aria-hidden size={18} /> <span className="btn__label">{t('opinions.open')}</span>
                  </a>
                </>
              )}
              {detail.status === 'ready' && canPrepare(detail.data.abilities) && (
                <button
                  type="button"
                  className="btn btn--secondary btn--compact"
                  aria-pressed={prepareOpen}
                  onClick={() => setPrepareOpen((o) => !o)}
                  data-testid="open-prepare"
                >
                  <ClipboardList aria-hidden size={18} /> <span className="btn__label">{t('prepare.open')}</span>
                </button>
              )}
            </HeaderActions>
            {live && <WaitingChanges waiting={live.waiting} />}
            {live && <ConnectionPill state={live.connection} />}
          </>
        }
      />
      {live && store && <RefusedChanges conflicts={live.conflicts} onDismiss={(id) => store.dismissConflict(id)} />}
      {live?.fatal && live.fatal.code !== 'UNAUTHENTICATED' && (
        <div className="live-fatal" role="alert" data-testid="live-fatal">
          <span>
            {live.fatal.code === 'PROTOCOL_MISMATCH' || live.fatal.code === 'NOT_FOUND'
              ? t(`live.fatal.${live.fatal.code}`)
              : t('live.fatal.generic')}
          </span>
          <button type="button" className="btn btn--secondary btn--compact" onClick={() => window.location.reload()}>
            {t('live.reload')}
          </button>
        </div>
      )}
      {detail.status === 'ready' && meeting && state && (
        <LiveBar
          state={state}
          stale={stale}
          following={followActive}
          presenting={presenting}
          chairDocumentTitle={titleOf(chairFollow?.documentId ?? null)}
          atChair={atChair}
          currentItemLabel={liveItemLabel}
          presenterName={nameOf(state.presenterId)}
          isChair={isChair}
          isOfficer={abilities?.issueRoomToken ?? false}
          checkIn={checkIn}
          attendanceOpen={attendanceOpen}
          onFollow={returnToChair}
          onBrowse={() => setFollowing(false)}
          onControl={(type) => {
            void send(type, {});
          }}
          onTakeBack={() => {
            void send('presenter.set', { userId: null });
          }}
          onCheckIn={() => {
            void send('attendance.checkIn', {}).then((ack) => {
              if (ack?.ok) say(t('live.attendance.checkInDone'));
            });
          }}
          onToggleAttendance={() => setAttendanceOpen((o) => !o)}
          onRoomLink={() => setRoomLinkOpen(true)}
        />
      )}
      {detail.status === 'loading' && (
        <main className="screen-center">
          <Loading />
        </main>
      )}
      {detail.status === 'error' && (
        <main className="screen-center">
          <ErrorPanel message={errorMessage(t, detail.error)} onRetry={detail.reload} />
        </main>
      )}
      {detail.status === 'ready' && meeting && (
        <div
          className={`meeting ${wide ? 'meeting--wide' : 'meeting--narrow'} ${agendaOpen ? 'meeting--agenda-open' : ''} ${stale ? 'meeting--stale' : ''}`}
          data-follow-mode={followActive ? 'follow' : 'browse'}
          data-presenting={presenting ? 'true' : 'false'}
        >
          {!wide && agendaOpen && <div className="drawer-backdrop" onClick={() => setAgendaOpen(false)} aria-hidden />}
          <aside id="agenda-panel" className="meeting__agenda" hidden={!agendaOpen}>
            {isChair && state && (
              <ChairControls
                status={state.status}
                onControl={(type) => {
                  void send(type, {});
                }}
                onRoomLink={() => setRoomLinkOpen(true)}
              />
            )}
            <AgendaSidebar
              agenda={detail.data.agenda}
              documents={detail.data.documents}
              openDocumentId={shownDoc}
              onOpenDocument={openDocument}
              currentItemId={liveNow ? state.currentItemId : null}
              onOpenItem={
                isChair && liveNow
                  ? (itemId) => {
                      void send('agenda.open', { itemId });
                    }
                  : undefined
              }
            />
          </aside>
          <main className="meeting__main">
            {doc && ink.toolbar}
            {doc?.confidentiality && (
              <p className="conf-notice" role="note" data-testid="confidential-notice">
                {t('confidential.notice', { level: t(`confidential.level.${doc.confidentiality}`) })}
              </p>
            )}
            {doc ? (
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
                  page={shownPage}
                  onPageChange={changePage}
                  zoom={zoom}
                  onZoomChange={changeZoom}
                  renderOverlay={ink.renderOverlay}
                  confidential={doc.confidentiality !== null}
                  kept={mayKeep(doc) ? () => keptDocument(doc.id) : undefined}
                />
              </Suspense>
            ) : shownDoc ? (
              <div className="screen-center">
                <ErrorPanel message={t('viewer.errors.notFound')} />
              </div>
            ) : (
              <section className="meeting-overview">
                <div className="meeting-overview__kind">{t(`kind.${meeting.kind}`)}</div>
                <h2>{meeting.title}</h2>
                <div className="meeting-overview__badges">
                  <StatusBadge status={state?.status ?? meeting.status} />
                  <RoleBadge role={meeting.role} isAdmin={props.user.isAdmin} />
                </div>
                <dl className="meeting-overview__facts">
                  <div>
                    <dt>
                      <CalendarClock aria-hidden size={18} />
                      {t('meetings.time')}
                    </dt>
                    <dd>{formatMeetingTime(meeting.startsAt, currentLanguage()) ?? t('meetings.noTime')}</dd>
                  </div>
                  <div>
                    <dt>
                      <MapPin aria-hidden size={18} />
                      {t('meetings.location')}
                    </dt>
                    <dd>{meeting.location ?? t('meetings.noLocation')}</dd>
                  </div>
                  <div>
                    <dt>
                      <Users aria-hidden size={18} />
                      {t('meeting.organization')}
                    </dt>
                    <dd>
                      {meeting.organization ?? '—'} · {t('meeting.members', { count: detail.data.members.length })}
                    </dd>
                  </div>
                </dl>
                <p className="muted">{t('meeting.chooseDocument')}</p>
                {!wide && !agendaOpen && (
                  <div>
                    <button
                      type="button"
                      className="btn btn--primary"
                      onClick={() => setAgendaOpen(true)}
                      data-testid="overview-show-agenda"
                    >
                      <PanelLeftOpen aria-hidden size={18} /> {t('meeting.showAgenda')}
                    </button>
                  </div>
                )}
              </section>
            )}
          </main>
          {attendanceOpen && state && (
            <AttendancePanel
              state={state}
              members={detail.data.members}
              presence={live?.presence ?? new Map()}
              canMark={abilities?.markAttendance ?? false}
              canHandOver={isChair}
              actions={attendanceActions}
              onClose={() => setAttendanceOpen(false)}
            />
          )}
          {prepareOpen && (
            <PreparePanel
              meetingId={meetingId}
              user={props.user}
              onUnauthenticated={props.onUnauthenticated}
              version={live?.preparationChanges ?? 0}
              onClose={(changed) => {
                setPrepareOpen(false);
                if (changed) detail.refresh();
              }}
            />
          )}
          {invitationOpen && (
            <InvitationPanel
              meetingId={meetingId}
              me={me}
              role={role}
              mayApproveSubstitute={detail.data.abilities.approveSubstitute}
              lastSeq={state?.lastSeq ?? 0}
              meetingStatus={state?.status ?? meeting.status}
              members={detail.data.members}
              send={send}
              say={say}
              onClose={() => setInvitationOpen(false)}
            />
          )}
          {minutesOpen && (
            <MinutesPanel
              meetingId={meetingId}
              minutes={state?.minutes ?? null}
              lastSeq={state?.lastSeq ?? 0}
              agendaTitles={Object.fromEntries(agenda.map((i) => [i.id, i.title]))}
              save={saveMinutes}
              onClose={() => setMinutesOpen(false)}
              say={say}
              me={me}
              members={detail.data.members}
              canAssignTasks={detail.data.abilities.update}
              focusKey={props.minutesKey ?? null}
            />
          )}
        </div>
      )}
      {roomLinkOpen && <RoomLinkDialog meetingId={meetingId} onClose={() => setRoomLinkOpen(false)} />}
      {detail.status === 'ready' && store && state && (
        <VotingDock
          store={store}
          state={state}
          me={me}
          role={role}
          abilities={detail.data.abilities}
          members={detail.data.members}
          currentItemLabel={liveItemLabel}
          say={say}
          covered={prepareOpen || minutesOpen || invitationOpen || attendanceOpen || (!wide && agendaOpen)}
        />
      )}
      {toast && (
        <div key={toast.n} className="toast" role="status" data-testid="toast">
          {toast.text}
        </div>
      )}
      <Announcer />
    </div>
  );
}
