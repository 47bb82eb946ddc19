// The chair's and the office's dashboard of tasks across meetings (issue 16 item 3): every task of the
// meetings the caller chairs or is secretary of (every meeting for an administrator), overdue first,
// with counts per state and filters by meeting, unit and state. Others get FORBIDDEN (their own tasks
// are in /api/tasks/mine). The rules of a task itself stay in services/tasks.ts.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { meetingMembers, meetings, tasks } from '../db/schema';
import { AppError } from '../errors';
import type { Actor } from '../policies/meeting-policy';
import type { TaskDashboard, TaskDashboardFilter } from '../../shared/tasks-api';
import { present, todayVn } from './tasks';

/** The meetings whose tasks the caller oversees; null = all (an administrator). */
function overseenMeetings(db: Db, actor: Actor & { isAdmin: boolean }): string[] | null {
  if (actor.isAdmin) return null;
  const ids = db
    .select({ m: meetingMembers.meetingId })
    .from(meetingMembers)
    .where(and(eq(meetingMembers.userId, actor.id), inArray(meetingMembers.role, ['chair', 'secretary'])))
    .all()
    .map((r) => r.m);
  if (ids.length === 0) throw new AppError('FORBIDDEN', 'The task dashboard is for chairs, secretaries and administrators');
  return ids;
}

const STATE_ORDER = { overdue: 0, todo: 1, in_progress: 1, done: 2 } as const;

export function taskDashboard(db: Db, actor: Actor & { isAdmin: boolean }, filter: TaskDashboardFilter): TaskDashboard {
  const ids = overseenMeetings(db, actor);
  const rows = db
    .select()
    .from(tasks)
    .where(ids ? inArray(tasks.meetingId, ids) : undefined)
    .orderBy(asc(tasks.deadline), asc(tasks.createdAt))
    .all();
  const meetingIds = [...new Set(rows.map((r) => r.meetingId))];
  const titles =
    meetingIds.length === 0
      ? []
      : db
          .select({ id: meetings.id, title: meetings.title })
          .from(meetings)
          .where(inArray(meetings.id, meetingIds))
          .orderBy(asc(meetings.title))
          .all();
  const units = [...new Set(rows.map((r) => r.ownerUnit).filter((u): u is string => !!u))].sort((a, b) =>
    a.localeCompare(b, 'vi'),
  );
  // a meeting outside one's oversight filters to nothing rather than revealing whether it exists
  const scoped = present(
    db,
    rows.filter((r) => (!filter.meetingId || r.meetingId === filter.meetingId) && (!filter.unit || r.ownerUnit === filter.unit)),
    todayVn(),
  );
  const counts = { overdue: 0, todo: 0, in_progress: 0, done: 0, total: scoped.length };
  for (const t of scoped) counts[t.state] += 1;
  const shown = scoped
    .filter((t) => !filter.state || t.state === filter.state)
    .sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.deadline.localeCompare(b.deadline));
  return { tasks: shown, counts, meetings: titles, units };
}
