// Strips active content (JavaScript, launch actions) from an uploaded PDF before it is stored, in
// the pooled workers (sanitize-worker.mjs). The stored and served file is then the cleaned one; a
// file without active content is stored byte for byte as uploaded.
import { rm } from 'node:fs/promises';
import type { PdfWorkers } from './pdf-workers';

export type SanitizeResult =
  { ok: true; changed: false } | { ok: true; changed: true; sha256: string; size: number } | { ok: false; reason: string };

/** Writes the cleaned copy to `outPath` (which must not exist) only when something was removed; never throws. */
export async function sanitizePdf(
  path: string,
  outPath: string,
  workers: PdfWorkers,
  opts: { timeoutMs: number },
): Promise<SanitizeResult> {
  let result: SanitizeResult;
  try {
    result = await workers.run<SanitizeResult>('files', 'sanitize-worker.mjs', { path, outPath }, { timeoutMs: opts.timeoutMs });
  } catch (e) {
    result = { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  if (!result.ok || !result.changed) await rm(outPath, { force: true });
  return result;
}
