// Runs in a pooled worker thread with its own heap limit (pdf-workers.ts, inspect-pdf.ts): opens a
// PDF with pdf.js, the same parser the client uses, and reports what the upload needs. Plain JS so
// it runs under tsx, vitest and plain node alike.
import { readFile } from 'node:fs/promises';

const { getDocument, OPS, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs');

// Operators that put ink on the page. A first page with none of them renders blank: a damaged file
// pdf.js recovered (a broken xref, lost content streams) as much as a truly empty page, so it is
// accepted with a warning for the organiser rather than refused.
const PAINT_OPS = new Set(
  [
    'fill',
    'eoFill',
    'stroke',
    'fillStroke',
    'eoFillStroke',
    'closeStroke',
    'closeFillStroke',
    'closeEOFillStroke',
    'constructPath',
    'shadingFill',
    'showText',
    'showSpacedText',
    'nextLineShowText',
    'nextLineSetSpacingShowText',
    'paintImageXObject',
    'paintInlineImageXObject',
    'paintInlineImageXObjectGroup',
    'paintImageXObjectRepeat',
    'paintImageMaskXObject',
    'paintImageMaskXObjectGroup',
    'paintImageMaskXObjectRepeat',
    'paintSolidColorImageMask',
    'paintFormXObjectBegin',
  ]
    .map((name) => OPS[name])
    .filter((op) => op !== undefined),
);

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
    let title = /** @type {string | null} */ (null);
    try {
      const meta = await doc.getMetadata();
      const t = /** @type {{ Title?: unknown } | undefined} */ (meta?.info)?.Title;
      if (typeof t === 'string' && t.trim()) title = t.trim().slice(0, 300);
    } catch {
      /* metadata is optional */
    }
    // A document whose first page cannot be read is of no use in a meeting.
    const first = await doc.getPage(1);
    const ops = await first.getOperatorList();
    const warning = ops.fnArray.some((op) => PAINT_OPS.has(op)) ? null : 'blank-first-page';
    return { ok: true, pageCount, title, warning };
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
