// Username + password form. Wrong credentials, throttling and rate limits each get their own sentence;
// a session ended under an open meeting (logout elsewhere, password reset...) says why.
import { useEffect, useState, type FormEvent } from 'react';
import { Eye, EyeOff, KeyRound, Landmark, Loader2 } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { PasswordProvider, User } from '../../../shared/api';
import { api } from '../api/endpoints';
import { isApiError } from '../api/http';
import { errorMessage } from '../components/errors';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { SESSION_END_REASONS, type SessionEndReason } from '../../../shared/events';

/** the refusals of an OIDC callback the page explains (shared/errors.ts) */
const OIDC_ERRORS = [
  'OIDC_STATE_MISMATCH',
  'OIDC_NONCE_MISMATCH',
  'OIDC_ISSUER_MISMATCH',
  'OIDC_AUDIENCE_MISMATCH',
  'OIDC_CODE_REJECTED',
  'OIDC_DENIED',
  'OIDC_INVALID_RESPONSE',
  'OIDC_FLOW_EXPIRED',
] as const;

export function LoginPage({ onLoggedIn, endedReason }: { onLoggedIn: (user: User) => void; endedReason?: string }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // the directory choice appears only when the server has one configured (GET /api/auth/providers)
  const [ldapOffered, setLdapOffered] = useState(false);
  const [provider, setProvider] = useState<PasswordProvider>('local');
  // OpenID Connect: a link to the server's /start (a navigation, not a fetch: the provider's pages follow)
  const [oidc, setOidc] = useState<{ label: string } | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    api.authProviders(ac.signal).then(
      (p) => {
        setLdapOffered(p.ldap);
        setOidc(p.oidc);
      },
      () => undefined,
    );
    return () => ac.abort();
  }, []);
  // a refused OIDC callback comes back as /?signin_error=<CODE> (server/routes/auth/oidc.ts)
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const code = params.get('signin_error');
    if (!code) return;
    if (code === 'DIRECTORY_UNAVAILABLE') setError(t('login.directoryUnavailable'));
    else if (code === 'DIRECTORY_CONFLICT') setError(t('login.directoryConflict'));
    else if ((OIDC_ERRORS as readonly string[]).includes(code))
      setError(t(`login.oidcErrors.${code as (typeof OIDC_ERRORS)[number]}`));
    else setError(t('errors.generic'));
    params.delete('signin_error');
    const rest = params.toString();
    window.history.replaceState(null, '', window.location.pathname + (rest ? `?${rest}` : ''));
  }, [t]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(t('login.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { user } = await api.login(username.trim(), password, ldapOffered ? provider : 'local');
      onLoggedIn(user);
    } catch (err) {
      setBusy(false);
      if (isApiError(err) && err.code === 'BAD_CREDENTIALS') setError(t('login.badCredentials'));
      else if (isApiError(err) && err.code === 'LOGIN_THROTTLED') setError(t('login.throttled'));
      else if (isApiError(err) && err.code === 'DIRECTORY_UNAVAILABLE') setError(t('login.directoryUnavailable'));
      else if (isApiError(err) && err.code === 'DIRECTORY_CONFLICT') setError(t('login.directoryConflict'));
      else setError(errorMessage(t, err));
    }
  }

  return (
    <main className="login">
      <div className="login__lang">
        <LanguageSwitch />
      </div>
      <form className="login__card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <div className="login__brand">
          <Landmark aria-hidden size={36} />
          <div>
            <div className="login__name">{t('app.name')}</div>
            <div className="login__subtitle">{t('login.subtitle')}</div>
          </div>
        </div>
        <h1 id="login-title">{t('login.title')}</h1>
        {oidc && (
          <>
            <a className="btn btn--secondary btn--block login__oidc" href="/api/auth/oidc/start" data-testid="login-oidc">
              <KeyRound aria-hidden size={18} />
              {t('login.oidcSignIn', { label: oidc.label })}
            </a>
            <p className="login__or" aria-hidden>
              {t('login.or')}
            </p>
          </>
        )}
        {ldapOffered && (
          <fieldset className="login__providers" data-testid="login-providers">
            <legend className="field__label">{t('login.providerLabel')}</legend>
            {(['local', 'ldap'] as const).map((p) => (
              <label key={p} className="login__provider">
                <input type="radio" name="provider" value={p} checked={provider === p} onChange={() => setProvider(p)} />
                <span>{t(p === 'local' ? 'login.providerLocal' : 'login.providerLdap')}</span>
              </label>
            ))}
          </fieldset>
        )}
        <label className="field">
          <span className="field__label">{t('login.username')}</span>
          <input
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoFocus
          />
        </label>
        <label className="field">
          <span className="field__label">{t('login.password')}</span>
          <span className="field__row">
            <input
              name="password"
              type={showPassword ? 'text' : 'password'}
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <button
              type="button"
              className="icon-btn"
              onClick={() => setShowPassword((s) => !s)}
              aria-label={showPassword ? t('login.hidePassword') : t('login.showPassword')}
              aria-pressed={showPassword}
            >
              {showPassword ? <EyeOff aria-hidden /> : <Eye aria-hidden />}
            </button>
          </span>
        </label>
        {!error && endedReason && (SESSION_END_REASONS as readonly string[]).includes(endedReason) && (
          <p className="form-notice" role="status" data-testid="login-ended">
            {t(`login.ended.${endedReason as SessionEndReason}`)}
          </p>
        )}
        {error && (
          <p className="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn--primary btn--block" disabled={busy}>
          {busy && <Loader2 className="spin" aria-hidden size={18} />}
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
