// Refusals: a participant's chair commands (FORBIDDEN, nothing changes), malformed payloads
// (INVALID), non-members (cannot join), the read-only room screen, and idempotent retries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import {
  api,
  barrier,
  command,
  connect,
  demoMeeting,
  httpLogin,
  join,
  rawCommand,
  until,
  type LiveSocket,
} from '../helpers/live-client';
import type { MeetingDetail } from '../../shared/api';
import { PROTOCOL_VERSION } from '../../shared/events';
import type { EventLog, TokenLink } from '../../shared/live-api';

let t: TestApp;
let m: MeetingDetail;
let mid: string;
let chair: LiveSocket;
let delegate: LiveSocket;
let chairCookie: string;
const sockets: LiveSocket[] = [];
const docId = () => m.documents[0]!.id;

beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  chairCookie = await httpLogin(t.url, 'chair');
  m = await demoMeeting(t.url, chairCookie);
  mid = m.meeting.id;
  chair = await connect(t.url, { cookie: chairCookie });
  delegate = await connect(t.url, { cookie: await httpLogin(t.url, 'delegate1') });
  sockets.push(chair, delegate);
  await join(chair, mid);
  await join(delegate, mid);
  await command(chair, mid, 'meeting.start', {});
  await command(chair, mid, 'document.show', { documentId: docId() });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t.close();
});

