// Notifications: the one service every feature calls to tell people something (invitations, written
// opinions, tasks, published documents …).
//
//   app.notifications.notify({ userIds, kind, meetingId?, params, link })   → number of notifications stored
//     kind   dotted words ('invitation.issued'); the client renders `notifications.kind.<kind with _>` in
//            vi/en from its i18n tables (client/src/i18n), so add the kind's text there, and its e-mail
//            text to server/notifications/mail-text.ts (else a generic e-mail is sent).
//     params flat { name: string | number | null } used by those texts (no rendered sentences).
//     link   an in-app path ('/meetings/<id>'); the e-mail turns it into PUBLIC_URL + link.
//   Inside your own write transaction (so the notification commits with your change):
//     const staged = app.notifications.stage(tx, input); …commit…; app.notifications.publish(staged);
//
// Channels: the row in `notifications` (the bell, GET /api/me/notifications), a live push to the
// user's own sockets (Socket.IO room `notify:<userId>`, message `notification` { notification,
// unread }), and an e-mail queued in `mail_outbox` for users with an address when SMTP_URL is set
// (mail-outbox.ts sends it, with retries). Unknown user ids are skipped; duplicates count once.
// Reading: list (paged, newest first), unreadCount, markRead(id), markAllRead — one's own only.
import { and, count, desc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { notifications, users } from '../db/schema';
import { inWriteTransaction } from '../db/transaction';
import { AppError } from '../errors';
import { newId, nowIso } from '../ids';
import {
  NOTIFICATION_KIND_PATTERN,
  type Notification,
  type NotificationPage,
  type NotificationParams,
  type NotificationPush,
} from '../../shared/notifications-api';
import { mailText } from './mail-text';
import type { MailOutbox } from './mail-outbox';

export interface NotifyInput {
  userIds: readonly string[];
  kind: string;
  meetingId?: string | null;
  params?: NotificationParams;
  link: string;
}

export interface Staged {
  pushes: { userId: string; notification: Notification }[];
  mailQueued: boolean;
}

export const notificationRoom = (userId: string) => `notify:${userId}`;
const KIND = new RegExp(NOTIFICATION_KIND_PATTERN);

export class NotificationService {
  constructor(
    private readonly db: Db,
    private readonly outbox: MailOutbox,
    private readonly opts: { publicUrl: string; push: (userId: string, msg: NotificationPush) => void },
  ) {}

  notify(input: NotifyInput): number {
    const staged = inWriteTransaction(this.db, () => this.stage(this.db, input));
    this.publish(staged);
    return staged.pushes.length;
  }

  /** Stores the notifications (and queues their e-mails) with the caller's transaction handle. */
  stage(db: Db, input: NotifyInput): Staged {
    // a programming error, not a user's: callers pass constants
    if (!KIND.test(input.kind)) throw new Error(`bad notification kind ${input.kind}`);
    if (!input.link.startsWith('/') || input.link.startsWith('//')) throw new Error('notification link must be an in-app path');
    const ids = [...new Set(input.userIds)];
    if (ids.length === 0) return { pushes: [], mailQueued: false };
    const recipients = db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, ids)).all();
    const at = this.nextAt();
    const params = input.params ?? {};
    const rows = recipients.map((u) => ({
      id: newId(),
      userId: u.id,
      kind: input.kind,
      meetingId: input.meetingId ?? null,
      params: JSON.stringify(params),
      link: input.link,
      createdAt: at,
      readAt: null,
    }));
    if (rows.length) db.insert(notifications).values(rows).run();
    const { subject, body } = mailText(input.kind, params, this.opts.publicUrl.replace(/\/+$/, '') + input.link);
    const mails = recipients.filter((u) => u.email).map((u) => ({ userId: u.id, to: u.email!, subject, body }));
    this.outbox.enqueue(db, mails);
    return {
      pushes: rows.map((r) => ({ userId: r.userId, notification: present(r) })),
      mailQueued: mails.length > 0 && this.outbox.enabled,
    };
  }

  private lastAt = 0;
  /** Creation times strictly increase within a process, so two notifications of one millisecond keep their order in the list. */
  private nextAt(): string {
    this.lastAt = Math.max(Date.now(), this.lastAt + 1);
    return new Date(this.lastAt).toISOString();
  }

  /** After the commit: live push to each recipient's sockets, and the e-mail poller woken. */
  publish(staged: Staged): void {
    for (const p of staged.pushes) this.opts.push(p.userId, { notification: p.notification, unread: this.unreadCount(p.userId) });
    if (staged.mailQueued) void this.outbox.kick();
  }

  list(userId: string, opts: { before?: string; limit?: number } = {}): NotificationPage {
    const limit = opts.limit ?? 20;
    const cursor = opts.before ? decodeCursor(opts.before) : null;
    const rows = this.db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.userId, userId),
          cursor
            ? or(
                lt(notifications.createdAt, cursor.at),
                and(eq(notifications.createdAt, cursor.at), lt(notifications.id, cursor.id)),
              )
            : undefined,
        ),
      )
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(limit + 1)
      .all();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(present),
      unread: this.unreadCount(userId),
      next: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }

  unreadCount(userId: string): number {
    return (
      this.db
        .select({ n: count() })
        .from(notifications)
        .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
        .get()?.n ?? 0
    );
  }

  /** Marks one of the caller's notifications read; someone else's is NOT_FOUND. */
  markRead(userId: string, id: string): number {
    const row = this.db
      .select({ readAt: notifications.readAt })
      .from(notifications)
      .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
      .get();
    if (!row) throw new AppError('NOT_FOUND', 'Notification not found');
    if (row.readAt === null) this.db.update(notifications).set({ readAt: nowIso() }).where(eq(notifications.id, id)).run();
    return this.unreadCount(userId);
  }

  markAllRead(userId: string): number {
    this.db
      .update(notifications)
      .set({ readAt: nowIso() })
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
      .run();
    return 0;
  }
}

function present(r: typeof notifications.$inferSelect): Notification {
  let params: NotificationParams = {};
  try {
    params = JSON.parse(r.params) as NotificationParams;
  } catch {
    /* stored by us; never fails */
  }
  return { id: r.id, kind: r.kind, meetingId: r.meetingId, params, link: r.link, createdAt: r.createdAt, readAt: r.readAt };
}

const encodeCursor = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');
function decodeCursor(c: string): { at: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { at: v[0], id: v[1] };
  } catch {
    /* below */
  }
  throw new AppError('INVALID', 'Bad page cursor');
}
