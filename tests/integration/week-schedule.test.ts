// The week view (lịch công tác tuần, issue 15) on the real app: the meetings of one Monday–Sunday
// week in Vietnam time for the caller (only their own), with their reply and the giấy mời's state;
// the office's view of the unit for an administrator and an organiser of that unit, refused to others;
// bad dates refused with a code.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session, type Session } from '../helpers/http';
import type { WeekView } from '../../shared/week-api';
import { weekStartOf, addDays, vnDateOf } from '../../shared/week-api';

let t: TestApp;
const s = {} as Record<'admin' | 'chair' | 'secretary' | 'd1' | 'd2', Session>;
const ids = {} as Record<'mon' | 'fri' | 'nextMon' | 'other', string>;

/** An account's row, through the Store (either database). */
const userRow = (username: string) =>
  t.app.database.read(async (q, tt) => (await q.select().from(tt.users).where(eq(tt.users.username, username)))[0]!);
const asUser = async (username: string) => {
  const u = await userRow(username);
  return { kind: 'user' as const, user: { id: u.id, isAdmin: u.isAdmin, username: u.username } };
};
const week = async (who: Session, q = 'date=2026-12-09') => {
  const r = await who.get(`/api/me/week?${q}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as WeekView;
};
const make = async (who: Session, body: Record<string, unknown>, members: string[] = []) => {
  const r = await who.post('/api/meetings', body);
  expect(r.statusCode, r.body).toBe(201);
  const id = r.json().id as string;
  for (const username of members)
    expect((await who.post(`/api/meetings/${id}/members`, { username, role: 'participant' })).statusCode).toBe(201);
  return id;
};

beforeAll(async () => {
  t = await buildTestApp();
  for (const [k, u] of [
    ['admin', 'admin'],
    ['chair', 'chair'],
    ['secretary', 'secretary'],
    ['d1', 'delegate1'],
    ['d2', 'delegate2'],
  ] as const)
    s[k] = await session(t.app, u);
  // Monday 7 December 2026, 00:30 in Hà Nội is still Sunday in UTC: it belongs to this week
  ids.mon = await make(
    s.secretary,
    { title: 'Giao ban đầu tuần', startsAt: '2026-12-06T17:30:00.000Z', location: 'Phòng 201', organization: 'Văn phòng' },
    ['delegate1'],
  );
  ids.fri = await make(
    s.secretary,
    {
      title: 'Họp chuyên đề chuyển đổi số',
      startsAt: '2026-12-11T07:00:00.000Z',
      location: 'Hội trường A',
      organization: 'Văn phòng',
    },
    ['delegate1', 'delegate2'],
  );
  // Monday 14 December 00:00 in Hà Nội (Sunday 17:00 UTC): next week
  ids.nextMon = await make(
    s.secretary,
    { title: 'Giao ban tuần sau', startsAt: '2026-12-13T17:00:00.000Z', location: 'Phòng 201', organization: 'Văn phòng' },
    ['delegate1'],
  );
  // the chair's meeting of the same unit, which the secretary and delegate1 are not in
  ids.other = await make(
    s.chair,
    {
      title: 'Họp riêng của lãnh đạo',
      startsAt: '2026-12-08T02:00:00.000Z',
      location: 'Phòng lãnh đạo',
      organization: 'Văn phòng',
      creatorRole: 'chair',
    },
    ['delegate2'],
  );
});
afterAll(async () => {
  await t.close();
});

describe('the week, Monday to Sunday in Vietnam time', () => {
  it('pure date helpers: the Monday of a week, Vietnam dates across midnight UTC', () => {
    expect(weekStartOf('2026-12-09')).toBe('2026-12-07');
    expect(weekStartOf('2026-12-13')).toBe('2026-12-07'); // Sunday
    expect(weekStartOf('2026-12-07')).toBe('2026-12-07');
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(vnDateOf('2026-12-06T17:30:00.000Z')).toBe('2026-12-07');
  });

  it('a member sees only their meetings of that week, in time order, each in its Vietnam day', async () => {
    const w = await week(s.d1);
    expect(w).toMatchObject({ scope: 'mine', weekStart: '2026-12-07', mayViewUnit: false });
    expect(w.days).toEqual(['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13']);
    expect(w.meetings.map((m) => [m.id, m.date])).toEqual([
      [ids.mon, '2026-12-07'],
      [ids.fri, '2026-12-11'],
    ]);
    expect(w.meetings[0]).toMatchObject({
      role: 'participant',
      canOpen: true,
      myReply: null,
      invitation: null,
      location: 'Phòng 201',
    });
    const next = await week(s.d1, 'date=2026-12-14');
    expect(next.meetings.map((m) => m.id)).toEqual([ids.nextMon]);
    // delegate2 is in the chair's meeting and the Friday one, not the Monday one
    expect((await week(s.d2)).meetings.map((m) => m.id)).toEqual([ids.other, ids.fri]);
  });

  it('without a date: the current week', async () => {
    const w = await week(s.d1, '');
    expect(w.weekStart).toBe(weekStartOf(w.today));
    expect(w.days).toContain(w.today);
  });

  it('shows my reply to the giấy mời and the invitation state', async () => {
    const issued = await s.secretary.post(`/api/meetings/${ids.fri}/invitations`, { number: '21/GM-VP' });
    expect(issued.statusCode, issued.body).toBe(201);
    expect(
      (
        await t.app.live.execute(await asUser('delegate1'), {
          id: 'wk-absent',
          meetingId: ids.fri,
          type: 'invitation.reply',
          payload: { status: 'absent', reason: 'Đi công tác' },
        })
      ).event,
    ).toBeTruthy();
    const fri = (await week(s.d1)).meetings.find((m) => m.id === ids.fri)!;
    expect(fri).toMatchObject({ myReply: 'absent', invitation: { version: 1, number: '21/GM-VP', changedSinceIssue: false } });
    expect((await week(s.d2)).meetings.find((m) => m.id === ids.fri)!.myReply).toBeNull();
    // the place changes: the change notice goes out by itself, the week shows version 2
    expect((await s.secretary.patch(`/api/meetings/${ids.fri}`, { location: 'Hội trường B' })).statusCode).toBe(200);
    const after = (await week(s.d1)).meetings.find((m) => m.id === ids.fri)!;
    expect(after).toMatchObject({ location: 'Hội trường B', invitation: { version: 2, changedSinceIssue: false } });
  });
});

describe("the office's view of the unit", () => {
  it('is refused to a member, and to an organiser with no unit', async () => {
    for (const who of [s.d1, s.secretary]) {
      const r = await who.get('/api/me/week?date=2026-12-09&scope=unit');
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('FORBIDDEN');
    }
  });

  it("an organiser of the unit sees the unit's meetings, the ones not theirs listed but not to open", async () => {
    const sec = await userRow('secretary');
    expect((await s.admin.patch(`/api/users/${sec.id}`, { unit: 'Văn phòng' })).statusCode).toBe(200);
    const w = await week(s.secretary, 'date=2026-12-09&scope=unit');
    expect(w).toMatchObject({ scope: 'unit', mayViewUnit: true });
    expect(w.meetings.map((m) => m.id)).toEqual([ids.mon, ids.other, ids.fri]);
    const other = w.meetings.find((m) => m.id === ids.other)!;
    expect(other).toMatchObject({ role: null, canOpen: false, myReply: null });
    // listing it opens nothing: the meeting itself is still not found for her
    expect((await s.secretary.get(`/api/meetings/${ids.other}`)).statusCode).toBe(404);
    // her own week is still only hers
    expect((await week(s.secretary)).meetings.map((m) => m.id)).toEqual([ids.mon, ids.fri]);
  });

  it('an administrator sees every meeting of the week and may open them', async () => {
    const w = await week(s.admin, 'date=2026-12-09&scope=unit');
    expect(w.meetings.map((m) => m.id)).toEqual(expect.arrayContaining([ids.mon, ids.other, ids.fri]));
    expect(w.meetings.map((m) => m.id)).not.toContain(ids.nextMon);
    expect(w.meetings.every((m) => m.canOpen)).toBe(true);
  });
});

describe('bad input', () => {
  it('an impossible date, a malformed one, an unknown scope or parameter: 400 INVALID', async () => {
    for (const q of ['date=2026-02-30', 'date=9-12-2026', 'date=2026-12-09T00:00', 'scope=all', 'week=2026-12-07', 'date=']) {
      const r = await s.d1.get(`/api/me/week?${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.json().error.code, q).toBe('INVALID');
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/me/week' })).statusCode).toBe(401);
  });
});
