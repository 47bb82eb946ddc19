// Runs in a pooled worker thread with its own heap limit (pdf-workers.ts, inspect-pdf.ts): opens a
// PDF with pdf.js, the same parser the client uses, and reports what the upload needs. Plain JS so
// it runs under tsx, vitest and plain node alike.
import { readFile } from 'node:fs/promises';

const { getDocument, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs');

async function inspect(path) {
  const data = new Uint8Array(await readFile(path));
  const task = getDocument({
    data,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: VerbosityLevel.ERRORS,
  });
  try {
    const doc = await task.promise;
    const pageCount = doc.numPages;
    let title = null;
    try {
      const meta = await doc.getMetadata();
      const t = meta?.info?.Title;
      if (typeof t === 'string' && t.trim()) title = t.trim().slice(0, 300);
    } catch { /* metadata is optional */ }
    // A document whose first page cannot be read is of no use in a meeting.
    await doc.getPage(1);
    return { ok: true, pageCount, title };
  } catch (e) {
    const name = e && typeof e === 'object' && 'name' in e ? String(e.name) : '';
    if (name === 'PasswordException') return { ok: false, code: 'PDF_ENCRYPTED', message: 'The PDF is password-protected' };
    return { ok: false, code: 'PDF_UNREADABLE', message: `The file could not be read as a PDF (${name || 'error'})` };
  } finally {
    await task.destroy().catch(() => {});
  }
}

/** The pool's task: `{ path }` → the result above (never throws for a bad PDF). */
export default ({ path }) => inspect(path);
