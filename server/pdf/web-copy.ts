// The web-optimized copy of a big uploaded PDF, made off the main thread with a time and heap limit
// (web-copy-worker.mjs). pdf-lib, LibreOffice and scanners write each page dictionary next to its
// page's content, so pdf.js, which walks the whole page tree before the document opens
// (checkLastPage), pays one HTTP Range request per page; the copy packs the dictionaries into
// object streams, and puts page 1's objects first (web-copy-order.mjs) so that the viewer can fetch
// all page 1 needs in one request while pdf.js boots. Best effort: any failure leaves the original
// as the file that is served.
import { Worker } from 'node:worker_threads';
import { rm } from 'node:fs/promises';

/**
 * `firstPageBytes`: page 1 draws from the copy's first that many bytes (plus the file's tail, which
 * the viewer fetches anyway); null when the first 64 KB suffice or page 1's bytes are not a prefix.
 */
export type WebCopyResult = { ok: true; sha256: string; size: number; firstPageBytes: number | null } | { ok: false; reason: string };

const workerUrl = new URL('./web-copy-worker.mjs', import.meta.url);

/** Worth making: a file this big or this long opens page by page over Range. */
export function wantsWebCopy(size: number, pageCount: number, opts: { minBytes: number; minPages: number }): boolean {
  return size > opts.minBytes || pageCount > opts.minPages;
}

/** Writes the copy to `outPath` (which must not exist) and reports its hash; never throws. */
export async function makeWebCopy(
  path: string,
  outPath: string,
  pageCount: number,
  opts: { timeoutMs: number; memoryMb: number },
): Promise<WebCopyResult> {
  const result = await new Promise<WebCopyResult>((resolve) => {
    let settled = false;
    let worker: Worker;
    const done = (r: WebCopyResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // resolved only once the worker is gone, so a timed-out one cannot still be writing outPath
      void Promise.resolve(worker?.terminate()).catch(() => {}).then(() => resolve(r));
    };
    const timer = setTimeout(() => done({ ok: false, reason: 'timed out' }), opts.timeoutMs);
    try {
      worker = new Worker(workerUrl, {
        workerData: { path, outPath, pageCount },
        resourceLimits: { maxOldGenerationSizeMb: opts.memoryMb, maxYoungGenerationSizeMb: 64 },
      });
    } catch (e) {
      done({ ok: false, reason: String(e) });
      return;
    }
    worker.once('message', (r: WebCopyResult) => done(r));
    worker.once('error', (e) => done({ ok: false, reason: `worker failed: ${e.message}` }));
    worker.once('exit', () => done({ ok: false, reason: 'worker exited' }));
  });
  if (!result.ok) await rm(outPath, { force: true });
  return result;
}
