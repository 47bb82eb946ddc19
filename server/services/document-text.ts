// The text of each page of a document (table document_page_texts), read at upload by pdf.js in the
// 'files' worker pool (server/pdf/extract-text.ts). Documents stored before this existed get theirs
// from a backfill that runs in the background after start (DocumentTextBackfill), one file at a
// time so it never competes with uploads for more than one worker.
//
// For search (and anything else that wants the text): `documentPageTexts(db, documentId)`, and
// `documents.text_state` says whether it is there yet ('done'), will never be ('failed'), or is
// still to come (null).
import { asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { documentPageTexts as pageTexts, documents } from '../db/schema';
import { inWriteTransaction } from '../db/transaction';
import { extractPageTexts } from '../pdf/extract-text';
import type { PdfWorkers } from '../pdf/pdf-workers';
import type { DocumentStore } from './document-store';

export interface TextConfig {
  /** time limit for one file's text */
  timeoutMs: number;
  maxPages: number;
}

type Log = { warn: (obj: object, msg: string) => void; info?: (obj: object, msg: string) => void };

/** The text of each page (index 0 is page 1); empty when not extracted (yet), see documents.text_state. */
export function documentPageTexts(db: Db, documentId: string): string[] {
  return db
    .select({ text: pageTexts.text })
    .from(pageTexts)
    .where(eq(pageTexts.documentId, documentId))
    .orderBy(asc(pageTexts.page))
    .all()
    .map((r) => r.text);
}

/** Whether a document's text is there: 'done', 'failed' (never will be), or null (still to come). */
export function documentTextState(db: Db, documentId: string): 'done' | 'failed' | null | undefined {
  return db.select({ s: documents.textState }).from(documents).where(eq(documents.id, documentId)).get()?.s;
}

/**
 * Reads and stores the text of document `documentId` (bytes `sha256` in the store). Best effort:
 * a file pdf.js cannot read in time is marked 'failed' and logged, never an error for the caller.
 * Returns the state it left. A document deleted meanwhile is left alone.
 */
export async function extractDocumentText(
  db: Db,
  store: DocumentStore,
  workers: PdfWorkers,
  config: TextConfig,
  doc: { id: string; sha256: string },
  log?: Log,
): Promise<'done' | 'failed' | 'gone'> {
  const r = await extractPageTexts(store.pathFor(doc.sha256), workers, config);
  if (!r.ok)
    log?.warn({ documentId: doc.id, reason: r.reason }, 'the text of a document could not be read; it will not be searchable');
  return inWriteTransaction(db, () => {
    const exists = db.select({ id: documents.id }).from(documents).where(eq(documents.id, doc.id)).get();
    if (!exists) return 'gone' as const;
    db.delete(pageTexts).where(eq(pageTexts.documentId, doc.id)).run();
    if (r.ok) {
      r.pages.forEach((text, i) => {
        db.insert(pageTexts)
          .values({ documentId: doc.id, page: i + 1, text })
          .run();
      });
    }
    const state = r.ok ? ('done' as const) : ('failed' as const);
    db.update(documents).set({ textState: state }).where(eq(documents.id, doc.id)).run();
    return state;
  });
}

/**
 * Extracts the text of the documents stored without it (rows older than this feature, or an upload
 * whose server stopped before its text was stored), one at a time, after start. start() returns at
 * once; stop() (on close) lets the current file finish and then ends. `done` resolves when nothing
 * is left (tests wait on it).
 */
export class DocumentTextBackfill {
  private stopped = false;
  readonly done: Promise<number>;
  private resolveDone!: (n: number) => void;

  constructor(
    private readonly db: Db,
    private readonly store: DocumentStore,
    private readonly workers: PdfWorkers,
    private readonly config: TextConfig,
    private readonly log?: Log,
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  start(): void {
    // a later turn: the server starts listening first
    setImmediate(() => {
      this.run().then(
        (n) => this.resolveDone(n),
        (err: unknown) => {
          if (!this.stopped) this.log?.warn({ err }, 'the text backfill stopped');
          this.resolveDone(-1);
        },
      );
    });
  }

  stop(): void {
    this.stopped = true;
  }

  private async run(): Promise<number> {
    let count = 0;
    const skipped = new Set<string>();
    while (!this.stopped) {
      const next = this.db
        .select({ id: documents.id, sha256: documents.sha256 })
        .from(documents)
        .where(isNull(documents.textState))
        .limit(skipped.size + 1)
        .all()
        .find((d) => !skipped.has(d.id));
      if (!next) break;
      if (!(await this.store.has(next.sha256))) {
        skipped.add(next.id); // its bytes are missing (a restored database without files): nothing to read
        continue;
      }
      if (this.stopped) break;
      await extractDocumentText(this.db, this.store, this.workers, this.config, next, this.log);
      count++;
    }
    if (count > 0) {
      this.log?.info?.({ documents: count }, 'text extracted for documents stored before');
      // a one-off after start: the worker it warmed goes (unless an upload is using the pool now)
      if (!this.stopped) await this.workers.releaseIdle('files');
    }
    return count;
  }
}
