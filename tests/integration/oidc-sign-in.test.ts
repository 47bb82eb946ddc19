// OpenID Connect sign-in against a real provider (oidc-provider, in this process on loopback): the
// account created on first sign-in with name, unit, position, e-mail and mapped roles, refreshed at
// the next; every refusal (state, nonce, issuer, audience, expired code, a callback this browser did
// not start, a replayed one) answered with its stable code, nothing signed in, and recorded in the
// audit trail; RP-initiated logout; a provider that no longer knows the account ends its sessions at
// the re-check; a provider that is down locks out no local administrator.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import {
  CookieJar,
  OIDC_CLIENT_ID,
  OIDC_CLIENT_SECRET,
  loginAtProvider,
  startOidcProvider,
  type OidcTestProvider,
} from '../helpers/oidc-provider';
import type { User } from '../../shared/api';

let t: TestApp;
let op: OidcTestProvider;

const ACCOUNTS = {
  'sub-lan-001': {
    preferred_username: 'ptlan',
    name: 'Phạm Thị Lan',
    email: 'lan.pt@snv.example.vn',
    unit: 'Sở Nội vụ',
    position: 'Phó Giám đốc',
    groups: ['hop-admins'],
  },
  'sub-hung-002': {
    preferred_username: 'dvhung',
    name: 'Đỗ Văn Hùng',
    unit: 'Sở Tài chính',
    position: 'Chuyên viên',
    groups: [],
  },
  // a username a local demo account already has
  'sub-chair-003': { preferred_username: 'chair', name: 'Người Mạo Danh', groups: [] },
};

beforeAll(async () => {
  op = await startOidcProvider(ACCOUNTS);
  t = await buildTestApp({
    listen: true,
    config: {
      oidc: {
        issuer: op.issuer,
        clientId: OIDC_CLIENT_ID,
        clientSecret: OIDC_CLIENT_SECRET,
        redirectUrl: 'http://127.0.0.1:1/api/auth/oidc/callback', // set below, once the app has its port
        postLogoutRedirectUrl: '',
        scopes: 'openid profile email hop offline_access',
        label: 'Cổng dịch vụ công',
        usernameClaim: 'preferred_username',
        fullNameClaim: 'name',
        unitClaim: 'unit',
        positionClaim: 'position',
        emailClaim: 'email',
        groupsClaim: 'groups',
        adminGroup: 'hop-admins',
        organiserGroup: 'hop-organisers',
        timeoutMs: 2000,
      },
      directoryRecheckMs: 1000,
    },
  });
  // the OIDC directory reads its configuration object at each use: the callback is this port
  t.app.config.oidc!.redirectUrl = `${t.url}/api/auth/oidc/callback`;
  t.app.config.oidc!.postLogoutRedirectUrl = `${t.url}/`;
  op.register(`${t.url}/api/auth/oidc/callback`, `${t.url}/`);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await op?.close();
});
beforeEach(() => {
  op.tamper = null;
  op.codeTtlSeconds = 60;
});

/** GET /start as a browser: the provider's authorization URL, and the browser's cookies. */
async function start(jar = new CookieJar()): Promise<{ jar: CookieJar; authUrl: string }> {
  const res = await fetch(`${t.url}/api/auth/oidc/start`, { redirect: 'manual', headers: { cookie: jar.header() } });
  expect(res.status).toBe(303);
  jar.take(res);
  return { jar, authUrl: res.headers.get('location')! };
}

/** The app's answer to a callback URL: where it sends the browser, and the session cookie if any. */
async function callback(
  jar: CookieJar,
  url: string,
): Promise<{ location: string; error: string | null; session: string | undefined }> {
  const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
  expect(res.status).toBe(303);
  jar.take(res);
  const location = res.headers.get('location')!;
  return { location, error: new URL(location, t.url).searchParams.get('signin_error'), session: jar.get('hop_session') };
}

