// Administrators: who is being slowed at login (server/services/login-throttle.ts), and a button
// to lift one counter — say, the chair who mistyped a new password too often from the meeting room.
import { ShieldAlert } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/api';
import type { LoginThrottle } from '../../../shared/admin-api';
import { api } from '../api/endpoints';
import { AppHeader } from '../components/AppHeader';
import { ErrorPanel, Loading } from '../components/StatusView';
import { errorMessage } from '../components/errors';
import { useApi } from '../hooks/useApi';
import { currentLanguage } from '../i18n';

export function LoginThrottlesPage({
  user,
  onLogout,
  onUnauthenticated,
}: {
  user: User;
  onLogout: () => void;
  onUnauthenticated: () => void;
}) {
  const { t } = useTranslation();
  const list = useApi((signal) => api.loginThrottles(signal), 'login-throttles', onUnauthenticated);
  const [busyKey, setBusyKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(currentLanguage() === 'vi' ? 'vi-VN' : 'en-GB') : '—');

  async function lift(row: LoginThrottle) {
    setBusyKey(row.key);
    setError(null);
    try {
      await api.liftLoginThrottle(row.key);
      list.reload();
    } catch (e) {
      setError(errorMessage(t, e));
    } finally {
      setBusyKey(null);
    }
  }

  return (
    <div className="layout">
      <AppHeader user={user} title={<span className="brand">{t('app.name')}</span>} onLogout={onLogout} />
      <main className="meetings">
        <div className="meetings__head">
          <h1>
            <ShieldAlert aria-hidden size={22} /> {t('throttles.title')}
          </h1>
        </div>
        <p className="muted">{t('throttles.explain')}</p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {!user.isAdmin && <ErrorPanel message={t('errors.FORBIDDEN')} />}
        {user.isAdmin && list.status === 'loading' && <Loading />}
        {user.isAdmin && list.status === 'error' && <ErrorPanel message={errorMessage(t, list.error)} onRetry={list.reload} />}
        {user.isAdmin && list.status === 'ready' && list.data.throttles.length === 0 && (
          <p className="muted" data-testid="throttles-empty">
            {t('throttles.empty')}
          </p>
        )}
        {user.isAdmin && list.status === 'ready' && list.data.throttles.length > 0 && (
          <table className="throttles" data-testid="throttles">
            <thead>
              <tr>
                <th>{t('throttles.kind')}</th>
                <th>{t('throttles.account')}</th>
                <th>{t('throttles.source')}</th>
                <th>{t('throttles.failures')}</th>
                <th>{t('throttles.blockedUntil')}</th>
                <th>
                  <span className="sr-only">{t('throttles.lift')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.throttles.map((r) => (
                <tr key={r.key}>
                  <td>{t(`throttles.kinds.${r.kind}`)}</td>
                  <td>{r.account ?? '—'}</td>
                  <td>{r.source ?? '—'}</td>
                  <td>{r.failures}</td>
                  <td>
                    {r.blockedUntil && Date.parse(r.blockedUntil) > Date.now() ? when(r.blockedUntil) : t('throttles.notSlowed')}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn--secondary"
                      disabled={busyKey === r.key}
                      onClick={() => void lift(r)}
                    >
                      {t('throttles.lift')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
    </div>
  );
}
