// Sign-in through LDAP against a real OpenLDAP (Debian slapd, started by tests/helpers/ldap.ts in a
// temp dir on loopback): accounts created on first sign-in with name, unit and position; groups
// mapped to roles; injection in the username escaped; local accounts never taken over; a disabled
// directory account loses its HTTP session and its live socket at the next re-check; and a
// directory that is down locks out nobody local.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attribute, Change, Client } from 'ldapts';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { api, connect, httpLogin, until, type LiveSocket } from '../helpers/live-client';
import {
  LDAP_ADMIN_DN,
  LDAP_ADMIN_GROUP,
  LDAP_ADMIN_PASSWORD,
  LDAP_BASE,
  LDAP_ORGANISER_GROUP,
  LDAP_PEOPLE,
  LDAP_PEOPLE_SEED,
  startLdap,
  type LdapServer,
} from '../helpers/ldap';
import type { MeetingDetail, User } from '../../shared/api';
import { flat, pdftotext, writeTemp } from '../helpers/poppler';
import { scrape, valueOf } from '../helpers/prometheus';
import type { SessionEnded } from '../../shared/events';

const METRICS_TOKEN = 'metrics-token-for-ldap-tests-0123';
let ldap: LdapServer;
let t: TestApp;
const sockets: LiveSocket[] = [];

