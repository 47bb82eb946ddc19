// The web-optimized copy of a big upload (server/pdf/web-copy.ts) as a background job (issue 22
// item 7): it used to be made inside the upload request (up to a minute). Now the upload records the
// document with web_state 'pending' and answers; this runner makes the copies one at a time in the
// 'files' worker pool (never on the event loop), then records them: the file route serves the
// original until then, the copy after (send-document-file.ts; the viewer pins the variant it started
// on with ?variant=original, so one reading never mixes the bytes of both files).
//
// The state is in the database, so a restart resumes the pending copies (start() on ready). A copy
// that fails (timeout, worker crash, unreadable file) is recorded 'failed' with its reason and
// logged: the original stays served and the copy is never retried. A document deleted meanwhile is
// skipped.
//
// Several processes on one database (issue 14) each run this queue, at start and after their own
// uploads. A copy is claimed before it is made: in one write under the 'web-copies' lock (one at a
// time across every process: the store's advisory lock on PostgreSQL, the write lock on SQLite), the
// oldest pending document whose bytes nobody holds a live claim on is picked, and every pending row
// of those bytes gets this process's id and the time (web_claimed_by, web_claimed_at), only where the
// claim is still free or expired. The bytes are what is made (content-addressed), so the claim is
// per sha256: two meetings' uploads of one file are one copy. Settling clears the claim; a shutdown
// in the middle releases it. A process killed with a claim never settles: its claim expires after
// claimTtlMs (by default twice the copy's own timeout plus a minute, so a live process always
// settles first), and any process's next pass takes it over; one that sees only claims held by
// others passes again when the oldest of them expires. Claims compare ISO times written by each
// process's clock: clocks must agree to well within that margin (NTP).
import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, lt, min, or, sql } from 'drizzle-orm';
import type { Store } from '../db/store';
import { makeWebCopy } from '../pdf/web-copy';
import type { PdfWorkers } from '../pdf/pdf-workers';
import type { DocumentStore } from './document-store';

/** The write lock key of the claims: one claim at a time across every process. */
const CLAIM_LOCK = 'web-copies';

type Log = { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void };

export interface WebCopyJobStats {
  made: number;
  failed: number;
}

export class WebCopyJobs {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** this process (this WebCopyJobs) in web_claimed_by */
  readonly owner = `${process.pid}-${randomUUID()}`;
  /** how long a claim holds before another process may take the copy over */
  readonly claimTtlMs: number;
  private retry: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<(meetingId: string, documentId: string) => void>();
  readonly stats: WebCopyJobStats = { made: 0, failed: 0 };

  constructor(
    private readonly database: Store,
    private readonly store: DocumentStore,
    private readonly workers: PdfWorkers,
    private readonly opts: { timeoutMs: number; claimTtlMs?: number; log?: Log },
  ) {
    this.claimTtlMs = opts.claimTtlMs ?? 2 * opts.timeoutMs + 60_000;
  }

  /** Called with each document whose copy was made or failed (open pages re-read the meeting). */
  onSettled(fn: (meetingId: string, documentId: string) => void): void {
    this.listeners.add(fn);
  }

  /** Resumes the copies left pending (after a restart). Returns at once. */
  start(): void {
    this.kick();
  }

