// Administrators: every account with where it signs in (local, LDAP, OIDC), its đơn vị, chức vụ and
// e-mail (where notifications go). A local account's e-mail is set here; a directory account's
// fields come from its directory at each sign-in, so they are shown read-only (the server refuses
// editing them: DIRECTORY_OWNED).
import { Save, Users } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminUser, User } from '../../../shared/api';
import { api } from '../api/endpoints';
import { isApiError } from '../api/http';
import { AppHeader } from '../components/AppHeader';
import { ErrorPanel, Loading } from '../components/StatusView';
import { errorMessage } from '../components/errors';
import { useApi } from '../hooks/useApi';

function EmailEditor({ account, onSaved }: { account: AdminUser; onSaved: () => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(account.email ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const changed = value.trim() !== (account.email ?? '');

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.setUserEmail(account.id, value.trim() || null);
      onSaved();
    } catch (err) {
      setError(isApiError(err) && err.code === 'INVALID' ? t('accounts.badEmail') : errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  const label = t('accounts.emailOf', { name: account.fullName });
  return (
    <form className="accounts__email" onSubmit={save} noValidate>
      <input
        type="email"
        inputMode="email"
        autoComplete="off"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        aria-label={label}
        aria-invalid={error ? true : undefined}
        placeholder={t('accounts.noEmail')}
        data-testid={`email-${account.username}`}
      />
      <button
        type="submit"
        className="btn btn--secondary"
        disabled={busy || !changed}
        aria-label={t('accounts.saveEmailOf', { name: account.fullName })}
      >
        <Save aria-hidden size={16} /> {t('accounts.save')}
      </button>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

export function AccountsPage({
  user,
  onLogout,
  onUnauthenticated,
}: {
  user: User;
  onLogout: () => void;
  onUnauthenticated: () => void;
}) {
  const { t } = useTranslation();
  const list = useApi((signal) => api.users(signal), 'admin-users', onUnauthenticated);
  return (
    <div className="layout">
      <AppHeader user={user} title={<span className="brand">{t('app.name')}</span>} onLogout={onLogout} />
      <main className="meetings">
        <div className="meetings__head">
          <h1>
            <Users aria-hidden size={22} /> {t('accounts.title')}
          </h1>
        </div>
        <p className="muted">{t('accounts.explain')}</p>
        {!user.isAdmin && <ErrorPanel message={t('errors.FORBIDDEN')} />}
        {user.isAdmin && list.status === 'loading' && <Loading />}
        {user.isAdmin && list.status === 'error' && <ErrorPanel message={errorMessage(t, list.error)} onRetry={list.reload} />}
        {user.isAdmin && list.status === 'ready' && (
          <div className="accounts__scroll">
            <table className="throttles accounts" data-testid="accounts">
              <thead>
                <tr>
                  <th>{t('accounts.person')}</th>
                  <th>{t('accounts.source')}</th>
                  <th>{t('accounts.unit')}</th>
                  <th>{t('accounts.position')}</th>
                  <th>{t('accounts.email')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((a) => (
                  <tr key={a.id} data-testid={`account-${a.username}`}>
                    <td>
                      <div>{a.fullName}</div>
                      <div className="muted">{a.username}</div>
                    </td>
                    <td>{t(`accounts.sources.${a.authSource}`)}</td>
                    <td>{a.unit ?? '—'}</td>
                    <td>{a.position ?? '—'}</td>
                    <td>
                      {a.authSource === 'local' ? (
                        <EmailEditor key={a.email ?? ''} account={a} onSaved={list.reload} />
                      ) : (
                        <span title={t('accounts.fromDirectory')}>
                          {a.email ?? '—'} <span className="muted">({t('accounts.fromDirectory')})</span>
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </main>
    </div>
  );
}
