// "My meetings": each meeting as a card with its time (Vietnam time), place, status and my role.
import { Activity, CalendarClock, ChevronRight, MapPin, Plus, ShieldAlert, Users } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/api';
import { api } from '../api/endpoints';
import { AppHeader } from '../components/AppHeader';
import { RoleBadge, StatusBadge } from '../components/Badges';
import { ErrorPanel, Loading } from '../components/StatusView';
import { errorMessage } from '../components/errors';
import { formatMeetingTime } from '../format';
import { useApi } from '../hooks/useApi';
import { currentLanguage } from '../i18n';
import { meetingHref, navigate } from '../router';
import { NewMeetingDialog } from '../prepare/NewMeetingDialog';
import { CalendarFeed } from '../invitations/CalendarFeed';
import { throughCache } from '../offline/offline-cache';
import { StoragePanel } from '../offline/StoragePanel';

export function MeetingsPage({
  user,
  onLogout,
  onUnauthenticated,
}: {
  user: User;
  onLogout: () => void;
  onUnauthenticated: () => void;
}) {
  const { t } = useTranslation();
  const meetings = useApi((signal) => throughCache('meetings', () => api.meetings(signal)), 'meetings', onUnauthenticated);
  const lang = currentLanguage();
  const [creating, setCreating] = useState(false);

  return (
    <div className="layout">
      <AppHeader user={user} title={<span className="brand">{t('app.name')}</span>} onLogout={onLogout} />
      <main className="meetings">
        <div className="meetings__head">
          <h1>{t('meetings.title')}</h1>
          <span className="meetings__actions">
            <CalendarFeed />
            <a
              className="btn btn--secondary"
              href="/week"
              onClick={(e) => {
                e.preventDefault();
                navigate('/week');
              }}
              data-testid="week-link"
            >
              <CalendarClock aria-hidden size={18} /> {t('week.link')}
            </a>
            <a
              className="btn btn--secondary"
              href="/tasks"
              onClick={(e) => {
                e.preventDefault();
                navigate('/tasks');
              }}
              data-testid="tasks-link"
            >
              {t('tasks.title')}
            </a>
            {(user.isAdmin || user.isOrganiser) && (
              <>
                {user.isAdmin && (
                  <a
                    className="btn btn--secondary"
                    href="/admin/status"
                    onClick={(e) => {
                      e.preventDefault();
                      navigate('/admin/status');
                    }}
                    data-testid="admin-status-link"
                  >
                    <Activity aria-hidden size={18} /> {t('adminStatus.title')}
                  </a>
                )}
                {user.isAdmin && (
                  <a
                    className="btn btn--secondary"
                    href="/admin/accounts"
                    onClick={(e) => {
                      e.preventDefault();
                      navigate('/admin/accounts');
                    }}
                    data-testid="accounts-link"
                  >
                    <Users aria-hidden size={18} /> {t('accounts.title')}
                  </a>
                )}
                {user.isAdmin && (
                  <a
                    className="btn btn--secondary"
                    href="/admin/login-throttles"
                    onClick={(e) => {
                      e.preventDefault();
                      navigate('/admin/login-throttles');
                    }}
                    data-testid="login-throttles-link"
                  >
                    <ShieldAlert aria-hidden size={18} /> {t('throttles.title')}
                  </a>
                )}
                <button type="button" className="btn btn--primary" onClick={() => setCreating(true)} data-testid="new-meeting">
                  <Plus aria-hidden size={18} /> {t('prepare.newMeeting')}
                </button>
              </>
            )}
          </span>
        </div>
        {creating && <NewMeetingDialog askRole={!user.isAdmin} onClose={() => setCreating(false)} />}
        {meetings.status === 'loading' && <Loading />}
        {meetings.status === 'error' && <ErrorPanel message={errorMessage(t, meetings.error)} onRetry={meetings.reload} />}
        {meetings.status === 'ready' && meetings.data.length === 0 && <p className="muted">{t('meetings.empty')}</p>}
        {meetings.status === 'ready' && meetings.data.length > 0 && (
          <ul className="meeting-list">
            {meetings.data.map((m) => (
              <li key={m.id}>
                <a
                  className="meeting-card"
                  href={meetingHref(m.id)}
                  data-meeting-id={m.id}
                  onClick={(e) => {
                    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return; // let the browser open a new tab
                    e.preventDefault();
                    navigate(meetingHref(m.id));
                  }}
                >
                  <div className="meeting-card__main">
                    <div className="meeting-card__kind">
                      {t(`kind.${m.kind}`)}
                      {m.organization ? ` · ${m.organization}` : ''}
                    </div>
                    <h2 className="meeting-card__title">{m.title}</h2>
                    <div className="meeting-card__meta">
                      <span>
                        <CalendarClock aria-hidden size={18} />
                        <span className="sr-only">{t('meetings.time')}: </span>
                        {formatMeetingTime(m.startsAt, lang) ?? t('meetings.noTime')}
                      </span>
                      <span>
                        <MapPin aria-hidden size={18} />
                        <span className="sr-only">{t('meetings.location')}: </span>
                        {m.location ?? t('meetings.noLocation')}
                      </span>
                    </div>
                  </div>
                  <div className="meeting-card__side">
                    <StatusBadge status={m.status} />
                    <span className="meeting-card__role">
                      <span className="sr-only">{t('meetings.myRole')}: </span>
                      <RoleBadge role={m.role} isAdmin={user.isAdmin} />
                    </span>
                    <ChevronRight aria-hidden className="meeting-card__chevron" />
                  </div>
                </a>
              </li>
            ))}
          </ul>
        )}
        <StoragePanel />
      </main>
    </div>
  );
}
