// OpenID Connect through openid-client (authorization code + PKCE, state and nonce): the provider's
// metadata is read on first use, not at start, and openid-client itself is imported then too
// (dynamic import: a server without OIDC, or before the first sign-in, does not load it). The
// metadata is cached per process; a failed discovery is not cached, so a provider that was down is
// asked again at the next sign-in. Everything a sign-in needs between its two requests lives in the
// database (services/oidc-accounts.ts), never here.
import type * as OidcLib from 'openid-client';
import type { OidcConfig } from '../config';
import { plausibleEmail, type DirectoryPerson } from './ldap-directory';

type Lib = typeof OidcLib;
let lib: Promise<Lib> | null = null;
const load = (): Promise<Lib> => (lib ??= import('openid-client'));

/** Why a callback was refused: each is a stable error code (shared/errors.ts), logged as `oidc.refused`. */
export type OidcRefusal =
  | 'OIDC_STATE_MISMATCH'
  | 'OIDC_NONCE_MISMATCH'
  | 'OIDC_ISSUER_MISMATCH'
  | 'OIDC_AUDIENCE_MISMATCH'
  | 'OIDC_CODE_REJECTED'
  | 'OIDC_DENIED'
  | 'OIDC_INVALID_RESPONSE';

export class OidcRefused extends Error {
  constructor(
    readonly code: OidcRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** The provider did not answer (down, unreachable, timed out, or answered its discovery with nonsense). */
export class OidcUnavailable extends Error {}

const isNetwork = (e: unknown): boolean => {
  const err = e as { name?: string; message?: string; cause?: unknown };
  if (!err || typeof err !== 'object') return false;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return true;
  if (err.name === 'TypeError' && /fetch failed/i.test(err.message ?? '')) return true;
  return err.cause !== undefined && err.cause !== e && isNetwork(err.cause);
};

/** openid-client's error → our refusal code (which check failed), or unavailable when it is the network. */
function classify(lib: Lib, e: unknown): OidcRefused | OidcUnavailable {
  if (isNetwork(e)) return new OidcUnavailable(e instanceof Error ? e.message : String(e));
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof lib.AuthorizationResponseError) return new OidcRefused('OIDC_DENIED', message);
  if (e instanceof lib.ResponseBodyError) {
    // invalid_grant: the code is expired, used already, or was not issued for this verifier/client
    if (e.error === 'invalid_grant') return new OidcRefused('OIDC_CODE_REJECTED', message);
    if (e.status >= 500) return new OidcUnavailable(message);
    return new OidcRefused('OIDC_INVALID_RESPONSE', message);
  }
  // openid-client wraps oauth4webapi's error ("invalid response encountered"): the check that
  // failed is in the wrapped error's message and its cause's `claim`
  const inner = (e as { cause?: unknown }).cause;
  const detail = inner instanceof Error ? inner.message : message;
  const innerCause =
    inner instanceof Error ? (inner as { cause?: { claim?: unknown } }).cause : (e as { cause?: { claim?: unknown } }).cause;
  const claim =
    innerCause && typeof innerCause === 'object' && typeof innerCause.claim === 'string' ? innerCause.claim : undefined;
  const text = `${message}: ${detail}`;
  if (/"state" response parameter|response parameter "state"/.test(text)) return new OidcRefused('OIDC_STATE_MISMATCH', text);
  if (claim === 'nonce' || /"nonce"/.test(text)) return new OidcRefused('OIDC_NONCE_MISMATCH', text);
  if (claim === 'iss' || /"iss" \(issuer\)/.test(text)) return new OidcRefused('OIDC_ISSUER_MISMATCH', text);
  if (claim === 'aud' || claim === 'azp' || /"aud" \(audience\)|"azp"/.test(text))
    return new OidcRefused('OIDC_AUDIENCE_MISMATCH', text);
  return new OidcRefused('OIDC_INVALID_RESPONSE', text);
}

/** The random values a sign-in carries from /start to /callback. */
export interface OidcChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcTokens {
  person: DirectoryPerson;
  /** the provider's subject and issuer (users.oidc_subject, external_id = issuer + ' ' + sub) */
  subject: string;
  idToken: string | undefined;
  refreshToken: string | undefined;
}

const claimString = (v: unknown): string | null => {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number') return String(v);
  return null;
};

export class OidcDirectory {
  private configuration: Promise<OidcLib.Configuration> | null = null;

  constructor(private readonly cfg: OidcConfig) {}

  get label(): string {
    return this.cfg.label;
  }

  /** The provider's metadata (cached once it answered); OidcUnavailable when it does not. */
  private async config(): Promise<{ lib: Lib; conf: OidcLib.Configuration }> {
    const l = await load();
    if (!this.configuration) {
      const issuer = new URL(this.cfg.issuer);
      const auth = this.cfg.clientSecret ? l.ClientSecretPost(this.cfg.clientSecret) : l.None();
      this.configuration = l.discovery(issuer, this.cfg.clientId, undefined, auth, {
        timeout: Math.max(1, Math.ceil(this.cfg.timeoutMs / 1000)),
        // config.ts allows plain http only to a loopback provider
        ...(issuer.protocol === 'http:' ? { execute: [l.allowInsecureRequests] } : {}),
      });
      this.configuration.catch(() => {
        this.configuration = null;
      });
    }
    try {
      return { lib: l, conf: await this.configuration };
    } catch (e) {
      throw new OidcUnavailable(e instanceof Error ? e.message : String(e));
    }
  }

