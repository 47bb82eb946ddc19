// Revocation reaches open sockets (server/realtime/revocation.ts), with real Socket.IO clients on a
// real port: a member removed from a meeting gets none of its events and can send no command or
// ink; a logout, a password reset and a deleted account end the socket with a reason; and a
// session ended behind the process's back (another process, or expiry) is caught by the re-check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { api, command, connect, demoMeeting, httpLogin, join, until, type LiveSocket } from '../helpers/live-client';
import type { MeetingDetail } from '../../shared/api';
import type { InkProgress, InkProgressMessage } from '../../shared/annotations';
import type { SessionEnded } from '../../shared/events';
import { sqlRun } from '../helpers/raw-sql';

let t: TestApp;
let m: MeetingDetail;
let mid: string;
let adminCookie: string;
let chair: LiveSocket;
const sockets: LiveSocket[] = [];
const RECHECK_MS = 300;

beforeAll(async () => {
  t = await buildTestApp({ listen: true, config: { liveSessionRecheckMs: RECHECK_MS } });
  adminCookie = await httpLogin(t.url, 'admin');
  m = await demoMeeting(t.url, adminCookie);
  mid = m.meeting.id;
  chair = await track(await connect(t.url, { cookie: await httpLogin(t.url, 'chair') }));
  await join(chair, mid);
  await command(chair, mid, 'meeting.start', {});
  await command(chair, mid, 'document.show', { documentId: m.documents[0]!.id });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t.close();
});

async function track(s: LiveSocket) {
  sockets.push(s);
  return s;
}

interface Watched {
  socket: LiveSocket;
  ended: SessionEnded[];
  removed: string[];
  ink: InkProgressMessage[];
  disconnected: string[];
}
function watch(socket: LiveSocket): Watched {
  const w: Watched = { socket, ended: [], removed: [], ink: [], disconnected: [] };
  socket.on('session.ended', (e) => w.ended.push(e));
  socket.on('meeting.removed', (e) => w.removed.push(e.meetingId));
  socket.on('ink.progress', (...b) => w.ink.push(...b));
  socket.on('disconnect', (reason) => w.disconnected.push(reason));
  return w;
}
async function member(username: string, cookie?: string): Promise<{ w: Watched; cookie: string }> {
  const c = cookie ?? (await httpLogin(t.url, username));
  const w = watch(await track(await connect(t.url, { cookie: c })));
  const ack = await join(w.socket, mid);
  expect(ack.ok).toBe(true);
  return { w, cookie: c };
}
const inkBatch = (strokeId: string): InkProgress => ({
  meetingId: mid,
  strokeId,
  documentId: m.documents[0]!.id,
  page: 1,
  layer: 'shared',
  tool: 'pen',
  color: '#1d4ed8',
  width: 2,
  from: 0,
  points: [
    [100, 100, 0.5],
    [110, 105, 0.5],
  ],
});
const userId = (username: string) => m.members.find((x) => x.username === username)!.userId;
/** A round trip on `s`: whatever the server sent it before this ack has arrived. */
const barrier = async (s: LiveSocket) => {
  await command(s, mid, 'page.set', { documentId: m.documents[0]!.id, page: 1 });
};