async function me(jar: CookieJar): Promise<{ status: number; user?: User }> {
  const res = await fetch(`${t.url}/api/auth/me`, { headers: { cookie: jar.header() } });
  return { status: res.status, ...(res.status === 200 ? ((await res.json()) as { user: User }) : {}) };
}

async function signIn(sub: string): Promise<CookieJar> {
  const { jar, authUrl } = await start();
  const r = await callback(jar, await loginAtProvider(authUrl, sub));
  expect(r.error).toBeNull();
  expect(r.location).toBe('/');
  return jar;
}

const refusals = async (code: string) =>
  (await t.app.database.read((q, tt) => q.select().from(tt.auditLog).where(eq(tt.auditLog.code, code)))).filter(
    (a) => a.action === 'oidc.sign-in' && a.outcome === 'refused',
  );

const userCount = async () => (await t.app.database.read((q, tt) => q.select().from(tt.users))).length;

describe('OpenID Connect sign-in', () => {
  it('the login page is offered the provider by its label', async () => {
    expect(await (await fetch(`${t.url}/api/auth/providers`)).json()).toEqual({
      local: true,
      ldap: false,
      oidc: { label: 'Cổng dịch vụ công' },
    });
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce', async () => {
    const { jar, authUrl } = await start();
    const u = new URL(authUrl);
    expect(u.origin).toBe(op.issuer);
    expect(u.searchParams.get('code_challenge_method')).toBe('S256');
    expect(u.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(u.searchParams.get('state')).toBeTruthy();
    expect(u.searchParams.get('nonce')).toBeTruthy();
    expect(u.searchParams.get('redirect_uri')).toBe(`${t.url}/api/auth/oidc/callback`);
    expect(jar.get('hop_oidc')).toBeTruthy();
  });

  it('creates the account on first sign-in (name, unit, position, e-mail, mapped group) and refreshes it at the next', async () => {
    const jar = await signIn('sub-lan-001');
    const { user } = await me(jar);
    expect(user).toMatchObject({
      username: 'ptlan',
      fullName: 'Phạm Thị Lan',
      unit: 'Sở Nội vụ',
      position: 'Phó Giám đốc',
      authSource: 'oidc',
      isAdmin: true,
      isOrganiser: false,
    });
    const [row] = await t.app.database.read((q, tt) => q.select().from(tt.users).where(eq(tt.users.id, user!.id)));
    expect(row).toMatchObject({
      oidcSubject: 'sub-lan-001',
      externalId: `${op.issuer} sub-lan-001`,
      email: 'lan.pt@snv.example.vn',
      passwordHash: '!directory',
    });

    // the provider changes her position and takes her out of the administrators' group
    op.accounts.set('sub-lan-001', { ...ACCOUNTS['sub-lan-001'], position: 'Giám đốc', groups: [] });
    const again = await signIn('sub-lan-001');
    const { user: later } = await me(again);
    expect(later).toMatchObject({ id: user!.id, position: 'Giám đốc', isAdmin: false });
    op.accounts.set('sub-lan-001', ACCOUNTS['sub-lan-001']);

    // no local password: the account cannot sign in as a local one
    const local = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ptlan', password: '!directory' }),
    });
    expect(local.status).toBe(401);
  });

  it('refuses a callback whose state is not the one this browser sent (OIDC_STATE_MISMATCH)', async () => {
    const before = await userCount();
    const { jar, authUrl } = await start();
    const cb = new URL(await loginAtProvider(authUrl, 'sub-hung-002'));
    cb.searchParams.set('state', 'forged-state');
    const r = await callback(jar, cb.href);
    expect(r.error).toBe('OIDC_STATE_MISMATCH');
    expect(r.session).toBeUndefined();
    expect((await me(jar)).status).toBe(401);
    expect(await userCount()).toBe(before);
    expect((await refusals('OIDC_STATE_MISMATCH')).length).toBeGreaterThan(0);
  });

  it("refuses an ID token carrying another nonce than this sign-in's (OIDC_NONCE_MISMATCH)", async () => {
    const before = await userCount();
    const { jar, authUrl } = await start();
    // an attacker's authorization request: this sign-in's state and PKCE challenge, their own nonce
    const forged = new URL(authUrl);
    forged.searchParams.set('nonce', 'attacker-nonce');
    const r = await callback(jar, await loginAtProvider(forged.href, 'sub-hung-002'));
    expect(r.error).toBe('OIDC_NONCE_MISMATCH');
    expect(r.session).toBeUndefined();
    expect(await userCount()).toBe(before);
    expect((await refusals('OIDC_NONCE_MISMATCH')).length).toBeGreaterThan(0);
  });

  it("refuses an answer from another issuer: the iss parameter (mix-up) and the ID token's iss (OIDC_ISSUER_MISMATCH)", async () => {
    const before = await userCount();
    {
      const { jar, authUrl } = await start();
      const cb = new URL(await loginAtProvider(authUrl, 'sub-hung-002'));
      expect(cb.searchParams.get('iss')).toBe(op.issuer); // RFC 9207: the provider names itself
      cb.searchParams.set('iss', 'https://evil.example');
      const r = await callback(jar, cb.href);
      expect(r.error).toBe('OIDC_ISSUER_MISMATCH');
      expect(r.session).toBeUndefined();
    }
    {
      op.tamper = { iss: 'https://evil.example' };
      const { jar, authUrl } = await start();
      const r = await callback(jar, await loginAtProvider(authUrl, 'sub-hung-002'));
      expect(r.error).toBe('OIDC_ISSUER_MISMATCH');
      expect(r.session).toBeUndefined();
    }
    expect(await userCount()).toBe(before);
    expect((await refusals('OIDC_ISSUER_MISMATCH')).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses an ID token issued to another client (OIDC_AUDIENCE_MISMATCH)', async () => {
    const before = await userCount();
    op.tamper = { aud: 'another-client' };
    const { jar, authUrl } = await start();
    const r = await callback(jar, await loginAtProvider(authUrl, 'sub-hung-002'));
    expect(r.error).toBe('OIDC_AUDIENCE_MISMATCH');
    expect(r.session).toBeUndefined();
    expect(await userCount()).toBe(before);
    expect((await refusals('OIDC_AUDIENCE_MISMATCH')).length).toBeGreaterThan(0);
  });

  it('refuses an expired code (OIDC_CODE_REJECTED)', async () => {
    const before = await userCount();
    op.codeTtlSeconds = 1;
    const { jar, authUrl } = await start();
    const cb = await loginAtProvider(authUrl, 'sub-hung-002');
    await new Promise((r) => setTimeout(r, 2500)); // past the code's one second
    const r = await callback(jar, cb);
    expect(r.error).toBe('OIDC_CODE_REJECTED');
    expect(r.session).toBeUndefined();
    expect(await userCount()).toBe(before);
    expect((await refusals('OIDC_CODE_REJECTED')).length).toBeGreaterThan(0);
  });

  it('refuses a callback this browser did not start, and a replayed one (OIDC_FLOW_EXPIRED)', async () => {
    const { jar, authUrl } = await start();
    const cb = await loginAtProvider(authUrl, 'sub-hung-002');
    // another browser (no flow cookie) presents the code: login CSRF / a stolen code
    const stranger = await callback(new CookieJar(), cb);
    expect(stranger.error).toBe('OIDC_FLOW_EXPIRED');
    expect(stranger.session).toBeUndefined();
    // the real browser still completes it, once
    const ok = await callback(jar, cb);
    expect(ok.error).toBeNull();
    const replayJar = new CookieJar();
    replayJar.set('hop_oidc', 'x'.repeat(43));
    expect((await callback(replayJar, cb)).error).toBe('OIDC_FLOW_EXPIRED');
  });

  it('never lets a directory identity take over a local account (DIRECTORY_CONFLICT)', async () => {
    const { jar, authUrl } = await start();
    const r = await callback(jar, await loginAtProvider(authUrl, 'sub-chair-003'));
    expect(r.error).toBe('DIRECTORY_CONFLICT');
    expect(r.session).toBeUndefined();
    const [chair] = await t.app.database.read((q, tt) => q.select().from(tt.users).where(eq(tt.users.username, 'chair')));
    expect(chair?.authSource).toBe('local');
  });

  it("logout ends the app session and sends the browser to the provider's end_session_endpoint with the ID token hint", async () => {
    const jar = await signIn('sub-hung-002');
    const res = await fetch(`${t.url}/api/auth/logout`, { method: 'POST', headers: { cookie: jar.header(), origin: t.url } });
    expect(res.status).toBe(200);
    const { endSessionUrl } = (await res.json()) as { endSessionUrl: string };
    const u = new URL(endSessionUrl);
    expect(u.origin).toBe(op.issuer);
    expect(u.searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect(u.searchParams.get('post_logout_redirect_uri')).toBe(`${t.url}/`);
    expect((await me(jar)).status).toBe(401);
    // a local account's logout is as before
    const local = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'demo1234' }),
    });
    const localJar = new CookieJar();
    localJar.take(local);
    expect(
      (await fetch(`${t.url}/api/auth/logout`, { method: 'POST', headers: { cookie: localJar.header(), origin: t.url } })).status,
    ).toBe(204);
  });

  it('an account the provider no longer accepts loses its sessions at the next re-check; a group change reaches it there', async () => {
    const jar = await signIn('sub-hung-002');
    expect((await me(jar)).user).toMatchObject({ isAdmin: false, position: 'Chuyên viên' });
    // the provider makes him an administrator and changes his position
    op.accounts.set('sub-hung-002', { ...ACCOUNTS['sub-hung-002'], position: 'Phó Chánh Văn phòng', groups: ['hop-admins'] });
    await t.app.recheckDirectory();
    expect((await me(jar)).user).toMatchObject({ isAdmin: true, position: 'Phó Chánh Văn phòng' }); // still accepted, refreshed
    op.accounts.set('sub-hung-002', ACCOUNTS['sub-hung-002']);
    op.accounts.delete('sub-hung-002'); // disabled at the provider
    // a session is asked about at most once per half interval (shared by every process)
    await new Promise((r) => setTimeout(r, 600));
    await t.app.recheckDirectory();
    expect((await me(jar)).status).toBe(401);
    op.accounts.set('sub-hung-002', ACCOUNTS['sub-hung-002']);
  });

  it('a provider that is down: sign-in answers DIRECTORY_UNAVAILABLE, local administrators sign in as ever, OIDC sessions are kept', async () => {
    const jar = await signIn('sub-lan-001');
    const { jar: pending, authUrl } = await start();
    const cb = await loginAtProvider(authUrl, 'sub-hung-002');
    await op.stop();
    // the code cannot be exchanged: not the person's mistake, and nothing changes here
    expect((await callback(pending, cb)).error).toBe('DIRECTORY_UNAVAILABLE');
    const local = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'demo1234' }),
    });
    expect(local.status).toBe(200);
    await new Promise((r) => setTimeout(r, 600));
    await t.app.recheckDirectory();
    expect((await me(jar)).status).toBe(200);

    // a process that never reached the provider (nothing cached): /start says so, local sign-in works
    const fresh = await buildTestApp({ config: { oidc: { ...t.app.config.oidc!, issuer: op.issuer } } });
    try {
      const res = await fresh.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/?signin_error=DIRECTORY_UNAVAILABLE');
      const admin = await fresh.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: 'demo1234' },
      });
      expect(admin.statusCode).toBe(200);
    } finally {
      await fresh.close();
    }
  });
});