describe('refused commands', () => {
  it("a participant's chair commands are FORBIDDEN and change nothing, and nothing is broadcast", async () => {
    const before = t.app.live.runtime.state(mid);
    const seen = chair.events.length;
    const tries = [
      command(delegate, mid, 'page.set', { documentId: docId(), page: 3 }),
      command(delegate, mid, 'agenda.open', { itemId: m.agenda[0]!.id }),
      command(delegate, mid, 'document.show', { documentId: docId() }),
      command(delegate, mid, 'meeting.end', {}),
      command(delegate, mid, 'meeting.pause', {}),
      command(delegate, mid, 'presenter.set', { userId: null }),
      command(delegate, mid, 'attendance.mark', { userId: m.members[0]!.userId, status: 'absent' }),
    ];
    for (const ack of await Promise.all(tries)) expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(t.app.live.runtime.state(mid)).toBe(before);
    await barrier(chair);
    expect(chair.events.length).toBe(seen);
    const log = await api<EventLog>(t.url, chairCookie, 'GET', `/api/meetings/${mid}/events`);
    expect(log.json.events.at(-1)?.seq).toBe(before.lastSeq);
  });

  it('malformed payloads and envelopes are INVALID', async () => {
    const bad = [
      command(chair, mid, 'page.set', { documentId: docId(), page: 'x' }),
      command(chair, mid, 'page.set', { documentId: docId(), page: 0 }),
      command(chair, mid, 'page.set', { documentId: docId(), page: 1, extra: true }),
      command(chair, mid, 'page.set', { documentId: docId(), page: 999 }), // past the end of the document
      command(chair, mid, 'attendance.mark', { userId: m.members[0]!.userId, status: 'asleep' }),
      command(chair, mid, 'attendance.mark', { userId: m.members[0]!.userId, status: 'absent', reason: 'x'.repeat(501) }),
      rawCommand(chair, 'not an object'),
      rawCommand(chair, { id: 'x', meetingId: mid, type: 'no.such', payload: {} }),
      rawCommand(chair, { meetingId: mid, type: 'page.set', payload: { documentId: docId(), page: 1 } }),
    ];
    for (const ack of await Promise.all(bad)) expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    expect(await command(chair, mid, 'agenda.open', { itemId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('commands that make no sense now are refused with CONFLICT', async () => {
    expect(await command(chair, mid, 'meeting.start', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await command(chair, mid, 'meeting.resume', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('a non-member cannot join the room, nor send commands to it, nor read its log', async () => {
    const admin = await httpLogin(t.url, 'admin');
    const other = await api<{ id: string }>(t.url, admin, 'POST', '/api/meetings', { title: 'Họp riêng' });
    const ack = await join(delegate, other.json.id);
    expect(ack).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await command(delegate, other.json.id, 'attendance.checkIn', {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const d3 = await httpLogin(t.url, 'delegate3');
    expect((await api(t.url, d3, 'GET', `/api/meetings/${mid}/events`)).status).toBe(403);
    expect((await api(t.url, d3, 'GET', `/api/meetings/${other.json.id}/events`)).status).toBe(404);
  });

  it('a socket without a session, or from another origin, is refused at the handshake', async () => {
    await expect(connect(t.url)).rejects.toThrow(/log in/i);
    await expect(connect(t.url, { cookie: 'hs_session=forged' })).rejects.toThrow();
    await expect(connect(t.url, { cookie: chairCookie, auth: { protocol: 999 } })).rejects.toThrow(/protocol/i);
    await expect(connect(t.url, { cookie: chairCookie, origin: 'https://evil.example' })).rejects.toThrow();
    const ok = await connect(t.url, { cookie: chairCookie, origin: t.url, auth: { protocol: PROTOCOL_VERSION } });
    ok.close();
  });

  it('a repeated command id gives one event and the same seq', async () => {
    const before = chair.events.length;
    const a1 = await command(chair, mid, 'page.set', { documentId: docId(), page: 2 }, 'dup-1');
    const a2 = await command(chair, mid, 'page.set', { documentId: docId(), page: 2 }, 'dup-1');
    expect(a1.ok && a2.ok && a1.seq === a2.seq).toBe(true);
    await barrier(chair);
    expect(chair.events.length).toBe(before + 1);
    // the same id from another sender is that sender's own command
    const other = await command(delegate, mid, 'attendance.checkIn', {}, 'dup-1');
    expect(other.ok && a1.ok && other.seq !== a1.seq).toBe(true);
  });

  it('commands beyond the per-socket rate are RATE_LIMITED', async () => {
    const slow = await buildTestApp({ listen: true, config: { liveCommandsPerSecond: 1, liveCommandBurst: 3 } });
    try {
      const cookie = await httpLogin(slow.url, 'chair');
      const mm = await demoMeeting(slow.url, cookie);
      const s = await connect(slow.url, { cookie });
      const acks = await Promise.all(
        Array.from({ length: 5 }, () => command(s, mm.meeting.id, 'presenter.set', { userId: null })),
      );
      expect(acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED')).toHaveLength(2);
      s.close();
    } finally {
      await slow.close();
    }
  });
});

describe('room screen', () => {
  it('joins read-only with a room token: sees public events and presence, its commands are refused', async () => {
    const d2 = await httpLogin(t.url, 'delegate2');
    expect((await api(t.url, d2, 'POST', `/api/meetings/${mid}/room-token`)).status).toBe(403);
    const link = await api<TokenLink>(t.url, chairCookie, 'POST', `/api/meetings/${mid}/room-token`);
    expect(link.status).toBe(201);
    expect(link.json.url).toContain(`/meetings/${mid}/room`);
    const screen = await connect(t.url, { auth: { roomToken: link.json.token } });
    sockets.push(screen);
    const j = await join(screen, mid);
    expect(j).toMatchObject({ ok: true, readOnly: true });
    expect(j).toMatchObject({ snapshot: { follow: { documentId: docId() } } });
    const a = await command(screen, mid, 'page.set', { documentId: docId(), page: 3 });
    expect(a).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const turned = await command(chair, mid, 'page.set', { documentId: docId(), page: 3 });
    await until(() => screen.events.some((e) => turned.ok && e.seq === turned.seq));
    await until(() => screen.presence.length > 0);
    expect(screen.presence.at(-1)!.users.length).toBe(m.members.length);
    // a room token opens only its own meeting
    const admin = await httpLogin(t.url, 'admin');
    const other = await api<{ id: string }>(t.url, admin, 'POST', '/api/meetings', { title: 'Khác' });
    expect(await join(screen, other.json.id)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // and the screen shows the check-in QR
    const tok = await new Promise<unknown>((resolve) => screen.emit('checkin.token', { meetingId: mid }, resolve));
    expect(tok).toMatchObject({ ok: true, url: expect.stringContaining('/checkin?token=') });
    await expect(connect(t.url, { auth: { roomToken: `${link.json.token}x` } })).rejects.toThrow();
  });

  it('presence shows who follows and who browses', async () => {
    delegate.emit('presence.update', { meetingId: mid, following: false, documentId: docId(), page: 4 });
    await until(() => chair.presence.some((p) => p.users.some((u) => u.online && !u.following && u.page === 4)));
  });
});