describe('a member removed from a meeting', () => {
  it('gets no further events, and their commands and ink are refused', async () => {
    const { w } = await member('delegate3');
    const chairInk = watch(chair);
    // before: delegate3 receives events and its ink reaches the chair
    const before = await command(chair, mid, 'page.set', { documentId: m.documents[0]!.id, page: 2 });
    await until(() => w.socket.events.some((e) => e.seq === (before as { seq: number }).seq));
    w.socket.emit('ink.progress', inkBatch('before-removal'));
    await until(() => chairInk.ink.some((b) => b.strokeId === 'before-removal'));

    const res = await api(t.url, adminCookie, 'DELETE', `/api/meetings/${mid}/members/${userId('delegate3')}`);
    expect(res.status).toBe(204);
    await until(() => w.removed.includes(mid));

    const after = await command(chair, mid, 'page.set', { documentId: m.documents[0]!.id, page: 3 });
    expect(after.ok).toBe(true);
    w.socket.emit('ink.progress', inkBatch('after-removal'));
    // the removed member's own round trip: refused, and anything sent to it before has arrived
    const refused = await command(w.socket, mid, 'page.set', { documentId: m.documents[0]!.id, page: 2 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await barrier(chair); // after the ink batch was handled: anything relayed to the chair is here
    expect(w.socket.events.some((e) => e.seq === (after as { seq: number }).seq)).toBe(false);
    expect(chairInk.ink.some((b) => b.strokeId === 'after-removal')).toBe(false);
    expect(w.socket.connected).toBe(true); // still logged in: only this meeting is gone
  });
});

describe('a changed role or administrator flag', () => {
  it('a secretary made a participant no longer gets officers-only events', async () => {
    const { w } = await member('secretary');
    const giver = await member('delegate1');
    await member('delegate4');
    const res = await api(t.url, adminCookie, 'POST', `/api/meetings/${mid}/members`, {
      username: 'secretary',
      role: 'participant',
    });
    expect(res.status).toBe(201);
    // a proxy is seen by the two members and the officers only (server/live/visibility.ts)
    const grant = await command(giver.w.socket, mid, 'proxy.grant', { toUserId: userId('delegate4') });
    expect(grant.ok).toBe(true);
    await barrier(w.socket);
    expect(w.socket.events.some((e) => e.seq === (grant as { seq: number }).seq)).toBe(false);
    expect(w.socket.connected).toBe(true);
    await command(giver.w.socket, mid, 'proxy.revoke', {});
    await api(t.url, adminCookie, 'POST', `/api/meetings/${mid}/members`, { username: 'secretary', role: 'secretary' });
  });

  it('an administrator whose rights are taken away loses a meeting they were in only as administrator', async () => {
    const made = await api<{ id: string }>(t.url, adminCookie, 'POST', '/api/users', {
      username: 'quantri2',
      fullName: 'Quản trị 2',
      password: 'mat-khau-qt2',
      isAdmin: true,
    });
    expect(made.status).toBe(201);
    const { w } = await member('quantri2', await httpLogin(t.url, 'quantri2', 'mat-khau-qt2'));
    expect((await api(t.url, adminCookie, 'PATCH', `/api/users/${made.json.id}`, { isAdmin: false })).status).toBe(200);
    await until(() => w.removed.includes(mid));
    const after = await command(chair, mid, 'page.set', { documentId: m.documents[0]!.id, page: 2 });
    const refused = await command(w.socket, mid, 'page.set', { documentId: m.documents[0]!.id, page: 3 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(w.socket.events.some((e) => e.seq === (after as { seq: number }).seq)).toBe(false);
  });
});

describe('sessions ending', () => {
  it("logout disconnects that session's sockets with a reason, not the user's other sessions", async () => {
    const { w, cookie } = await member('delegate1');
    const other = await member('delegate1'); // another device, another session
    expect((await api(t.url, cookie, 'POST', '/api/auth/logout')).status).toBe(204);
    await until(() => w.disconnected.length > 0);
    expect(w.ended).toEqual([{ reason: 'logged-out' }]);
    expect(w.disconnected).toEqual(['io server disconnect']);
    await barrier(other.w.socket);
    expect(other.w.socket.connected).toBe(true);
  });

  it('a password reset by an administrator disconnects every socket of that user', async () => {
    const a = await member('delegate2');
    const b = await member('delegate2');
    const res = await api(t.url, adminCookie, 'PATCH', `/api/users/${userId('delegate2')}`, { password: 'mat-khau-moi-2026' });
    expect(res.status).toBe(200);
    await until(() => a.w.disconnected.length > 0 && b.w.disconnected.length > 0);
    expect(a.w.ended).toEqual([{ reason: 'password-changed' }]);
    expect(b.w.ended).toEqual([{ reason: 'password-changed' }]);
  });

  it('a session ended in the database only (another process) refuses the next command at once, and the socket ends', async () => {
    const { w, cookie } = await member('delegate4');
    const token = /hs_session=([^;]+)/.exec(cookie)![1]!;
    const { createHash } = await import('node:crypto');
    await sqlRun(t.app, 'delete from sessions where id = ?', createHash('sha256').update(token).digest('hex'));
    const refused = await command(w.socket, mid, 'page.set', { documentId: m.documents[0]!.id, page: 3 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    await until(() => w.disconnected.length > 0);
    expect(w.ended).toEqual([{ reason: 'session-ended' }]);
  });

  it('an expired session is found by the periodic re-check: the socket ends without sending anything', async () => {
    const { w, cookie } = await member('delegate5');
    const token = /hs_session=([^;]+)/.exec(cookie)![1]!;
    const { createHash } = await import('node:crypto');
    await sqlRun(
      t.app,
      'update sessions set expires_at = ? where id = ?',
      new Date(Date.now() - 1000).toISOString(),
      createHash('sha256').update(token).digest('hex'),
    );
    await until(() => w.disconnected.length > 0, RECHECK_MS * 20);
    expect(w.ended).toEqual([{ reason: 'session-expired' }]);
  });

  it('a member removed in the database only (another process) stops receiving within the re-check period', async () => {
    const { w } = await member('secretary');
    await sqlRun(t.app, 'delete from meeting_members where meeting_id = ? and user_id = ?', mid, userId('secretary'));
    await until(() => w.removed.includes(mid), RECHECK_MS * 20);
    const chairInk = watch(chair);
    const after = await command(chair, mid, 'page.set', { documentId: m.documents[0]!.id, page: 2 });
    expect(after.ok).toBe(true);
    w.socket.emit('ink.progress', inkBatch('after-db-removal'));
    await command(w.socket, mid, 'page.set', { documentId: m.documents[0]!.id, page: 3 }); // its own round trip
    await barrier(chair);
    expect(w.socket.events.some((e) => e.seq === (after as { seq: number }).seq)).toBe(false);
    expect(chairInk.ink.some((b) => b.strokeId === 'after-db-removal')).toBe(false);
  });
});
