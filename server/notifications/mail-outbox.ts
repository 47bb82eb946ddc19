// The e-mail channel: rows queued in `mail_outbox` (in the same transaction as the notification that
// caused them) are sent through nodemailer by a poll (a job of server/ops/scheduler.ts) and after each commit. An SMTP server that is down, slow or refusing
// never blocks the request that queued the mail; a restart loses nothing (the queue is the table).
// Retries: a temporary failure (no connection, 4xx) waits baseDelay·2^(attempts-1), capped, up to
// maxAttempts; a permanent refusal (5xx: the address bounces) fails at once. Several processes may
// poll one database: a sender claims rows by setting `locked_until` with an
// `UPDATE … WHERE id IN (…) AND <still due and unclaimed> RETURNING` (claimDue): on PostgreSQL a
// second sender's UPDATE waits for the first one's row locks, then re-checks the WHERE on the rows
// as committed and returns only what it really claimed; on SQLite writes are serialised anyway.
import type { Transporter } from 'nodemailer';
import { and, asc, eq, inArray, isNull, lt, lte, or } from 'drizzle-orm';
import { mailOutbox } from '../db/schema';
import type { Query, Store, Tables } from '../db/store';
import { newId, nowIso } from '../ids';

export interface MailOutboxOptions {
  /** smtp://user:pass@host:port (or smtps://); undefined: the e-mail channel is off */
  smtpUrl: string | undefined;
  from: string;
  pollMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  /** a claimed row is someone else's for this long (a sender that dies mid-send releases it then) */
  leaseMs?: number;
  batch?: number;
  onError?: (err: unknown) => void;
}

export interface QueuedMail {
  userId: string | null;
  to: string;
  subject: string;
  body: string;
}

export class MailOutbox {
  // nodemailer (~14 MB) is loaded with the first mail to send, not at start, and never without SMTP
  private transport: Promise<Transporter> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly opts: MailOutboxOptions,
  ) {}

  get enabled() {
    return Boolean(this.opts.smtpUrl);
  }

  private transporter(): Promise<Transporter> {
    const url = this.opts.smtpUrl!;
    return (this.transport ??= import('nodemailer').then((m) => m.default.createTransport(pooled(url))));
  }

  /** Queues mails; call inside the caller's write transaction so they commit (or not) with it. */
  async enqueue(tx: Query, t: Tables, mails: QueuedMail[]): Promise<void> {
    if (!this.enabled || mails.length === 0) return;
    await tx.insert(t.mailOutbox).values(outboxRows(mails));
  }
  /**
   * Sends what is due soon: the poll (the scheduler's 'mail-outbox' job, every MAIL_POLL_MS) and
   * after a commit that queued mail, without waiting for the poll. Resolves when the pass running
   * now is over (a pass asked for meanwhile follows it); never rejects (onError is told).
   */
  kick(): Promise<void> {
    if (!this.enabled || this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain()
      .catch((err) => this.opts.onError?.(err))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          void this.kick();
        }
      });
    return this.running;
  }

  /** One pass over everything due now (tests). */
  async runOnce(): Promise<void> {
    while (this.running) await this.running;
    await this.drain();
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.running) await this.running;
    await this.transport?.then(
      (t) => t.close(),
      () => {},
    );
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const rows = await this.claimDue();
      if (rows.length === 0) return;
      // a claimed batch goes out over the pool's few connections at once (one SMTP session per
      // mail, in turn, took ~150 ms a mail: 100 invitees waited 15 s for the last one)
      await Promise.all(rows.map((row) => this.sendOne(row)));
    }
  }

  /**
   * Claims up to `batch` due mails for this sender (sets their lease) and returns them. Two
   * senders (processes) claiming at once never get the same mail: the UPDATE re-checks "pending,
   * due, not leased" on each row it locks, so the second one skips what the first just leased.
   */
  async claimDue(now = new Date()): Promise<(typeof mailOutbox.$inferSelect)[]> {
    const nowS = now.toISOString();
    const until = new Date(now.getTime() + (this.opts.leaseMs ?? 120_000)).toISOString();
    const claimed = await this.store.write('mail-outbox', async (tx, t) => {
      const o = t.mailOutbox;
      const due = and(eq(o.status, 'pending'), lte(o.nextAttemptAt, nowS), or(isNull(o.lockedUntil), lt(o.lockedUntil, nowS)));
      const ids = await tx
        .select({ id: o.id })
        .from(o)
        .where(due)
        .orderBy(asc(o.nextAttemptAt), asc(o.id))
        .limit(this.opts.batch ?? 20);
      if (ids.length === 0) return [];
      return tx
        .update(o)
        .set({ lockedUntil: until })
        .where(
          and(
            inArray(
              o.id,
              ids.map((r) => r.id),
            ),
            due,
          ),
        )
        .returning();
    });
    // RETURNING has no order of its own
    return claimed.sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.id.localeCompare(b.id));
  }

  private async sendOne(row: typeof mailOutbox.$inferSelect): Promise<void> {
    let update: Partial<typeof mailOutbox.$inferInsert>;
    try {
      await (
        await this.transporter()
      ).sendMail({ from: this.opts.from, to: row.toAddress, subject: row.subject, text: row.body });
      update = { status: 'sent', sentAt: nowIso(), lockedUntil: null, attempts: row.attempts + 1, lastError: null };
    } catch (err) {
      const attempts = row.attempts + 1;
      const code = (err as { responseCode?: number }).responseCode;
      const permanent = typeof code === 'number' && code >= 500 && code < 600;
      const failed = permanent || attempts >= this.opts.maxAttempts;
      const delay = Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** (attempts - 1));
      update = {
        status: failed ? 'failed' : 'pending',
        attempts,
        lockedUntil: null,
        nextAttemptAt: new Date(Date.now() + delay).toISOString(),
        // the server's reply or the socket error, never the URL (it may hold SMTP credentials)
        lastError: `${code ?? (err as { code?: string }).code ?? 'ERROR'}: ${String((err as Error).message ?? err).slice(0, 300)}`,
      };
    }
    // the row is ours while leased: `attempts` is the claimed row's (no other sender touches it)
    await this.store.write('mail-outbox', (tx, t) => tx.update(t.mailOutbox).set(update).where(eq(t.mailOutbox.id, row.id)));
  }
}

function outboxRows(mails: QueuedMail[]) {
  const now = nowIso();
  return mails.map((m) => ({
    id: newId(),
    userId: m.userId,
    toAddress: m.to,
    subject: m.subject,
    body: m.body,
    status: 'pending' as const,
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
  }));
}

/** Pooled SMTP connections (reused, a few at once) unless the URL says otherwise. */
function pooled(smtpUrl: string): string {
  try {
    const u = new URL(smtpUrl);
    if (!u.searchParams.has('pool')) u.searchParams.set('pool', 'true');
    return u.toString();
  } catch {
    return smtpUrl; // nodemailer reports a URL it cannot use when sending
  }
}
