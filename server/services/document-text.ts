// The text of each page of a document (table document_page_texts), read at upload by pdf.js in the
// 'files' worker pool (server/pdf/extract-text.ts). Documents stored before this existed get theirs
// from a backfill that runs in the background after start (DocumentTextBackfill), one file at a
// time so it never competes with uploads for more than one worker.
//
// For search (and anything else that wants the text): `documentPageTexts(q, t, documentId)`, and
// `documents.text_state` says whether it is there yet ('done'), will never be ('failed'), or is
// still to come (null).
import { asc, eq, isNull } from 'drizzle-orm';
import type { Query, Store, Tables } from '../db/store';
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
export async function documentPageTexts(q: Query, t: Tables, documentId: string): Promise<string[]> {
  const rows = await q
    .select({ text: t.documentPageTexts.text })
    .from(t.documentPageTexts)
    .where(eq(t.documentPageTexts.documentId, documentId))
    .orderBy(asc(t.documentPageTexts.page));
  return rows.map((r) => r.text);
}

/** Whether a document's text is there: 'done', 'failed' (never will be), or null (still to come). */
export async function documentTextState(q: Query, t: Tables, documentId: string): Promise<'done' | 'failed' | null | undefined> {
  const [row] = await q.select({ s: t.documents.textState }).from(t.documents).where(eq(t.documents.id, documentId));
  return row?.s;
}

/**
 * Reads and stores the text of document `documentId` (bytes `sha256` in the store). Best effort:
 * a file pdf.js cannot read in time is marked 'failed' and logged, never an error for the caller.
 * Returns the state it left. A document deleted meanwhile is left alone.
 */
export async function extractDocumentText(
  database: Store,
  store: DocumentStore,
  workers: PdfWorkers,
  config: TextConfig,
  doc: { id: string; meetingId: string; sha256: string },
  log?: Log,
): Promise<'done' | 'failed' | 'gone'> {
  const r = await extractPageTexts(store.pathFor(doc.sha256), workers, config);
  if (!r.ok)
    log?.warn({ documentId: doc.id, reason: r.reason }, 'the text of a document could not be read; it will not be searchable');
  return database.write(doc.meetingId, async (tx, t) => {
    const [exists] = await tx.select({ id: t.documents.id }).from(t.documents).where(eq(t.documents.id, doc.id));
    if (!exists) return 'gone' as const;
    await tx.delete(t.documentPageTexts).where(eq(t.documentPageTexts.documentId, doc.id));
    // one multi-row insert per 200 pages (SQLite's bound-parameter limit is far above 600)
    const rows = r.ok ? r.pages.map((text, i) => ({ documentId: doc.id, page: i + 1, text })) : [];
    for (let i = 0; i < rows.length; i += 200) await tx.insert(t.documentPageTexts).values(rows.slice(i, i + 200));
    const state = r.ok ? ('done' as const) : ('failed' as const);
    await tx.update(t.documents).set({ textState: state }).where(eq(t.documents.id, doc.id));
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
    private readonly database: Store,
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
      const limit = skipped.size + 1;
      const candidates = await this.database.read((q, t) =>
        q
          .select({ id: t.documents.id, meetingId: t.documents.meetingId, sha256: t.documents.sha256 })
          .from(t.documents)
          .where(isNull(t.documents.textState))
          .orderBy(asc(t.documents.id))
          .limit(limit),
      );
      const next = candidates.find((d) => !skipped.has(d.id));
      if (!next) break;
      if (!(await this.store.has(next.sha256))) {
        skipped.add(next.id); // its bytes are missing (a restored database without files): nothing to read
        continue;
      }
      if (this.stopped) break;
      await extractDocumentText(this.database, this.store, this.workers, this.config, next, this.log);
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
