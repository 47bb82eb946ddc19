// Owners are notified before a task's deadline (issue 16 item 3): a pass (the scheduler's
// 'task-reminders' job) every TASK_REMINDER_POLL_SECONDS finds the tasks not done whose deadline is within TASK_REMINDER_DAYS
// (or already past) and whose owner was not reminded yet, notifies each owner once, and marks the
// task (`reminded_at`; a new owner or deadline clears it, services/tasks.updateTask). The one call to
// the notification service is `notifyTaskOwner`.
import { and, eq, isNotNull, isNull, lte, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { tasks } from '../db/schema';
import { inWriteTransaction } from '../db/transaction';
import { nowIso } from '../ids';
import type { NotificationService } from '../notifications/notification-service';
import { todayVn } from './tasks';

type TaskRow = typeof tasks.$inferSelect;

/** The one place tasks talk to the notification service. */
export function notifyTaskOwner(
  db: Db,
  notifications: NotificationService,
  task: TaskRow,
  kind: 'task.assigned' | 'task.due',
): Staged {
  return notifications.stageSync(db, {
    userIds: task.ownerId ? [task.ownerId] : [],
    kind,
    meetingId: task.meetingId,
    params: { title: task.title, deadline: task.deadline },
    link: `/tasks/${task.id}`,
  });
}
type Staged = ReturnType<NotificationService['stageSync']>;

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** One pass: reminds the owners of the tasks due within `days` days. Returns how many were reminded. */
export function remindDueTasks(db: Db, notifications: NotificationService, days: number, now = new Date()): number {
  const limit = addDays(todayVn(now), days);
  const staged: Staged[] = [];
  inWriteTransaction(db, () => {
    const due = db
      .select()
      .from(tasks)
      .where(and(ne(tasks.status, 'done'), isNull(tasks.remindedAt), isNotNull(tasks.ownerId), lte(tasks.deadline, limit)))
      .all();
    const at = nowIso();
    for (const t of due) {
      staged.push(notifyTaskOwner(db, notifications, t, 'task.due'));
      db.update(tasks).set({ remindedAt: at }).where(eq(tasks.id, t.id)).run();
    }
  });
  // pushed to the owners' sockets only after the commit
  for (const s of staged) notifications.publish(s);
  return staged.length;
}
