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
// skipped. Several processes on one PostgreSQL may make the same copy twice: the bytes are
// content-addressed and the write is idempotent, so that costs time, not correctness.
import { and, asc, eq } from 'drizzle-orm';
import type { Store } from '../db/store';
import { makeWebCopy } from '../pdf/web-copy';
import type { PdfWorkers } from '../pdf/pdf-workers';
import type { DocumentStore } from './document-store';

type Log = { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void };

export interface WebCopyJobStats {
  made: number;
  failed: number;
}

export class WebCopyJobs {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly listeners = new Set<(meetingId: string, documentId: string) => void>();
  readonly stats: WebCopyJobStats = { made: 0, failed: 0 };

  constructor(
    private readonly database: Store,
    private readonly store: DocumentStore,
    private readonly workers: PdfWorkers,
    private readonly opts: { timeoutMs: number; log?: Log },
  ) {}

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
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.again = false;
      // the oldest pending first (id breaks ties: both databases agree on the order)
      const [next] = await this.database.read((q, t) =>
        q
          .select({
            id: t.documents.id,
            meetingId: t.documents.meetingId,
            sha256: t.documents.sha256,
            size: t.documents.size,
            pageCount: t.documents.pageCount,
          })
          .from(t.documents)
          .where(eq(t.documents.webState, 'pending'))
          .orderBy(asc(t.documents.createdAt), asc(t.documents.id))
          .limit(1),
      );
      if (!next) return;
      await this.makeOne(next);
    }
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
    if (this.stopped && !outcome.ok) return; // cut short by the shutdown: still pending, resumed at the next start
    const result = outcome;
    // every pending row of the same bytes gets the same copy; the deleted ones are simply not there
    const settled = await this.database.write(doc.meetingId, async (tx, t) =>
      tx
        .update(t.documents)
        .set(
          result.ok
            ? {
                webState: 'ready',
                webError: null,
                webSha256: result.sha256,
                webSize: result.size,
                webFirstPageBytes: result.firstPageBytes,
              }
            : { webState: 'failed', webError: result.reason.slice(0, 500) },
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
