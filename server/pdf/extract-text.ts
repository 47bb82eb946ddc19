// Each page's text of a stored PDF, read by pdf.js in the 'files' worker pool (text-worker.mjs):
// off the main thread, in the pool's heap limit and within a time limit. The text is what search
// indexes and what the comparison of two versions of a document compares.
import { PdfTaskFailed, type PdfWorkers } from './pdf-workers';

export type PageTextsResult = { ok: true; pages: string[] } | { ok: false; reason: string };

/**
 * The text of every page of the PDF at `path` (pages[0] is page 1), NFC-normalised, with line
 * ends where pdf.js saw them. Never throws for a bad or slow file: `{ ok: false, reason }`.
 */
export async function extractPageTexts(
  path: string,
  workers: PdfWorkers,
  opts: { timeoutMs: number; maxPages: number },
): Promise<PageTextsResult> {
  try {
    const r = await workers.run<PageTextsResult>(
      'files',
      'text-worker.mjs',
      { path, maxPages: opts.maxPages },
      { timeoutMs: opts.timeoutMs },
    );
    if (!r.ok) return r;
    return { ok: true, pages: r.pages.map((p) => p.normalize('NFC')) };
  } catch (e) {
    if (e instanceof PdfTaskFailed) return { ok: false, reason: e.reason === 'timeout' ? 'timeout' : e.message };
    throw e;
  }
}
