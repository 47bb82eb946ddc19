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
//     const staged = await app.notifications.stage(tx, t, input); …commit…; app.notifications.publish(staged);
//   (`stageSync(db, input)` is the legacy synchronous form for code not yet on the Store, issue 14.)
//
// Channels: the row in `notifications` (the bell, GET /api/me/notifications), a live push to the
// user's own sockets (Socket.IO room `notify:<userId>`, message `notification` { notification,
// unread }), and an e-mail queued in `mail_outbox` for users with an address when SMTP_URL is set
// (mail-outbox.ts sends it, with retries). Unknown user ids are skipped; duplicates count once.
// Reading: list (paged, newest first), unreadCount, markRead(id), markAllRead — one's own only.
import { and, count, desc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { notifications } from '../db/schema';
import type { Query, Store, Tables } from '../db/store';
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
    private readonly store: Store,
    private readonly outbox: MailOutbox,
    private readonly opts: {
      publicUrl: string;
      push: (userId: string, msg: NotificationPush) => void;
      onError?: (err: unknown) => void;
    },
  ) {}

  /** Stores and sends in a transaction of its own; resolves with how many were stored. */
  async notify(input: NotifyInput): Promise<number> {
    // inserts of fresh ids only: no read decides anything here, so no meeting's order is needed
    const staged = await this.store.write('notifications', (tx, t) => this.stage(tx, t, input));
    this.publish(staged);
    return staged.pushes.length;
  }
  /** Stores the notifications (and queues their e-mails) in the caller's write transaction. */
  async stage(tx: Query, t: Tables, input: NotifyInput): Promise<Staged> {
    const ids = checkedRecipients(input);
    if (ids.length === 0) return { pushes: [], mailQueued: false };
    const recipients = await tx.select({ id: t.users.id, email: t.users.email }).from(t.users).where(inArray(t.users.id, ids));
    const { rows, mails } = this.build(input, recipients);
    if (rows.length) await tx.insert(t.notifications).values(rows);
    await this.outbox.enqueue(tx, t, mails);
    return this.staged(rows, mails);
  }
  private build(input: NotifyInput, recipients: { id: string; email: string | null }[]) {
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
    const { subject, body } = mailText(input.kind, params, this.opts.publicUrl.replace(/\/+$/, '') + input.link);
    const mails = recipients.filter((u) => u.email).map((u) => ({ userId: u.id, to: u.email!, subject, body }));
    return { rows, mails };
  }

  private staged(rows: (typeof notifications.$inferSelect)[], mails: unknown[]): Staged {
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

  /**
   * After the commit: live push to each recipient's sockets (with their unread count, read after
   * the commit), and the e-mail poller woken. Returns at once; the pushes follow (errors go to
   * onError: the notifications are stored whatever happens to a push).
   */
  publish(staged: Staged): void {
    if (staged.mailQueued) void this.outbox.kick();
    if (staged.pushes.length === 0) return;
    void this.push(staged).catch((err) => this.opts.onError?.(err));
  }

  private async push(staged: Staged): Promise<void> {
    const unread = await this.unreadCounts([...new Set(staged.pushes.map((p) => p.userId))]);
    for (const p of staged.pushes) this.opts.push(p.userId, { notification: p.notification, unread: unread.get(p.userId) ?? 0 });
  }

  /** Unread counts of several users in one query (users with none are absent). */
  async unreadCounts(userIds: string[]): Promise<Map<string, number>> {
    const rows = await this.store.read((q, t) =>
      q
        .select({ userId: t.notifications.userId, n: count() })
        .from(t.notifications)
        .where(and(inArray(t.notifications.userId, userIds), isNull(t.notifications.readAt)))
        .groupBy(t.notifications.userId),
    );
    return new Map(rows.map((r) => [r.userId, r.n]));
  }

  async list(userId: string, opts: { before?: string; limit?: number } = {}): Promise<NotificationPage> {
    const limit = opts.limit ?? 20;
    const cursor = opts.before ? decodeCursor(opts.before) : null;
    return this.store.read(async (q, t) => {
      const n = t.notifications;
      const rows = await q
        .select()
        .from(n)
        .where(
          and(
            eq(n.userId, userId),
            cursor ? or(lt(n.createdAt, cursor.at), and(eq(n.createdAt, cursor.at), lt(n.id, cursor.id))) : undefined,
          ),
        )
        .orderBy(desc(n.createdAt), desc(n.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map(present),
        unread: await unreadOf(q, t, userId),
        next: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
      };
    });
  }

  unreadCount(userId: string): Promise<number> {
    return this.store.read((q, t) => unreadOf(q, t, userId));
  }

  /** Marks one of the caller's notifications read; someone else's is NOT_FOUND. */
  async markRead(userId: string, id: string): Promise<number> {
    return this.store.write(`notifications:${userId}`, async (tx, t) => {
      const n = t.notifications;
      const [row] = await tx
        .select({ readAt: n.readAt })
        .from(n)
        .where(and(eq(n.id, id), eq(n.userId, userId)));
      if (!row) throw new AppError('NOT_FOUND', 'Notification not found');
      if (row.readAt === null) await tx.update(n).set({ readAt: nowIso() }).where(eq(n.id, id));
      return unreadOf(tx, t, userId);
    });
  }

  async markAllRead(userId: string): Promise<number> {
    await this.store.write(`notifications:${userId}`, async (tx, t) => {
      const n = t.notifications;
      await tx
        .update(n)
        .set({ readAt: nowIso() })
        .where(and(eq(n.userId, userId), isNull(n.readAt)));
    });
    return 0;
  }
}

/** The recipients of a notice, checked: kind and link are the caller's constants (a bug, not a user's mistake). */
function checkedRecipients(input: NotifyInput): string[] {
  if (!KIND.test(input.kind)) throw new Error(`bad notification kind ${input.kind}`);
  if (!input.link.startsWith('/') || input.link.startsWith('//')) throw new Error('notification link must be an in-app path');
  return [...new Set(input.userIds)];
}

/** drizzle's count() is a number on both dialects (a raw count(*) is a string on pg) */
async function unreadOf(q: Query, t: Tables, userId: string): Promise<number> {
  const [row] = await q
    .select({ n: count() })
    .from(t.notifications)
    .where(and(eq(t.notifications.userId, userId), isNull(t.notifications.readAt)));
  return row?.n ?? 0;
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