const ldapLogin = (username: string, password: string) =>
  fetch(`${t.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, provider: 'ldap' }),
  });
const cookieOf = (r: Response) =>
  r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
const me = async (cookie: string) => api<{ user: User }>(t.url, cookie, 'GET', '/api/auth/me');

async function directoryAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ url: ldap.url });
  await c.bind(LDAP_ADMIN_DN, LDAP_ADMIN_PASSWORD);
  try {
    return await fn(c);
  } finally {
    await c.unbind();
  }
}

beforeAll(async () => {
  // a directory person whose username a local demo account already has
  ldap = await startLdap([
    ...LDAP_PEOPLE_SEED,
    { uid: 'chair', password: 'directory-chair-1', cn: 'Người Mạo Danh', unit: 'X', title: 'Y' },
  ]);
  t = await buildTestApp({
    listen: true,
    config: {
      ldap: {
        url: ldap.url,
        bindDn: LDAP_ADMIN_DN,
        bindPassword: LDAP_ADMIN_PASSWORD,
        userBase: LDAP_PEOPLE,
        usernameAttribute: 'uid',
        // an account is enabled while it is an inetOrgPerson not marked disabled
        userFilter: '(&(objectClass=inetOrgPerson)(!(employeeType=disabled)))',
        fullNameAttribute: 'cn',
        unitAttribute: 'ou',
        positionAttribute: 'title',
        mailAttribute: 'mail',
        adminGroupDn: LDAP_ADMIN_GROUP,
        organiserGroupDn: LDAP_ORGANISER_GROUP,
        timeoutMs: 2000,
      },
      directoryRecheckMs: 1000,
      liveSessionRecheckMs: 300,
      metricsToken: METRICS_TOKEN,
    },
  });
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await t?.close();
  await ldap?.close();
});

describe('LDAP sign-in', () => {
  it('the login page is told a directory is configured', async () => {
    expect(await (await fetch(`${t.url}/api/auth/providers`)).json()).toEqual({ local: true, ldap: true, oidc: null });
  });

  it('creates the account on first sign-in with name, unit and position, and maps groups to roles', async () => {
    const r = await ldapLogin('nguyenvana', 'mat-khau-A1');
    expect(r.status).toBe(200);
    const { user } = (await r.json()) as { user: User };
    expect(user).toMatchObject({
      username: 'nguyenvana',
      fullName: 'Nguyễn Văn An',
      unit: 'Sở Tư pháp',
      position: 'Giám đốc',
      authSource: 'ldap',
      isAdmin: true,
      isOrganiser: false,
    });
    const again = await ldapLogin('NguyenVanA', 'mat-khau-A1'); // the directory matches case-insensitively
    expect(again.status).toBe(200);
    expect((await again.json()).user.id).toBe(user.id);

    const b = (await (await ldapLogin('tranthib', 'mat-khau-B2')).json()) as { user: User };
    expect(b.user).toMatchObject({
      fullName: 'Trần Thị Bình',
      unit: 'Văn phòng UBND tỉnh',
      position: 'Chánh Văn phòng',
      isAdmin: false,
      isOrganiser: true,
    });
    const c = (await (await ldapLogin('leminhc', 'mat-khau-C3')).json()) as { user: User };
    expect(c.user).toMatchObject({ isAdmin: false, isOrganiser: false, position: 'Chuyên viên' });

    // administrators see them in the account list, marked as directory accounts
    const admin = await httpLogin(t.url, 'admin');
    const list = await api<User[]>(t.url, admin, 'GET', '/api/users');
    expect(list.json.find((u) => u.username === 'tranthib')).toMatchObject({ authSource: 'ldap', unit: 'Văn phòng UBND tỉnh' });
  });

  it('their chức vụ and đơn vị reach the member list and the minutes (attendance, signature blocks)', async () => {
    const admin = await httpLogin(t.url, 'admin');
    const created = await api<{ id: string }>(t.url, admin, 'POST', '/api/meetings', {
      title: 'Họp giao ban Sở',
      creatorRole: 'chair',
    });
    const mid = created.json.id;
    // the admin made it as chair; the directory people become chair and secretary instead
    const d = await api<MeetingDetail>(t.url, admin, 'GET', `/api/meetings/${mid}`);
    for (const m of d.json.members) await api(t.url, admin, 'DELETE', `/api/meetings/${mid}/members/${m.userId}`);
    expect(
      (await api(t.url, admin, 'POST', `/api/meetings/${mid}/members`, { username: 'nguyenvana', role: 'chair' })).status,
    ).toBe(201);
    expect(
      (await api(t.url, admin, 'POST', `/api/meetings/${mid}/members`, { username: 'leminhc', role: 'secretary' })).status,
    ).toBe(201);
    const members = (await api<MeetingDetail>(t.url, admin, 'GET', `/api/meetings/${mid}`)).json.members;
    expect(members.find((m) => m.username === 'nguyenvana')).toMatchObject({ unit: 'Sở Tư pháp', position: 'Giám đốc' });

    const pdf = await fetch(`${t.url}/api/meetings/${mid}/minutes/preview.pdf`, { headers: { cookie: admin } });
    expect(pdf.status).toBe(200);
    const text = flat(pdftotext(writeTemp(new Uint8Array(await pdf.arrayBuffer()), 'preview.pdf')));
    expect(text).toContain('Chủ trì: Nguyễn Văn An, Giám đốc Sở Tư pháp.');
    expect(text).toContain('Thư ký: Lê Minh Châu, Chuyên viên Sở Nội vụ.');
    // under each printed name in the signature blocks (the two columns come out side by side)
    expect(text).toMatch(/Lê Minh Châu Nguyễn Văn An Chuyên viên Sở Nội vụ Giám đốc Sở Tư pháp/);
  });

  it('refuses a wrong password, an unknown account and an empty password, creating nothing', async () => {
    const admin = await httpLogin(t.url, 'admin');
    const before = (await api<User[]>(t.url, admin, 'GET', '/api/users')).json.length;
    const wrong = await ldapLogin('leminhc', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('BAD_CREDENTIALS');
    expect((await ldapLogin('nobody', 'whatever-1')).status).toBe(401);
    expect((await ldapLogin('leminhc', '')).status).toBe(400);
    expect((await api<User[]>(t.url, admin, 'GET', '/api/users')).json.length).toBe(before);
  });

  it('escapes the username: filter syntax matches nobody', async () => {
    // unescaped, "nguyenvan*" would match exactly nguyenvana and his password would sign it in;
    // the others would widen or break the filter
    for (const username of ['nguyenvan*', '*', 'nguyenvana)(uid=*', '*)(|(uid=*', 'nguyenvana\\', 'x)(objectClass=*']) {
      const r = await ldapLogin(username, 'mat-khau-A1');
      expect(r.status, username).toBe(401);
      expect((await r.json()).error.code).toBe('BAD_CREDENTIALS');
    }
  });

  it('never takes over a local account with the same username, and directory accounts have no local password', async () => {
    const r = await ldapLogin('chair', 'directory-chair-1');
    expect(r.status).toBe(409);
    expect((await r.json()).error.code).toBe('DIRECTORY_CONFLICT');
    const local = await httpLogin(t.url, 'chair'); // the local chair is untouched
    expect((await me(local)).json.user).toMatchObject({ authSource: 'local', fullName: expect.not.stringContaining('Mạo Danh') });
    // a directory account cannot sign in as a local one, whatever password is tried
    for (const password of ['mat-khau-B2', '!directory', 'demo1234']) {
      const l = await fetch(`${t.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'tranthib', password }),
      });
      expect(l.status).toBe(401);
    }
  });

  it('reads the e-mail from the directory (mail); the fields the directory owns and a password are refused to administrators', async () => {
    const { user } = (await (await ldapLogin('nguyenvana', 'mat-khau-A1')).json()) as { user: User };
    const admin = await httpLogin(t.url, 'admin');
    type Listed = User & { email: string | null };
    const listed = (await api<Listed[]>(t.url, admin, 'GET', '/api/users')).json;
    expect(listed.find((u) => u.id === user.id)).toMatchObject({
      authSource: 'ldap',
      email: 'an.nv@stp.example.vn',
      unit: 'Sở Tư pháp',
      position: 'Giám đốc',
    });
    // no mail attribute in the directory: no address
    expect(listed.find((u) => u.username === 'tranthib')?.email ?? null).toBeNull();

    for (const body of [
      { fullName: 'Tên Khác' },
      { unit: 'Sở Khác' },
      { position: 'Khác' },
      { email: 'khac@example.vn' },
      { isAdmin: false },
    ]) {
      const r = await api<{ error: { code: string } }>(t.url, admin, 'PATCH', `/api/users/${user.id}`, body);
      expect(r.status, JSON.stringify(body)).toBe(409);
      expect(r.json.error.code).toBe('DIRECTORY_OWNED');
    }
    const pw = await api<{ error: { code: string } }>(t.url, admin, 'PATCH', `/api/users/${user.id}`, {
      password: 'mat-khau-moi-1',
    });
    expect(pw.status).toBe(409);
    expect(pw.json.error.code).toBe('DIRECTORY_PASSWORD');
    // nothing changed, and the directory person still signs in with the directory's password only
    expect((await api<Listed[]>(t.url, admin, 'GET', '/api/users')).json.find((u) => u.id === user.id)).toMatchObject({
      fullName: 'Nguyễn Văn An',
      email: 'an.nv@stp.example.vn',
      isAdmin: true,
    });
    expect(
      (
        await fetch(`${t.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'nguyenvana', password: 'mat-khau-moi-1' }),
        })
      ).status,
    ).toBe(401);
    // both roles are mapped to directory groups in this configuration: the organiser flag is the directory's too
    const other = listed.find((u) => u.username === 'tranthib')!;
    expect((await api(t.url, admin, 'PATCH', `/api/users/${other.id}`, { isOrganiser: false })).status).toBe(409);
  });

  it('a group change reaches the account at the next re-check', async () => {
    const cookie = cookieOf(await ldapLogin('nguyenvana', 'mat-khau-A1'));
    expect((await me(cookie)).json.user.isAdmin).toBe(true);
    await directoryAdmin((c) =>
      c.modify(
        LDAP_ADMIN_GROUP,
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'member', values: [`uid=leminhc,${LDAP_PEOPLE}`] }),
        }),
      ),
    );
    await t.app.recheckDirectory();
    expect((await me(cookie)).json.user.isAdmin).toBe(false);
    expect((await api(t.url, cookie, 'GET', '/api/users')).status).toBe(403);
  });

  it('a disabled directory account loses its session and its live socket within the check interval', async () => {
    const r = await ldapLogin('tranthib', 'mat-khau-B2');
    const cookie = cookieOf(r);
    const socket = await connect(t.url, { cookie });
    sockets.push(socket);
    const ended: SessionEnded[] = [];
    socket.on('session.ended', (e) => ended.push(e));
    expect((await me(cookie)).status).toBe(200);

    await directoryAdmin((c) =>
      c.modify(
        `uid=tranthib,${LDAP_PEOPLE}`,
        new Change({
          operation: 'add',
          modification: new Attribute({ type: 'employeeType', values: ['disabled'] }),
        }),
      ),
    );
    // the timer (DIRECTORY_RECHECK_SECONDS = 1 here), not a direct call
    await until(() => ended.length > 0, 15_000);
    expect(ended[0]!.reason).toBe('account-disabled');
    expect((await me(cookie)).status).toBe(401);
    const again = await ldapLogin('tranthib', 'mat-khau-B2');
    expect(again.status).toBe(401);
    // others signed in through the directory keep theirs
    const c = cookieOf(await ldapLogin('leminhc', 'mat-khau-C3'));
    await t.app.recheckDirectory();
    expect((await me(c)).status).toBe(200);
  });

  it('a directory that is down locks out no local account and ends no directory session', async () => {
    const dirCookie = cookieOf(await ldapLogin('leminhc', 'mat-khau-C3'));
    await ldap.stop();
    try {
      const r = await ldapLogin('leminhc', 'mat-khau-C3');
      expect(r.status).toBe(503);
      expect((await r.json()).error.code).toBe('DIRECTORY_UNAVAILABLE');
      // the local administrator signs in as ever
      const admin = await httpLogin(t.url, 'admin');
      expect((await me(admin)).json.user.isAdmin).toBe(true);
      await t.app.recheckDirectory();
      expect((await me(dirCookie)).status).toBe(200);
      // failed directory calls are not counted against the person (no throttle built up)
      for (let i = 0; i < 5; i++) expect((await ldapLogin('leminhc', 'mat-khau-C3')).status).toBe(503);
    } finally {
      await ldap.start();
    }
    expect((await ldapLogin('leminhc', 'mat-khau-C3')).status).toBe(200);
    // and Prometheus saw it all
    const m = await scrape(t.url, METRICS_TOKEN);
    expect(valueOf(m, 'hopso_logins_total', { provider: 'ldap', outcome: 'DIRECTORY_UNAVAILABLE' })).toBe(6);
    expect(valueOf(m, 'hopso_logins_total', { provider: 'ldap', outcome: 'ok' })).toBeGreaterThanOrEqual(5);
    expect(valueOf(m, 'hopso_logins_total', { provider: 'ldap', outcome: 'BAD_CREDENTIALS' })).toBeGreaterThanOrEqual(8);
    expect(valueOf(m, 'hopso_logins_total', { provider: 'local', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
  });

  it('a server without a directory refuses provider ldap with a clear code', async () => {
    const plain = await buildTestApp({ listen: true });
    try {
      expect(await (await fetch(`${plain.url}/api/auth/providers`)).json()).toEqual({ local: true, ldap: false, oidc: null });
      const r = await fetch(`${plain.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'demo1234', provider: 'ldap' }),
      });
      expect(r.status).toBe(400);
      expect((await r.json()).error.code).toBe('INVALID');
    } finally {
      await plain.close();
    }
  });
});

void LDAP_BASE;
