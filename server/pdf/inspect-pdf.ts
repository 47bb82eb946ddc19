// Opens an uploaded PDF off the main thread, with a time and heap limit, so no file can stall or
// crash the server (a PDF bomb kills only its worker).
import { Worker } from 'node:worker_threads';
import { open } from 'node:fs/promises';
import { AppError } from '../errors';

export interface PdfInfo {
  pageCount: number;
  title: string | null;
  /** opened, but page 1 paints nothing: probably damaged (inspect-worker.mjs) */
  warning: 'blank-first-page' | null;
}

const workerUrl = new URL('./inspect-worker.mjs', import.meta.url);

/** Cheap check before starting pdf.js: a PDF has "%PDF-" in its first KiB (the spec allows junk before it). */
export async function looksLikePdf(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(1024);
    const { bytesRead } = await fh.read(buf, 0, 1024, 0);
    return buf.subarray(0, bytesRead).includes('%PDF-');
  } finally {
    await fh.close();
  }
}

type WorkerResult = ({ ok: true } & PdfInfo) | { ok: false; code: 'PDF_ENCRYPTED' | 'PDF_UNREADABLE'; message: string };

export async function inspectPdf(path: string, opts: { timeoutMs: number; memoryMb: number; maxPages: number }): Promise<PdfInfo> {
  if (!(await looksLikePdf(path))) throw new AppError('NOT_A_PDF', 'The file is not a PDF');
  const result = await new Promise<WorkerResult>((resolve) => {
    const worker = new Worker(workerUrl, {
      workerData: { path },
      resourceLimits: { maxOldGenerationSizeMb: opts.memoryMb, maxYoungGenerationSizeMb: 64 },
    });
    let settled = false;
    const done = (r: WorkerResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const timer = setTimeout(
      () => done({ ok: false, code: 'PDF_UNREADABLE', message: 'The PDF took too long to open' }),
      opts.timeoutMs,
    );
    worker.once('message', (r: WorkerResult) => done(r));
    worker.once('error', () => done({ ok: false, code: 'PDF_UNREADABLE', message: 'The PDF could not be opened (it exhausted the parser)' }));
    worker.once('exit', () => done({ ok: false, code: 'PDF_UNREADABLE', message: 'The PDF could not be opened' }));
  });
  if (!result.ok) throw new AppError(result.code, result.message);
  if (result.pageCount < 1) throw new AppError('PDF_UNREADABLE', 'The PDF has no pages');
  if (result.pageCount > opts.maxPages) {
    throw new AppError('PDF_TOO_MANY_PAGES', `The PDF has ${result.pageCount} pages; the limit is ${opts.maxPages}`);
  }
  return { pageCount: result.pageCount, title: result.title, warning: result.warning };
}
