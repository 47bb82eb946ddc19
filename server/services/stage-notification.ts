// The one seam between followup's services (opinions, tasks) and the notification service while
// both move to the asynchronous Store (issue 14): notifications are stored inside the caller's write
// transaction and pushed after the commit. Today NotificationService.stage is synchronous on the
// better-sqlite3 handle; inside a SqliteStore write the transaction handle IS that writer connection,
// so the legacy call joins the open transaction (SQLite only). MERGE: once stage is
// `stage(tx: Query, t: Tables, input): Promise<Staged>`, this body becomes
// `return notifications.stage(tx, t, input);` and nothing else in opinions/tasks changes.
import type { Db } from '../db/client';
import type { Query, Tables } from '../db/store';
import type { NotificationService, NotifyInput, Staged } from '../notifications/notification-service';

export type StagedNotifications = Staged;

export async function stageNotification(
  notifications: NotificationService,
  tx: Query,
  _t: Tables,
  input: NotifyInput,
): Promise<StagedNotifications> {
  return notifications.stage(tx as unknown as Db, input);
}
