// The week view (lịch công tác tuần, issue 15): the meetings of one Vietnam week for the caller, with
// their time, place, the caller's reply to the giấy mời and the invitation's state. Replies live on
// each meeting's log; only meetings still before their start are folded for them (the state is
// cached by the runtime), so a week of ended meetings never loads their logs.
import { and, desc, eq, gte, isNotNull, lt } from 'drizzle-orm';
import type { Query, Tables } from '../db/store';
import type { users } from '../db/schema';
import { AppError } from '../errors';
import type { MeetingRuntime } from '../live/meeting-runtime';
import { mayViewUnitWeek, unitScheduleIncludes } from '../policies/week-policy';
import {
  addDays,
  isRealDate,
  vnDateOf,
  weekRange,
  weekStartOf,
  type WeekMeeting,
  type WeekQuery,
  type WeekView,
} from '../../shared/week-api';

type Viewer = typeof users.$inferSelect;

export async function weekSchedule(
  q: Query,
  t: Tables,
  runtime: MeetingRuntime,
  viewer: Viewer,
  query: WeekQuery,
  now = new Date(),
): Promise<WeekView> {
  const { meetings, meetingMembers, invitations } = t;
  const scope = query.scope ?? 'mine';
  const unitAllowed = mayViewUnitWeek(viewer);
  if (scope === 'unit' && !unitAllowed)
    throw new AppError('FORBIDDEN', 'The unit’s week is for the office (an administrator, or an organiser of the unit)');
  if (query.date !== undefined && !isRealDate(query.date)) throw new AppError('INVALID', 'Not a calendar date');
  const today = vnDateOf(now);
  const weekStart = weekStartOf(query.date ?? today);
  const { from, to } = weekRange(weekStart);
  const fromMs = Date.parse(from),
    toMs = Date.parse(to);

  // A wide string window on the stored text (any ISO form starts with its date), then the exact
  // instants in JS. The comparison gives the same answer on SQLite (bytes) and on PostgreSQL under
  // any collation: both sides begin with the fixed-width digits YYYY-MM-DD, which every collation
  // orders as numbers, and a bound is a bare date, so the time part only ever makes a string longer.
  // tests/integration/meetings-dialects.test.ts checks it on both, with a non-C collation on pg.
  const rows = (
    await q
      .select({ m: meetings, role: meetingMembers.role })
      .from(meetings)
      .leftJoin(meetingMembers, and(eq(meetingMembers.meetingId, meetings.id), eq(meetingMembers.userId, viewer.id)))
      .where(
        and(
          isNotNull(meetings.startsAt),
          gte(meetings.startsAt, addDays(weekStart, -2)),
          lt(meetings.startsAt, addDays(weekStart, 9)),
        ),
      )
      .orderBy(meetings.startsAt, meetings.id)
  )
    .filter((r) => {
      const at = Date.parse(r.m.startsAt!);
      return at >= fromMs && at < toMs;
    })
    .filter((r) => (scope === 'mine' ? r.role !== null : r.role !== null || unitScheduleIncludes(viewer, r.m.organization)));

  const latestOf = async (meetingId: string) =>
    (
      await q.select().from(invitations).where(eq(invitations.meetingId, meetingId)).orderBy(desc(invitations.version)).limit(1)
    )[0];
  const withLatest = await Promise.all(
    rows.map(async (r) => {
      const latest = await latestOf(r.m.id);
      // the replies live in the meeting's state (caught up from the log)
      const state = r.role !== null && latest && r.m.status === 'scheduled' ? await runtime.current(r.m.id) : null;
      return { ...r, latest, state };
    }),
  );
  const list: WeekMeeting[] = withLatest
    .map(({ m, role, latest, state }) => {
      let myReply: WeekMeeting['myReply'] = null;
      if (state) {
        if (state.proxies[viewer.id] !== undefined) myReply = 'proxy';
        else myReply = state.invitation.replies[viewer.id]?.status ?? null;
      }
      return {
        id: m.id,
        title: m.title,
        status: m.status,
        startsAt: new Date(m.startsAt!).toISOString(),
        date: vnDateOf(m.startsAt!),
        location: m.location,
        organization: m.organization,
        role,
        canOpen: role !== null || viewer.isAdmin,
        myReply,
        invitation: latest
          ? {
              version: latest.version,
              number: latest.number,
              issuedAt: latest.issuedAt,
              changedSinceIssue:
                latest.startsAt !== (m.startsAt ?? '') || latest.location !== (m.location ?? '') || latest.title !== m.title,
            }
          : null,
      };
    })
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.title.localeCompare(b.title, 'vi'));

  return {
    scope,
    weekStart,
    today,
    mayViewUnit: unitAllowed,
    meetings: list,
    days: Array.from({ length: 7 }, (_, i) => addDays(weekStart, i)),
  };
}