  /** New random state, nonce and PKCE verifier, and the provider's authorization URL carrying them. */
  async start(): Promise<{ url: URL; checks: OidcChecks }> {
    const { lib: l, conf } = await this.config();
    const checks = { state: l.randomState(), nonce: l.randomNonce(), codeVerifier: l.randomPKCECodeVerifier() };
    const url = l.buildAuthorizationUrl(conf, {
      redirect_uri: this.cfg.redirectUrl,
      scope: this.cfg.scopes,
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await l.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, checks };
  }

  /**
   * The callback URL as the browser sent it, checked against the sign-in's own state, nonce and
   * verifier: the code is exchanged, the ID token's signature, issuer, audience, expiry and nonce
   * verified (openid-client), then the user info merged over the ID token's claims.
   */
  async finish(callbackUrl: URL, checks: OidcChecks): Promise<OidcTokens> {
    const { lib: l, conf } = await this.config();
    try {
      const tokens = await l.authorizationCodeGrant(
        conf,
        callbackUrl,
        {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        },
        { redirect_uri: this.cfg.redirectUrl },
      );
      const idClaims = tokens.claims();
      if (!idClaims) throw new OidcRefused('OIDC_INVALID_RESPONSE', 'no ID token');
      let claims: Record<string, unknown> = { ...idClaims };
      // many providers put profile claims only in the user info (the ID token stays small)
      if (conf.serverMetadata().userinfo_endpoint) {
        const info = await l.fetchUserInfo(conf, tokens.access_token, idClaims.sub);
        claims = { ...claims, ...info, sub: idClaims.sub };
      }
      const issuer = conf.serverMetadata().issuer;
      return {
        person: this.person(issuer, idClaims.sub, claims),
        subject: idClaims.sub,
        idToken: tokens.id_token,
        refreshToken: tokens.refresh_token,
      };
    } catch (e) {
      if (e instanceof OidcRefused) throw e;
      throw classify(l, e);
    }
  }

  /**
   * The re-check of a session: a refresh token grant. The provider refusing it (invalid_grant: the
   * account disabled or deleted there, the grant revoked) is `null`; the new tokens otherwise.
   * Throws OidcUnavailable when the provider does not answer (nothing is decided then).
   */
  async refresh(
    refreshToken: string,
  ): Promise<{ refreshToken: string; idToken: string | undefined; person: DirectoryPerson | null } | null> {
    const { lib: l, conf } = await this.config();
    try {
      const tokens = await l.refreshTokenGrant(conf, refreshToken);
      // the person as the provider describes them now (roles from the groups claim): the ID token
      // of a refresh, when there is one, merged with the user info; null when neither says who
      const idClaims = tokens.claims();
      let person: DirectoryPerson | null = null;
      if (idClaims && conf.serverMetadata().userinfo_endpoint) {
        const info = await l.fetchUserInfo(conf, tokens.access_token, idClaims.sub);
        person = this.person(conf.serverMetadata().issuer, idClaims.sub, { ...idClaims, ...info, sub: idClaims.sub });
      }
      return { refreshToken: tokens.refresh_token ?? refreshToken, idToken: tokens.id_token, person };
    } catch (e) {
      const r = classify(l, e);
      if (r instanceof OidcUnavailable) throw r;
      if (e instanceof l.ResponseBodyError && e.error === 'invalid_grant') return null;
      throw r;
    }
  }

  /** RP-initiated logout: the provider's end_session_endpoint with the hint, or null when it has none. */
  async endSessionUrl(idToken: string | null, postLogoutRedirect: string): Promise<string | null> {
    const { lib: l, conf } = await this.config();
    if (!conf.serverMetadata().end_session_endpoint) return null;
    return l.buildEndSessionUrl(conf, {
      ...(idToken ? { id_token_hint: idToken } : {}),
      post_logout_redirect_uri: this.cfg.postLogoutRedirectUrl || postLogoutRedirect,
    }).href;
  }

  /** Claims → the person, by the configured claim names; the groups claim maps to roles like LDAP's groups. */
  private person(issuer: string, sub: string, claims: Record<string, unknown>): DirectoryPerson {
    const c = this.cfg;
    const username = claimString(claims[c.usernameClaim]) ?? claimString(claims.email)?.split('@')[0] ?? sub;
    const groupsRaw = claims[c.groupsClaim];
    const groups = Array.isArray(groupsRaw)
      ? groupsRaw.filter((g): g is string => typeof g === 'string')
      : typeof groupsRaw === 'string'
        ? [groupsRaw]
        : [];
    return {
      dn: `${issuer} ${sub}`,
      username,
      fullName: claimString(claims[c.fullNameClaim]) ?? username,
      unit: claimString(claims[c.unitClaim]),
      position: claimString(claims[c.positionClaim]),
      email: plausibleEmail(claimString(claims[c.emailClaim])),
      isAdmin: c.adminGroup ? groups.includes(c.adminGroup) : undefined,
      isOrganiser: c.organiserGroup ? groups.includes(c.organiserGroup) : undefined,
    };
  }
}
