// PDF destinations (outline entries, links) to page numbers. A destination is a name to look up
// or an explicit array whose first element is a page reference (or, in some files, a page index).
import type { PDFDocumentProxy } from 'pdfjs-dist';

export async function destinationPage(doc: PDFDocumentProxy, dest: unknown): Promise<number | null> {
  try {
    const explicit = typeof dest === 'string' ? await doc.getDestination(dest) : dest;
    if (!Array.isArray(explicit) || explicit.length === 0) return null;
    const ref: unknown = explicit[0];
    let n: number | null = null;
    if (typeof ref === 'number' && Number.isInteger(ref)) n = ref + 1;
    else if (ref && typeof ref === 'object' && 'num' in ref && 'gen' in ref)
      n = (await doc.getPageIndex(ref as { num: number; gen: number })) + 1;
    return n !== null && n >= 1 && n <= doc.numPages ? n : null;
  } catch {
    return null; // a broken destination goes nowhere rather than failing the viewer
  }
}

/** Only web and mail links leave the viewer; `javascript:`, `file:` and the like are dropped. */
export function safeExternalUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    const u = new URL(url);
    return ['http:', 'https:', 'mailto:'].includes(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}
