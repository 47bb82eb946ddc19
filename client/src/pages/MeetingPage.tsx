// One meeting: header, agenda sidebar (a drawer on narrow or portrait screens) and the viewer.
// The open document and page live in the URL, so reload and back keep the reader's place.
import { Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import { CalendarClock, MapPin, PanelLeftClose, PanelLeftOpen, Users } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/api';
import { api } from '../api/endpoints';
import { AppHeader } from '../components/AppHeader';
import { RoleBadge, StatusBadge } from '../components/Badges';
import { ErrorPanel, Loading } from '../components/StatusView';
import { errorMessage } from '../components/errors';
import { formatMeetingTime } from '../format';
import { useApi } from '../hooks/useApi';
import { useMediaQuery } from '../hooks/useMediaQuery';
import { currentLanguage } from '../i18n';
import { meetingHref, navigate } from '../router';
import type { ZoomMode } from '../viewer/zoom';
import { AgendaSidebar } from './AgendaSidebar';

// pdf.js is most of the bundle: load it with the first document, not with the login form.
const PdfViewer = lazy(() => import('../viewer/PdfViewer').then((m) => ({ default: m.PdfViewer })));

export function MeetingPage(props: {
  user: User;
  meetingId: string;
  documentId: string | null;
  page: number;
  onLogout: () => void;
  onUnauthenticated: () => void;
}) {
  const { t } = useTranslation();
  const { meetingId, documentId, page } = props;
  const detail = useApi((signal) => api.meeting(meetingId, signal), meetingId, props.onUnauthenticated);
  // Wide landscape screens keep the agenda beside the document; narrow ones show it as a drawer.
  const wide = useMediaQuery('(min-width: 1000px)');
  // With no document open on a narrow screen the agenda is the only useful thing to show.
  const [agendaOpen, setAgendaOpen] = useState(wide || !documentId);
  const [zoom, setZoom] = useState<ZoomMode>({ kind: 'fit-width' });
  const firstLayout = useRef(true);
  useEffect(() => {
    if (firstLayout.current) { firstLayout.current = false; return; }
    setAgendaOpen(wide); // rotating the tablet: docked when wide, out of the way when narrow
  }, [wide]);

  const openDocument = useCallback((id: string) => {
    navigate(meetingHref(meetingId, id, 1));
    if (!wide) setAgendaOpen(false);
  }, [meetingId, wide]);
  // Page turns replace the history entry: Back leaves the document rather than stepping pages.
  const changePage = useCallback((n: number) => navigate(meetingHref(meetingId, documentId, n), { replace: true }), [meetingId, documentId]);

  const meeting = detail.status === 'ready' ? detail.data.meeting : null;
  const doc = detail.status === 'ready' && documentId ? detail.data.documents.find((d) => d.id === documentId) ?? null : null;
  const toggleLabel = agendaOpen ? t('meeting.hideAgenda') : t('meeting.showAgenda');

  return (
    <div className="layout layout--meeting">
      <AppHeader
        user={props.user}
        onBack={() => navigate('/')}
        backLabel={t('meeting.backToList')}
        onLogout={props.onLogout}
        start={
          <button type="button" className="icon-btn" aria-expanded={agendaOpen} aria-controls="agenda-panel" aria-label={toggleLabel} title={toggleLabel} onClick={() => setAgendaOpen((o) => !o)} data-testid="toggle-agenda">
            {agendaOpen ? <PanelLeftClose aria-hidden /> : <PanelLeftOpen aria-hidden />}
          </button>
        }
        title={
          meeting ? (
            <div className="meeting-heading">
              <h1 className="meeting-heading__title" title={meeting.title}>{meeting.title}</h1>
              {doc && <div className="meeting-heading__doc" title={doc.title ?? doc.filename}>{doc.title ?? doc.filename}</div>}
            </div>
          ) : (
            <span className="brand">{t('app.name')}</span>
          )
        }
      />
      {detail.status === 'loading' && <main className="screen-center"><Loading /></main>}
      {detail.status === 'error' && <main className="screen-center"><ErrorPanel message={errorMessage(t, detail.error)} onRetry={detail.reload} /></main>}
      {detail.status === 'ready' && meeting && (
        <div className={`meeting ${wide ? 'meeting--wide' : 'meeting--narrow'} ${agendaOpen ? 'meeting--agenda-open' : ''}`}>
          {!wide && agendaOpen && <div className="drawer-backdrop" onClick={() => setAgendaOpen(false)} aria-hidden />}
          <aside id="agenda-panel" className="meeting__agenda" hidden={!agendaOpen}>
            <AgendaSidebar agenda={detail.data.agenda} documents={detail.data.documents} openDocumentId={documentId} onOpenDocument={openDocument} />
          </aside>
          <main className="meeting__main">
            {doc ? (
              <Suspense fallback={<div className="screen-center"><Loading label={t('viewer.loading')} /></div>}>
              <PdfViewer
                key={doc.id}
                url={api.documentFileUrl(doc.id)}
                documentId={doc.id}
                expectedPages={doc.pageCount}
                page={page}
                onPageChange={changePage}
                zoom={zoom}
                onZoomChange={setZoom}
              />
              </Suspense>
            ) : documentId ? (
              <div className="screen-center"><ErrorPanel message={t('viewer.errors.notFound')} /></div>
            ) : (
              <section className="meeting-overview">
                <div className="meeting-overview__kind">{t(`kind.${meeting.kind}`)}</div>
                <h2>{meeting.title}</h2>
                <div className="meeting-overview__badges">
                  <StatusBadge status={meeting.status} />
                  <RoleBadge role={meeting.role} isAdmin={props.user.isAdmin} />
                </div>
                <dl className="meeting-overview__facts">
                  <div><dt><CalendarClock aria-hidden size={18} />{t('meetings.time')}</dt><dd>{formatMeetingTime(meeting.startsAt, currentLanguage()) ?? t('meetings.noTime')}</dd></div>
                  <div><dt><MapPin aria-hidden size={18} />{t('meetings.location')}</dt><dd>{meeting.location ?? t('meetings.noLocation')}</dd></div>
                  <div><dt><Users aria-hidden size={18} />{t('meeting.organization')}</dt><dd>{meeting.organization ?? '—'} · {t('meeting.members', { count: detail.data.members.length })}</dd></div>
                </dl>
                <p className="muted">{t('meeting.chooseDocument')}</p>
              </section>
            )}
          </main>
        </div>
      )}
    </div>
  );
}
