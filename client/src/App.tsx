// Session gate + routes. Signed out, every URL shows the login form and keeps the URL, so the
// user lands where they were heading after signing in.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../shared/api';
import { api } from './api/endpoints';
import { loadDisplaySettings, resetDisplaySettings } from './display-settings';
import { closeReceipts, openReceipts } from './votes/receipts';
import { endOffline, offlineAccount, startOffline } from './offline/offline-db';
import { isNetworkError } from './offline/offline-cache';
import { UpdateBanner } from './offline/UpdateBanner';
import { isApiError } from './api/http';
import { ErrorPanel, Loading } from './components/StatusView';
import { errorMessage } from './components/errors';
import { LoginPage } from './pages/LoginPage';
import { MeetingsPage } from './pages/MeetingsPage';
import { MeetingPage } from './pages/MeetingPage';
import { CheckInPage } from './pages/CheckInPage';
import { OpinionPage } from './opinions/OpinionPage';
import { OpinionsPage } from './opinions/OpinionsPage';
import { RoomScreen } from './pages/RoomScreen';
import { AccountsPage } from './admin/AccountsPage';
import { LoginThrottlesPage } from './admin/LoginThrottlesPage';
import { AdminStatusPage } from './admin/AdminStatusPage';
import { matchRoute, navigate, useLocation } from './router';
import { SearchPage } from './search/SearchPage';
import { TasksPage } from './tasks/TasksPage';
import { WeekPage } from './week/WeekPage';
import { TaskPage } from './tasks/TaskPage';

type Session =
  | { state: 'checking' }
  | { state: 'signedOut'; reason?: string }
  | { state: 'signedIn'; user: User }
  | { state: 'error'; error: unknown };

/** The app, and above whatever it shows, the "new version" banner (client/src/offline/UpdateBanner). */
export function App() {
  return (
    <>
      <AppRoutes />
      <UpdateBanner />
    </>
  );
}

function AppRoutes() {
  const { t } = useTranslation();
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [attempt, setAttempt] = useState(0);
  const location = useLocation();

  useEffect(() => {
    const ctrl = new AbortController();
    api.me(ctrl.signal).then(
      ({ user }) => setSession({ state: 'signedIn', user }),
      (e: unknown) => {
        if (ctrl.signal.aborted) return;
        // no network: the account last signed in on this device reads what it kept (client/src/offline)
        const kept = isNetworkError(e) ? offlineAccount<User>() : null;
        if (kept) {
          setSession({ state: 'signedIn', user: kept });
          return;
        }
        setSession(isApiError(e) && e.code === 'UNAUTHENTICATED' ? { state: 'signedOut' } : { state: 'error', error: e });
      },
    );
    return () => ctrl.abort();
  }, [attempt]);

  const signedInAs = session.state === 'signedIn' ? session.user.id : null;
  const signedInUser = session.state === 'signedIn' ? session.user : null;
  // during render, not in an effect: the screens below read the store in their own (earlier) effects
  if (signedInUser) void startOffline(signedInUser).catch(() => undefined);
  useEffect(() => {
    if (signedInAs) {
      void loadDisplaySettings();
      openReceipts(signedInAs).catch(() => undefined); // without the key, receipts stay on screen only
    } else {
      resetDisplaySettings();
      closeReceipts();
    }
  }, [signedInAs]);

  const logout = useCallback(() => {
    // what this account kept on the device goes with it, even when the server cannot be reached
    void endOffline().catch(() => undefined);
    api
      .logout()
      .then(
        (r) => {
          // an OIDC session: the provider ends its own session too (RP-initiated logout), then sends the browser back
          if (r?.endSessionUrl) {
            window.location.assign(r.endSessionUrl);
            return true;
          }
          return false;
        },
        () => false,
      )
      .then((leaving) => {
        setSession({ state: 'signedOut' });
        if (!leaving) navigate('/');
      });
  }, []);

  // Any screen that meets a 401 (session expired) sends the user back to the login form; a live
  // socket that was ended says why (shared/events SESSION_END_REASONS), and the form shows it.
  const onUnauthenticated = useCallback((reason?: string) => setSession({ state: 'signedOut', reason }), []);

  const route = matchRoute(location);
  // The room screen needs no personal login: its link carries a room token.
  if (route.name === 'room') return <RoomScreen meetingId={route.meetingId} signedIn={session.state === 'signedIn'} />;

  if (session.state === 'checking')
    return (
      <main className="screen-center">
        <Loading />
      </main>
    );
  if (session.state === 'error') {
    return (
      <main className="screen-center">
        <ErrorPanel
          message={errorMessage(t, session.error)}
          onRetry={() => {
            setSession({ state: 'checking' });
            setAttempt((n) => n + 1);
          }}
        />
      </main>
    );
  }
  if (session.state === 'signedOut')
    return <LoginPage endedReason={session.reason} onLoggedIn={(user) => setSession({ state: 'signedIn', user })} />;

  switch (route.name) {
    case 'meetings':
      return <MeetingsPage user={session.user} onLogout={logout} onUnauthenticated={onUnauthenticated} />;
    case 'meeting':
      return (
        <MeetingPage
          key={route.meetingId}
          user={session.user}
          meetingId={route.meetingId}
          documentId={route.documentId}
          page={route.page}
          minutesKey={route.minutesKey ?? null}
          onLogout={logout}
          onUnauthenticated={onUnauthenticated}
        />
      );
    case 'adminStatus':
      return <AdminStatusPage user={session.user} onLogout={logout} onUnauthenticated={onUnauthenticated} />;
    case 'tasks':
      return <TasksPage user={session.user} onLogout={logout} />;
    case 'week':
      return <WeekPage user={session.user} date={route.date} scope={route.scope} onLogout={logout} />;
    case 'task':
      return <TaskPage key={route.taskId} user={session.user} taskId={route.taskId} onLogout={logout} />;
    case 'search':
      return <SearchPage user={session.user} q={route.q} onLogout={logout} onUnauthenticated={onUnauthenticated} />;
    case 'accounts':
      return <AccountsPage user={session.user} onLogout={logout} onUnauthenticated={onUnauthenticated} />;
    case 'loginThrottles':
      return <LoginThrottlesPage user={session.user} onLogout={logout} onUnauthenticated={onUnauthenticated} />;
    case 'checkin':
      return <CheckInPage user={session.user} meetingId={route.meetingId} token={route.token} onLogout={logout} />;
    case 'opinions':
      return <OpinionsPage user={session.user} meetingId={route.meetingId} onLogout={logout} />;
    case 'opinion':
      return <OpinionPage user={session.user} requestId={route.requestId} onLogout={logout} />;
    case 'notFound':
      return (
        <main className="screen-center">
          <ErrorPanel message={t('errors.NOT_FOUND')} />
          <button type="button" className="btn btn--primary" onClick={() => navigate('/')}>
            {t('meeting.backToList')}
          </button>
        </main>
      );
  }
}
