// An OpenID Connect provider in this process (the `oidc-provider` package, the certified
// implementation) on 127.0.0.1, for the OIDC sign-in tests: its own login form (dev interactions:
// the account id typed there is the subject), consent pre-granted for our client, refresh tokens
// for the re-check, RP-initiated logout. `tamper` re-signs the ID token the token endpoint returns
// with changed claims (with the provider's own key, so the signature stays valid): a provider
// that answers with another issuer, audience or nonce. Accounts can be removed (disabled there).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import Provider from 'oidc-provider';

export interface OidcTestAccount {
  preferred_username: string;
  name: string;
  email?: string;
  unit?: string;
  position?: string;
  groups?: string[];
}

export const OIDC_CLIENT_ID = 'hop-so';
export const OIDC_CLIENT_SECRET = 'hop-so-client-secret-for-tests';

export interface OidcTestProvider {
  issuer: string;
  accounts: Map<string, OidcTestAccount>;
  /** claims to overwrite in the next ID tokens from the token endpoint; null: none */
  tamper: Record<string, unknown> | null;
  /** authorization code lifetime, seconds (the expired-code test shortens it) */
  codeTtlSeconds: number;
  /** registers the app's callback (known once the app listens) and starts answering */
  register: (redirectUri: string, postLogoutRedirectUri: string) => void;
  /** stops answering (connections refused): the provider is down */
  stop: () => Promise<void>;
  close: () => Promise<void>;
}

export async function startOidcProvider(accounts: Record<string, OidcTestAccount>): Promise<OidcTestProvider> {
  let handler: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' } as JWK;
  const signingKey = await importJWK(jwk, 'RS256');

  const t: OidcTestProvider = {
    issuer,
    accounts: new Map(Object.entries(accounts)),
    tamper: null,
    codeTtlSeconds: 60,
    register: (redirectUri, postLogoutRedirectUri) => {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: OIDC_CLIENT_ID,
            client_secret: OIDC_CLIENT_SECRET,
            redirect_uris: [redirectUri],
            post_logout_redirect_uris: [postLogoutRedirectUri],
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_post',
          },
        ],
        jwks: { keys: [jwk] },
        cookies: { keys: ['oidc-test-cookie-key'] },
        pkce: { required: () => true, methods: ['S256'] },
        scopes: ['openid', 'offline_access', 'profile', 'email', 'hop'],
        claims: {
          openid: ['sub'],
          profile: ['name', 'preferred_username'],
          email: ['email'],
          hop: ['unit', 'position', 'groups'],
        },
        features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
        ttl: {
          AuthorizationCode: () => t.codeTtlSeconds,
          IdToken: 3600,
          AccessToken: 3600,
          RefreshToken: 86400,
          Session: 3600,
          Grant: 86400,
          Interaction: 600,
        },
        // a refresh token whenever the client may use one (not only after an explicit offline consent)
        issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
        // our client is first-party here: consent is pre-granted for what it asks
        loadExistingGrant: async (ctx) => {
          const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
          if (grantId) return ctx.oidc.provider.Grant.find(grantId);
          const grant = new ctx.oidc.provider.Grant({
            clientId: ctx.oidc.client!.clientId,
            accountId: ctx.oidc.session!.accountId!,
          });
          grant.addOIDCScope('openid offline_access profile email hop');
          await grant.save();
          return grant;
        },
        findAccount: async (_ctx, sub) => {
          const a = t.accounts.get(sub);
          if (!a) return undefined;
          return { accountId: sub, claims: async () => ({ sub, ...a }) };
        },
      });
      provider.use(async (ctx, next) => {
        await next();
        const body = ctx.body as { id_token?: unknown } | undefined;
        if (ctx.path === '/token' && t.tamper && body && typeof body.id_token === 'string') {
          const header = decodeProtectedHeader(body.id_token);
          const claims = { ...decodeJwt(body.id_token), ...t.tamper };
          body.id_token = await new SignJWT(claims)
            .setProtectedHeader({ alg: 'RS256', kid: header.kid ?? 'test-key', typ: header.typ })
            .sign(signingKey);
        }
      });
      handler = provider.callback();
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    close: async () => {
      if (server.listening) await t.stop();
    },
  };
  return t;
}

/** A tiny cookie jar: name → value, sent to every request (the provider scopes its cookies by path; the tests need no more). */
export class CookieJar {
  private readonly values = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.values.delete(name);
      else this.values.set(name, value);
    }
  }
  get(name: string): string | undefined {
    return this.values.get(name);
  }
  set(name: string, value: string): void {
    this.values.set(name, value);
  }
  header(): string {
    return [...this.values].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function go(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string> | undefined), cookie: jar.header() },
  });
  jar.take(res);
  return res;
}

/**
 * Plays the person's browser at the provider: from its authorization URL through its login form
 * (the account id typed as login) to the redirect back to the app; returns that callback URL.
 */
export async function loginAtProvider(authorizationUrl: string, login: string): Promise<string> {
  const jar = new CookieJar();
  let url = authorizationUrl;
  for (let hop = 0; hop < 10; hop++) {
    const res = await go(jar, url);
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, url).href;
      if (!next.startsWith(new URL(authorizationUrl).origin)) return next; // back to the app
      url = next;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 300)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`no form at the provider: ${html.slice(0, 300)}`);
    const form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
    const posted = await go(jar, new URL(action, url).href, {
      method: 'POST',
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    if (posted.status < 300 || posted.status >= 400)
      throw new Error(`provider form answered ${posted.status}: ${(await posted.text()).slice(0, 300)}`);
    url = new URL(posted.headers.get('location')!, url).href;
  }
  throw new Error('too many redirects at the provider');
}
