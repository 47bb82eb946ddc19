// Editing what was prepared (issue 15): the meeting's title, time, place and unit, and each agenda
// item's title, presenter and duration. Validated, permissioned, nothing stored on a refusal, and
// a `meeting.changed` nudge reaches a real socket joined to the meeting.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session, type Session } from '../helpers/http';
import { connect, httpLogin, join, until, type LiveSocket } from '../helpers/live-client';
import type { MeetingDetail } from '../../shared/api';

let t: TestApp;
let secretary: Session, d1: Session;
let meetingId: string;
let sock: LiveSocket;
const nudges: string[] = [];
/** The meeting's stored row, through the Store (either database), in the columns' SQL names. */
const row = () =>
  t.app.database.read(async (q, tt) => {
    const m = tt.meetings;
    const [r] = await q
      .select({
        title: m.title,
        starts_at: m.startsAt,
        location: m.location,
        organization: m.organization,
        updated_at: m.updatedAt,
      })
      .from(m)
      .where(eq(m.id, meetingId));
    return r;
  });

beforeAll(async () => {
  t = await buildTestApp({ listen: true, config: { textBackfill: false } });
  secretary = await session(t.app, 'secretary');
  d1 = await session(t.app, 'delegate1');
  meetingId = (await secretary.get('/api/meetings')).json()[0].id;
  sock = await connect(t.url, { cookie: await httpLogin(t.url, 'delegate1') });
  sock.on('meeting.changed', (m: { meetingId: string }) => nudges.push(m.meetingId));
  await join(sock, meetingId);
});
afterAll(async () => {
  sock.close();
  await t.close();
});

describe('meeting details', () => {
  it('the secretary changes title, time, place and unit; an open page is nudged', async () => {
    const r = await secretary.patch(`/api/meetings/${meetingId}`, {
      title: '  Họp giao ban tháng 12  ',
      startsAt: '2026-12-20T01:30:00.000Z',
      location: 'Phòng họp số 2',
      organization: 'Sở Nội vụ',
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      title: 'Họp giao ban tháng 12',
      startsAt: '2026-12-20T01:30:00.000Z',
      location: 'Phòng họp số 2',
      organization: 'Sở Nội vụ',
    });
    // the nudge leaves in an onResponse hook, after the answer (later hooks may await the database)
    await until(() => nudges.includes(meetingId));
    const seen = (await d1.get(`/api/meetings/${meetingId}`)).json() as MeetingDetail;
    expect(seen.meeting.title).toBe('Họp giao ban tháng 12');
  });

  it('a member may not; a blank title, a bad date, an unknown field are refused with codes; nothing changes', async () => {
    const before = await row();
    const cases: [Session, unknown, number, string][] = [
      [d1, { title: 'Đổi trộm' }, 403, 'FORBIDDEN'],
      [secretary, { title: '   ' }, 400, 'INVALID'],
      [secretary, { startsAt: 'thứ hai' }, 400, 'INVALID'],
      [secretary, { status: 'ended' }, 400, 'INVALID'],
      [secretary, {}, 400, 'INVALID'],
      [secretary, { location: 'x'.repeat(301) }, 400, 'INVALID'],
    ];
    for (const [who, body, status, code] of cases) {
      const r = await who.patch(`/api/meetings/${meetingId}`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(status);
      expect(r.json().error.code).toBe(code);
    }
    expect(await row()).toEqual(before);
  });

  it('clearing the place stores no place', async () => {
    const r = await secretary.patch(`/api/meetings/${meetingId}`, { location: '  ' });
    expect(r.statusCode).toBe(200);
    expect(r.json().location).toBeNull();
  });
});

describe('agenda items', () => {
  it("title, presenter and duration change; a presenter who is not a member and a member's edit are refused", async () => {
    const m = (await secretary.get(`/api/meetings/${meetingId}`)).json() as MeetingDetail;
    const item = m.agenda[0]!;
    const presenter = m.members.find((x) => x.username === 'delegate2')!;
    const r = await secretary.patch(`/api/meetings/${meetingId}/agenda/${item.id}`, {
      title: 'Báo cáo tháng 12',
      presenterId: presenter.userId,
      durationMinutes: 35,
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ title: 'Báo cáo tháng 12', presenterId: presenter.userId, durationMinutes: 35 });
    const outsider = (
      await (
        await session(t.app, 'admin')
      ).post('/api/users', { username: 'ngoaicuoc', fullName: 'Người Ngoài', password: 'abcdefgh' })
    ).json();
    const bad = await secretary.patch(`/api/meetings/${meetingId}/agenda/${item.id}`, { presenterId: outsider.id });
    expect(bad.statusCode).toBe(400);
    const forbidden = await d1.patch(`/api/meetings/${meetingId}/agenda/${item.id}`, { durationMinutes: 5 });
    expect(forbidden.statusCode).toBe(403);
    const after = (await secretary.get(`/api/meetings/${meetingId}/agenda`)).json()[0];
    expect(after).toMatchObject({ title: 'Báo cáo tháng 12', presenterId: presenter.userId, durationMinutes: 35 });
  });
});
