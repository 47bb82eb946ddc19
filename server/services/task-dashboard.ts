// The chair's and the office's dashboard of tasks across meetings (issue 16 item 3): every task of the
// meetings the caller chairs or is secretary of (every meeting for an administrator), overdue first,
// with counts per state and filters by meeting, unit and state. Others get FORBIDDEN (their own tasks
// are in /api/tasks/mine). The rules of a task itself stay in services/tasks.ts.
// The order is made in JS on fully-compared keys (state, deadline, creation, id), never left to the
// database, so SQLite and PostgreSQL show the same list (their NULL placement and collations differ).
import { asc, inArray } from 'drizzle-orm';
import type { Query, Tables } from '../db/store';
import type { Actor } from '../policies/meeting-policy';
import type { Task, TaskDashboard, TaskDashboardFilter } from '../../shared/tasks-api';
import { byDeadline, overseenMeetings, present, todayVn } from './tasks';

const STATE_ORDER = { overdue: 0, todo: 1, in_progress: 1, done: 2 } as const;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byStateThenDeadline = (a: Task, b: Task) =>
  STATE_ORDER[a.state] - STATE_ORDER[b.state] || cmp(a.deadline, b.deadline) || cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id);

export async function taskDashboard(
  q: Query,
  t: Tables,
  actor: Actor & { isAdmin: boolean },
  filter: TaskDashboardFilter,
  now = new Date(),
): Promise<TaskDashboard> {
  const ids = await overseenMeetings(q, t, actor, 'The task dashboard is for chairs, secretaries and administrators');
  const rows = (
    await q
      .select()
      .from(t.tasks)
      .where(ids ? inArray(t.tasks.meetingId, ids) : undefined)
  ).sort(byDeadline);
  const meetingIds = [...new Set(rows.map((r) => r.meetingId))];
  const titles = (
    meetingIds.length === 0
      ? []
      : await q
          .select({ id: t.meetings.id, title: t.meetings.title })
          .from(t.meetings)
          .where(inArray(t.meetings.id, meetingIds))
          .orderBy(asc(t.meetings.id))
  ).sort((a, b) => a.title.localeCompare(b.title, 'vi') || cmp(a.id, b.id));
  const units = [...new Set(rows.map((r) => r.ownerUnit).filter((u): u is string => !!u))].sort((a, b) =>
    a.localeCompare(b, 'vi'),
  );
  // a meeting outside one's oversight filters to nothing rather than revealing whether it exists
  const scoped = await present(
    q,
    t,
    rows.filter((r) => (!filter.meetingId || r.meetingId === filter.meetingId) && (!filter.unit || r.ownerUnit === filter.unit)),
    todayVn(now),
  );
  const counts = { overdue: 0, todo: 0, in_progress: 0, done: 0, total: scoped.length };
  for (const task of scoped) counts[task.state] += 1;
  const shown = scoped.filter((task) => !filter.state || task.state === filter.state).sort(byStateThenDeadline);
  return { tasks: shown, counts, meetings: titles, units };
}
