// Attendance and quorum: officers mark, members check in (app or QR token), quorum follows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { api, barrier, command, connect, demoMeeting, httpLogin, join, type LiveSocket } from '../helpers/live-client';
import { applyEvents, quorumOf, type MeetingState } from '../../shared/meeting-state';
import type { MeetingDetail } from '../../shared/api';
import type { TokenLink } from '../../shared/live-api';

let t: TestApp;
let m: MeetingDetail;
let mid: string;
const sockets: Record<string, LiveSocket> = {};
const cookies: Record<string, string> = {};
const userId = (username: string) => m.members.find((x) => x.username === username)!.userId;

beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  for (const u of ['chair', 'secretary', 'delegate1', 'delegate2', 'delegate3', 'delegate4']) {
    cookies[u] = await httpLogin(t.url, u);
    sockets[u] = await connect(t.url, { cookie: cookies[u] });
  }
  m = await demoMeeting(t.url, cookies.chair!);
  mid = m.meeting.id;
  for (const s of Object.values(sockets)) await join(s, mid);
});
afterAll(async () => {
  for (const s of Object.values(sockets)) s.close();
  await t.close();
});

describe('attendance and quorum', () => {
  it('check-in waits for the meeting to open', async () => {
    expect(await command(sockets.delegate1!, mid, 'attendance.checkIn', {})).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });

  it('officers mark, members check in once, and quorum (more than half of 6 voting members) follows live', async () => {
    const s = sockets.secretary!;
    const j = await join(s, mid);
    if (!j.ok || !j.snapshot) throw new Error('snapshot expected');
    let state: MeetingState = j.snapshot;
    // chair + 5 delegates vote; the secretary does not
    expect(quorumOf(state)).toMatchObject({ members: 6, present: 0, required: 4, reached: false });
    expect(await command(sockets.chair!, mid, 'meeting.start', {})).toMatchObject({ ok: true });
    expect(await command(s, mid, 'attendance.mark', { userId: userId('chair'), status: 'present' })).toMatchObject({ ok: true });
    expect(
      await command(s, mid, 'attendance.mark', { userId: userId('delegate5'), status: 'excused', reason: 'Đi công tác' }),
    ).toMatchObject({ ok: true });
    expect(await command(sockets.chair!, mid, 'attendance.mark', { userId: userId('delegate4'), status: 'late' })).toMatchObject({
      ok: true,
    });
    expect(await command(sockets.delegate1!, mid, 'attendance.checkIn', {})).toMatchObject({ ok: true });
    expect(await command(sockets.delegate1!, mid, 'attendance.checkIn', {})).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(
      await command(sockets.delegate2!, mid, 'attendance.mark', { userId: userId('delegate2'), status: 'present' }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await command(s, mid, 'attendance.mark', { userId: 'not-a-member', status: 'present' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    await barrier(s); // every event broadcast before the acks above has reached s
    state = applyEvents(state, s.events);
    expect(state.attendance[userId('delegate5')]).toMatchObject({ status: 'excused', reason: 'Đi công tác' });
    expect(quorumOf(state)).toMatchObject({ present: 3, required: 4, reached: false });
    expect(t.app.live.quorum(mid)).toEqual(quorumOf(state));

    // QR check-in with the room screen's current code reaches quorum
    const link = await api<TokenLink>(t.url, cookies.secretary!, 'GET', `/api/meetings/${mid}/checkin-token`);
    expect(link.status).toBe(200);
    expect((await api(t.url, cookies.delegate3!, 'GET', `/api/meetings/${mid}/checkin-token`)).status).toBe(403);
    const ack = await command(sockets.delegate2!, mid, 'attendance.checkIn', { token: link.json.token });
    expect(ack).toMatchObject({ ok: true });
    expect(t.app.live.runtime.state(mid).attendance[userId('delegate2')]).toMatchObject({ status: 'present', via: 'qr' });
    expect(t.app.live.quorum(mid)).toMatchObject({ present: 4, required: 4, reached: true });
  });

  it('an expired or forged check-in code is refused and changes nothing', async () => {
    const stale = t.app.live.tokens.checkInToken(mid, Date.now() - 5 * t.config.checkInWindowSeconds * 1000).token;
    const before = t.app.live.runtime.state(mid);
    expect(await command(sockets.delegate3!, mid, 'attendance.checkIn', { token: stale })).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_EXPIRED' },
    });
    expect(await command(sockets.delegate3!, mid, 'attendance.checkIn', { token: '123.forged' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    expect(t.app.live.runtime.state(mid)).toBe(before);
  });

  it('ending the meeting closes check-in and updates the meeting status', async () => {
    expect(await command(sockets.chair!, mid, 'meeting.end', {})).toMatchObject({ ok: true });
    expect(await command(sockets.delegate3!, mid, 'attendance.checkIn', {})).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    const list = await api<{ id: string; status: string }[]>(t.url, cookies.delegate3!, 'GET', '/api/meetings');
    expect(list.json.find((x) => x.id === mid)?.status).toBe('ended');
  });
});
