// The copies of confidential documents (tài liệu mật) that members read: the served file with the
// reader's personal watermark drawn into every page (server/pdf/watermark-task.ts, in the 'files'
// worker pool), made on the first open and kept on disk, one per reader, document and day:
//   DATA_DIR/watermarked/<documentId>/<readerId>-<YYYYMMDD, Vietnam time>-<source hash prefix>.pdf
// A reader opening the document again the same day gets the same file (streamed with Range and a
// stable ETag like any document); the next day makes a new copy, whose watermark carries the new
// date, and removes that reader's older one. Concurrent requests for a copy being made wait for that
// one making (pdf.js asks for several ranges at once). Why, and the limits: docs/confidential-documents.md.
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';
import { newId } from '../ids';
import { PdfTaskFailed, type PdfWorkers } from '../pdf/pdf-workers';
import type { WatermarkResult, WatermarkTask } from '../pdf/watermark-task';
import type { DocumentStore } from './document-store';
import type { StoredDocument } from './documents';

/** A file to stream: where it is, its validator and size. */
export interface ServedCopy {
  path: string;
  etag: string;
  size: number;
}

/** Who the copy is for: a path-safe id (a user id, or "room" for the room screen) and the lines to draw. */
export interface CopyReader {
  id: string;
  lines: (madeAt: Date) => string[];
}

const VN_TIME = 'Asia/Ho_Chi_Minh';

/** "04/12/2026 15:07 (GMT+7)": the time a copy was made, in Vietnam's time zone. */
export function watermarkTime(d: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: VN_TIME,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute} (GMT+7)`;
}

function vnDay(d: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: VN_TIME, day: '2-digit', month: '2-digit', year: 'numeric' })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}${p.month}${p.day}`;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export class ConfidentialCopies {
  private readonly making = new Map<string, Promise<ServedCopy>>();

  constructor(
    private readonly workers: PdfWorkers,
    private readonly store: DocumentStore,
    private readonly opts: { dataDir: string; timeoutMs: number; now?: () => Date },
  ) {}

  private dirOf(documentId: string): string {
    if (!SAFE_ID.test(documentId)) throw new AppError('INVALID', 'Bad document id');
    return path.join(this.opts.dataDir, 'watermarked', documentId);
  }

  /** The reader's watermarked copy of the document, made now if there is none for today. */
  async copyFor(doc: StoredDocument, reader: CopyReader): Promise<ServedCopy> {
    if (!SAFE_ID.test(reader.id)) throw new AppError('INVALID', 'Bad reader id');
    const now = this.opts.now?.() ?? new Date();
    const source = doc.web?.sha256 ?? doc.sha256;
    const dir = this.dirOf(doc.id);
    const name = `${reader.id}-${vnDay(now)}-${source.slice(0, 16)}.pdf`;
    const file = path.join(dir, name);
    const existing = await served(file);
    if (existing) return existing;
    let pending = this.making.get(file);
    if (!pending) {
      pending = this.make(source, dir, file, name, reader, now).finally(() => this.making.delete(file));
      this.making.set(file, pending);
    }
    return pending;
  }

  private async make(
    source: string,
    dir: string,
    file: string,
    name: string,
    reader: CopyReader,
    now: Date,
  ): Promise<ServedCopy> {
    await mkdir(dir, { recursive: true });
    const tmp = `${file}.${newId()}.part`;
    const task: WatermarkTask = { path: this.store.pathFor(source), outPath: tmp, lines: reader.lines(now) };
    let r: WatermarkResult;
    try {
      r = await this.workers.run<WatermarkResult>('files', 'watermark-worker.mjs', task, { timeoutMs: this.opts.timeoutMs });
    } catch (e) {
      await rm(tmp, { force: true });
      if (e instanceof PdfTaskFailed)
        throw new AppError('WATERMARK_FAILED', 'The watermarked copy could not be made; try again later');
      throw e;
    }
    if (!r.ok) {
      await rm(tmp, { force: true });
      throw new AppError('WATERMARK_FAILED', 'The watermarked copy could not be made');
    }
    await rename(tmp, file);
    // the reader's copies of earlier days (or of a replaced source) go
    const prefix = `${reader.id}-`;
    for (const other of await readdir(dir)) {
      if (other !== name && other.startsWith(prefix) && other.endsWith('.pdf')) await rm(path.join(dir, other), { force: true });
    }
    const made = await served(file);
    if (!made) throw new AppError('WATERMARK_FAILED', 'The watermarked copy could not be made');
    return made;
  }

  /** Removes every copy of a document (deleted, or no longer confidential). */
  async forget(documentId: string): Promise<void> {
    await rm(this.dirOf(documentId), { recursive: true, force: true });
  }
}

async function served(file: string): Promise<ServedCopy | null> {
  try {
    const s = await stat(file);
    const etag = `"wm-${createHash('sha256')
      .update(`${path.basename(file)}:${s.mtimeMs}:${s.size}`)
      .digest('hex')
      .slice(0, 32)}"`;
    return { path: file, etag, size: s.size };
  } catch {
    return null;
  }
}
