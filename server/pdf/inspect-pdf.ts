// Opens an uploaded PDF off the main thread, in the pooled workers' heap limit and within a time
// limit, so no file can stall or crash the server (a PDF bomb kills only its worker, which the pool
// replaces).
import { open } from 'node:fs/promises';
import { AppError } from '../errors';
import { PdfTaskFailed, type PdfWorkers } from './pdf-workers';

export interface PdfInfo {
  pageCount: number;
  title: string | null;
  /** opened, but page 1 paints nothing: probably damaged (inspect-worker.mjs) */
  warning: 'blank-first-page' | null;
}

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

export async function inspectPdf(
  path: string,
  workers: PdfWorkers,
  opts: { timeoutMs: number; maxPages: number },
): Promise<PdfInfo> {
  if (!(await looksLikePdf(path))) throw new AppError('NOT_A_PDF', 'The file is not a PDF');
  let result: WorkerResult;
  try {
    result = await workers.run<WorkerResult>('files', 'inspect-worker.mjs', { path }, { timeoutMs: opts.timeoutMs });
  } catch (e) {
    if (!(e instanceof PdfTaskFailed)) throw e;
    result = {
      ok: false,
      code: 'PDF_UNREADABLE',
      message: e.reason === 'timeout' ? 'The PDF took too long to open' : 'The PDF could not be opened (it exhausted the parser)',
    };
  }
  if (!result.ok) throw new AppError(result.code, result.message);
  if (result.pageCount < 1) throw new AppError('PDF_UNREADABLE', 'The PDF has no pages');
  if (result.pageCount > opts.maxPages) {
    throw new AppError('PDF_TOO_MANY_PAGES', `The PDF has ${result.pageCount} pages; the limit is ${opts.maxPages}`);
  }
  return { pageCount: result.pageCount, title: result.title, warning: result.warning };
}
