// Administrators: the meetings under way, the people connected to this server process, what is
// locked (slowed sign-ins, deferred signatures waiting), and the
// versions running (server/routes/admin/status.ts). Read-only; refreshed on demand.
import { Activity, RefreshCw } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/api';
import { api } from '../api/endpoints';
import { AppHeader } from '../components/AppHeader';
import { ErrorPanel, Loading } from '../components/StatusView';
import { errorMessage } from '../components/errors';
import { useApi } from '../hooks/useApi';
import { currentLanguage } from '../i18n';
import { navigate } from '../router';

export function AdminStatusPage({
  user,
  onLogout,
  onUnauthenticated,
}: {
  user: User;
  onLogout: () => void;
  onUnauthenticated: () => void;
}) {
  const { t } = useTranslation();
  const status = useApi((signal) => api.adminStatus(signal), 'admin-status', onUnauthenticated);
  const when = (iso: string) => new Date(iso).toLocaleString(currentLanguage() === 'vi' ? 'vi-VN' : 'en-GB');

  return (
    <div className="layout">
      <AppHeader user={user} title={<span className="brand">{t('app.name')}</span>} onLogout={onLogout} />
      <main className="meetings" data-testid="admin-status">
        <div className="meetings__head">
          <h1>
            <Activity aria-hidden size={22} /> {t('adminStatus.title')}
          </h1>
          {user.isAdmin && (
            <button type="button" className="btn btn--secondary" onClick={status.reload} data-testid="admin-status-refresh">
              <RefreshCw aria-hidden size={18} /> {t('adminStatus.refresh')}
            </button>
          )}
        </div>
        <p className="muted">{t('adminStatus.explain')}</p>
        {!user.isAdmin && <ErrorPanel message={t('errors.FORBIDDEN')} />}
        {user.isAdmin && status.status === 'loading' && <Loading />}
        {user.isAdmin && status.status === 'error' && (
          <ErrorPanel message={errorMessage(t, status.error)} onRetry={status.reload} />
        )}
        {user.isAdmin && status.status === 'ready' && (
          <>
            <h2>{t('adminStatus.liveMeetings')}</h2>
            {status.data.liveMeetings.length === 0 ? (
              <p className="muted">{t('adminStatus.noLiveMeetings')}</p>
            ) : (
              <table className="throttles" data-testid="admin-live-meetings">
                <thead>
                  <tr>
                    <th>{t('adminStatus.meeting')}</th>
                    <th>{t('adminStatus.status')}</th>
                    <th>{t('adminStatus.sockets')}</th>
                  </tr>
                </thead>
                <tbody>
                  {status.data.liveMeetings.map((m) => (
                    <tr key={m.id}>
                      <td>
                        <a
                          href={`/meetings/${m.id}`}
                          onClick={(e) => {
                            e.preventDefault();
                            navigate(`/meetings/${m.id}`);
                          }}
                        >
                          {m.title}
                        </a>
                      </td>
                      <td>{t(`adminStatus.${m.status}`)}</td>
                      <td>{m.sockets}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h2>{t('adminStatus.connectedUsers')}</h2>
            {status.data.connectedUsers.length === 0 ? (
              <p className="muted">{t('adminStatus.noConnectedUsers')}</p>
            ) : (
              <table className="throttles" data-testid="admin-connected-users">
                <thead>
                  <tr>
                    <th>{t('adminStatus.person')}</th>
                    <th>{t('adminStatus.username')}</th>
                    <th>{t('adminStatus.sockets')}</th>
                  </tr>
                </thead>
                <tbody>
                  {status.data.connectedUsers.map((u) => (
                    <tr key={u.userId}>
                      <td>{u.fullName}</td>
                      <td>{u.username}</td>
                      <td>{u.sockets}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p className="muted">{t('adminStatus.roomScreens', { count: status.data.roomScreens })}</p>
            <h2>{t('adminStatus.locks')}</h2>
            <h3>{t('adminStatus.loginBlocked')}</h3>
            {status.data.locks.loginBlocked.length === 0 ? (
              <p className="muted" data-testid="admin-login-blocked-none">
                {t('adminStatus.noLoginBlocked')}
              </p>
            ) : (
              <table className="throttles" data-testid="admin-login-blocked">
                <thead>
                  <tr>
                    <th>{t('throttles.kind')}</th>
                    <th>{t('throttles.account')}</th>
                    <th>{t('throttles.source')}</th>
                    <th>{t('throttles.blockedUntil')}</th>
                  </tr>
                </thead>
                <tbody>
                  {status.data.locks.loginBlocked.map((l) => (
                    <tr key={l.key}>
                      <td>
                        {(['pair', 'source', 'account', 'trusted'] as const).includes(l.kind as 'pair')
                          ? t(`throttles.kinds.${l.kind as 'pair'}`)
                          : l.kind}
                      </td>
                      <td>{l.account ?? '—'}</td>
                      <td>{l.source ?? '—'}</td>
                      <td>{when(l.blockedUntil)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {status.data.locks.loginBlocked.length > 0 && (
              <p>
                <a
                  href="/admin/login-throttles"
                  onClick={(e) => {
                    e.preventDefault();
                    navigate('/admin/login-throttles');
                  }}
                >
                  {t('adminStatus.liftOnThrottles')}
                </a>
              </p>
            )}
            <h3>{t('adminStatus.pendingSignatures')}</h3>
            {status.data.locks.pendingSignatures.length === 0 ? (
              <p className="muted" data-testid="admin-pending-signatures-none">
                {t('adminStatus.noPendingSignatures')}
              </p>
            ) : (
              <table className="throttles" data-testid="admin-pending-signatures">
                <thead>
                  <tr>
                    <th>{t('adminStatus.meeting')}</th>
                    <th>{t('adminStatus.signer')}</th>
                    <th>{t('adminStatus.waitsUntil')}</th>
                  </tr>
                </thead>
                <tbody>
                  {status.data.locks.pendingSignatures.map((p) => (
                    <tr key={p.id}>
                      <td>{p.meetingTitle}</td>
                      <td>
                        {p.signer} ({t(`adminStatus.roles.${p.role}`)})
                      </td>
                      <td>{when(p.expiresAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h2>{t('adminStatus.versions')}</h2>
            <dl className="admin-versions" data-testid="admin-versions">
              <dt>{t('adminStatus.app')}</dt>
              <dd>{status.data.versions.app}</dd>
              <dt>{t('adminStatus.node')}</dt>
              <dd>{status.data.versions.node}</dd>
              <dt>{t('adminStatus.protocol')}</dt>
              <dd>{status.data.versions.protocol}</dd>
              <dt>{t('adminStatus.migrations')}</dt>
              <dd>
                {status.data.versions.migrations} · {status.data.versions.latestMigration}
              </dd>
            </dl>
            <p className="muted">
              {t('adminStatus.process', { pid: status.data.process.pid, at: when(status.data.process.startedAt) })}
            </p>
          </>
        )}
      </main>
    </div>
  );
}