  /** There is a new pending copy: run now, or once more after the current pass. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run()
      .catch((err: unknown) => {
        if (!this.stopped) this.opts.log?.warn({ err }, 'the web copy jobs stopped');
      })
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves when no copy is being made (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** No new copy starts; the current one ends with the worker pool's close (then await idle()). */
  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.again = false;
      const next = await this.claimNext();
      if (!next) {
        await this.passAgainAtExpiry();
        return;
      }
      await this.makeOne(next);
    }
  }

  /** ISO time before which a claim is a dead process's. */
  private expiredBefore(): string {
    return new Date(Date.now() - this.claimTtlMs).toISOString();
  }

  /**
   * The oldest pending document whose bytes nobody else is making (id breaks ties: both databases
   * agree on the order), claimed with every pending row of the same bytes; null when none is left.
   */
  private async claimNext() {
    const cutoff = this.expiredBefore();
    return this.database.write(CLAIM_LOCK, async (tx, t) => {
      const d = t.documents;
      const free = or(isNull(d.webClaimedAt), lt(d.webClaimedAt, cutoff));
      const [next] = await tx
        .select({ id: d.id, meetingId: d.meetingId, sha256: d.sha256, size: d.size, pageCount: d.pageCount })
        .from(d)
        .where(
          and(
            eq(d.webState, 'pending'),
            // no live claim on the same bytes (another meeting's upload of one file, being made)
            sql`NOT EXISTS (SELECT 1 FROM ${d} AS held WHERE held.sha256 = ${d.sha256} AND held.web_state = 'pending' AND held.web_claimed_at >= ${cutoff})`,
          ),
        )
        .orderBy(asc(d.createdAt), asc(d.id))
        .limit(1);
      if (!next) return null;
      const claimed = await tx
        .update(d)
        .set({ webClaimedBy: this.owner, webClaimedAt: new Date().toISOString() })
        .where(and(eq(d.sha256, next.sha256), eq(d.webState, 'pending'), free))
        .returning({ id: d.id });
      return claimed.some((c) => c.id === next.id) ? next : null;
    });
  }

  /** Only others' claims left: pass again when the oldest of them expires (a dead process's is then taken over). */
  private async passAgainAtExpiry(): Promise<void> {
    const [row] = await this.database.read((q, t) =>
      q
        .select({ oldest: min(t.documents.webClaimedAt) })
        .from(t.documents)
        .where(eq(t.documents.webState, 'pending')),
    );
    if (!row?.oldest || this.stopped) return;
    const inMs = Math.max(0, Date.parse(row.oldest) + this.claimTtlMs - Date.now()) + 1000;
    if (this.retry) clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.kick();
    }, inMs);
    this.retry.unref();
  }

  private async makeOne(doc: { id: string; meetingId: string; sha256: string; size: number; pageCount: number }) {
    const started = Date.now();
    let outcome: { ok: true; sha256: string; size: number; firstPageBytes: number | null } | { ok: false; reason: string };
    if (!(await this.store.has(doc.sha256))) {
      outcome = { ok: false, reason: 'the original file is missing' };
    } else {
      const outPath = await this.store.newTmpPath();
      outcome = await makeWebCopy(this.store.pathFor(doc.sha256), outPath, doc.pageCount, this.workers, {
        timeoutMs: this.opts.timeoutMs,
      });
      if (outcome.ok) await this.store.commit(outPath, outcome.sha256);
    }
    if (this.stopped && !outcome.ok) {
      // cut short by the shutdown: still pending, and free for the next process at once
      await this.database
        .write(CLAIM_LOCK, (tx, t) =>
          tx
            .update(t.documents)
            .set({ webClaimedBy: null, webClaimedAt: null })
            .where(
              and(
                eq(t.documents.sha256, doc.sha256),
                eq(t.documents.webState, 'pending'),
                eq(t.documents.webClaimedBy, this.owner),
              ),
            ),
        )
        .catch(() => {}); // the database closing too: the claim expires instead
      return;
    }
    const result = outcome;
    // every pending row of the same bytes gets the same copy; the deleted ones are simply not there
    const settled = await this.database.write(doc.meetingId, async (tx, t) =>
      tx
        .update(t.documents)
        .set(
          result.ok
            ? {
                webClaimedBy: null,
                webClaimedAt: null,
                webState: 'ready',
                webError: null,
                webSha256: result.sha256,
                webSize: result.size,
                webFirstPageBytes: result.firstPageBytes,
              }
            : { webClaimedBy: null, webClaimedAt: null, webState: 'failed', webError: result.reason.slice(0, 500) },
        )
        .where(and(eq(t.documents.sha256, doc.sha256), eq(t.documents.webState, 'pending')))
        .returning({ id: t.documents.id, meetingId: t.documents.meetingId }),
    );
    if (result.ok) {
      this.stats.made++;
      this.opts.log?.info(
        { documentId: doc.id, sha256: doc.sha256, webSha256: result.sha256, webSize: result.size, ms: Date.now() - started },
        'web copy made',
      );
    } else {
      this.stats.failed++;
      this.opts.log?.warn(
        { documentId: doc.id, sha256: doc.sha256, size: doc.size, pageCount: doc.pageCount, reason: result.reason },
        'no web copy; the original stays served',
      );
    }
    for (const d of settled) for (const fn of this.listeners) fn(d.meetingId, d.id);
  }
}
