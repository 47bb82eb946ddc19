// The web-optimized copy of a big uploaded PDF, made off the main thread with a time and heap limit
// (web-copy-worker.mjs, in the pooled workers of pdf-workers.ts). pdf-lib, LibreOffice and
// scanners write each page dictionary next to its page's content, so pdf.js, which walks the whole page tree before the document opens
// (checkLastPage), pays one HTTP Range request per page; the copy packs the dictionaries into
// object streams, and puts page 1's objects first (web-copy-order.mjs) so that the viewer can fetch
// all page 1 needs in one request while pdf.js boots. Best effort: any failure leaves the original
// as the file that is served.
import { rm } from 'node:fs/promises';
import type { PdfWorkers } from './pdf-workers';

/**
 * `firstPageBytes`: page 1 draws from the copy's first that many bytes (plus the file's tail, which
 * the viewer fetches anyway); null when the first 64 KB suffice or page 1's bytes are not a prefix.
 */
export type WebCopyResult =
  { ok: true; sha256: string; size: number; firstPageBytes: number | null } | { ok: false; reason: string };

/** Worth making: a file this big or this long opens page by page over Range. */
export function wantsWebCopy(size: number, pageCount: number, opts: { minBytes: number; minPages: number }): boolean {
  return size > opts.minBytes || pageCount > opts.minPages;
}

/** Writes the copy to `outPath` (which must not exist) and reports its hash; never throws. */
export async function makeWebCopy(
  path: string,
  outPath: string,
  pageCount: number,
  workers: PdfWorkers,
  opts: { timeoutMs: number },
): Promise<WebCopyResult> {
  let result: WebCopyResult;
  try {
    result = await workers.run<WebCopyResult>(
      'files',
      'web-copy-worker.mjs',
      { path, outPath, pageCount },
      { timeoutMs: opts.timeoutMs },
    );
  } catch (e) {
    // over time or crashed: the pool has terminated that worker (the worker writes outPath in one
    // call at its very end, so a copy cut short leaves at most that file, removed here)
    result = { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  if (!result.ok) await rm(outPath, { force: true });
  return result;
}
