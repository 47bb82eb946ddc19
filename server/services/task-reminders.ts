// Owners are notified before a task's deadline (issue 16 item 3): a pass (the scheduler's
// 'task-reminders' job) every TASK_REMINDER_POLL_SECONDS finds the tasks not done whose deadline is within TASK_REMINDER_DAYS
// (or already past) and whose owner was not reminded yet, notifies each owner once, and marks the
// task (`reminded_at`; a new owner or deadline clears it, services/tasks.updateTask). The one call to
// the notification service is `notifyTaskOwner`.
// Once across processes: the mark is set by one conditional UPDATE … RETURNING (claimDueTasks), so two
// passes at the same moment (two processes) claim disjoint tasks; the notifications are stored in the
// same transaction and pushed after its commit.
import { and, isNotNull, isNull, lte, ne } from 'drizzle-orm';
import type { Query, Store, Tables } from '../db/store';
import { nowIso } from '../ids';
import type { NotificationService, Staged } from '../notifications/notification-service';
import { byDeadline, todayVn, type TaskRow } from './tasks';

/** The one place tasks talk to the notification service (inside the caller's write). */
export function notifyTaskOwner(
  tx: Query,
  t: Tables,
  notifications: NotificationService,
  task: TaskRow,
  kind: 'task.assigned' | 'task.due',
): Promise<Staged> {
  return notifications.stage(tx, t, {
    userIds: task.ownerId ? [task.ownerId] : [],
    kind,
    meetingId: task.meetingId,
    params: { title: task.title, deadline: task.deadline },
    link: `/tasks/${task.id}`,
  });
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Marks as reminded every task not done, with an owner, not reminded yet and due by `lastDay`, and
 * returns them (by deadline): one statement, so a concurrent pass cannot claim the same task.
 */
export async function claimDueTasks(tx: Query, t: Tables, lastDay: string, at = nowIso()): Promise<TaskRow[]> {
  const claimed = await tx
    .update(t.tasks)
    .set({ remindedAt: at })
    .where(
      and(ne(t.tasks.status, 'done'), isNull(t.tasks.remindedAt), isNotNull(t.tasks.ownerId), lte(t.tasks.deadline, lastDay)),
    )
    .returning();
  return claimed.sort(byDeadline);
}

/** One pass: reminds the owners of the tasks due within `days` days. Returns how many were reminded. */
export async function remindDueTasks(
  store: Store,
  notifications: NotificationService,
  days: number,
  now = new Date(),
): Promise<number> {
  const lastDay = addDays(todayVn(now), days);
  const staged = await store.write('task-reminders', async (tx, t) => {
    const out: Staged[] = [];
    for (const task of await claimDueTasks(tx, t, lastDay))
      out.push(await notifyTaskOwner(tx, t, notifications, task, 'task.due'));
    return out;
  });
  // pushed to the owners' sockets only after the commit
  for (const s of staged) notifications.publish(s);
  return staged.length;
}
