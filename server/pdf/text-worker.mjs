// Runs in a pooled 'files' worker (pdf-workers.ts, extract-text.ts): each page's text as pdf.js
// reads it, the same parser the viewer uses, so what is searched and compared is what is shown.
// Plain JS so it runs under tsx, vitest and plain node alike.
import { readFile } from 'node:fs/promises';

const { getDocument, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs');

/** A page's text is capped: a page of millions of glyphs is an attack, not a document. */
const MAX_PAGE_CHARS = 200_000;

async function extract(path, maxPages) {
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
    if (doc.numPages > maxPages) return { ok: false, reason: `too many pages (${doc.numPages})` };
    const pages = [];
    for (let n = 1; n <= doc.numPages; n++) {
      let text = '';
      try {
        const page = await doc.getPage(n);
        const content = await page.getTextContent();
        for (const item of content.items) {
          if (typeof item.str !== 'string') continue; // marked-content markers carry no text
          text += item.str;
          // pdf.js gives the gaps between words as items of their own, and line ends as hasEOL
          if (item.hasEOL) text += '\n';
          if (text.length > MAX_PAGE_CHARS) break;
        }
        page.cleanup();
      } catch {
        // one unreadable page leaves its text empty; the others are still worth searching
      }
      pages.push(text.slice(0, MAX_PAGE_CHARS));
    }
    return { ok: true, pages };
  } catch (e) {
    const name = e && typeof e === 'object' && 'name' in e ? String(e.name) : 'error';
    return { ok: false, reason: `unreadable (${name})` };
  } finally {
    await task.destroy().catch(() => {});
  }
}

/** The pool's task: `{ path, maxPages }` → `{ ok: true, pages: string[] }` or `{ ok: false, reason }`. */
export default ({ path, maxPages }) => extract(path, maxPages);
