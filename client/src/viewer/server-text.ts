// The page text the server read at upload (GET /api/documents/:id/text), used by find to skip the
// pages that cannot hold the query: without it the first find in a long document has pdf.js fetch
// and read every page (12–25 s for the 300-page benchmark file). It is only a filter: the pages
// it keeps are still read by pdf.js, whose text items the highlights are placed on, so a hit is
// exactly where the text layer has it. Any failure (offline, a confidential document, text not
// read yet) gives null and find reads every page as before.
import type { DocumentText } from '../../../shared/api';
import { http } from '../api/http';
import { foldWithMap } from './fold';

const cache = new Map<string, Promise<string[] | null>>();

/** Folded, with no white space at all: the server and pdf.js may space the same words differently. */
export const squeeze = (s: string) => foldWithMap(s).text.replace(/ /g, '');

/** Each page's text squeezed (index 0 is page 1), or null when the server has none to give. */
export function serverPageTexts(documentId: string): Promise<string[] | null> {
  let p = cache.get(documentId);
  if (!p) {
    p = http.get<DocumentText>(`/api/documents/${encodeURIComponent(documentId)}/text`).then(
      (t) => (t.state === 'done' && t.pages.length > 0 ? t.pages.map(squeeze) : null),
      () => null,
    );
    // a miss (offline, text still to come) is asked again at the next find, a hit is kept
    void p.then((v) => {
      if (v === null) cache.delete(documentId);
    });
    cache.set(documentId, p);
  }
  return p;
}

/** For a folded query: the pages (1-based) worth reading with pdf.js, or null to read them all. */
export function candidatePages(
  pages: string[] | null,
  numPages: number,
  foldedQuery: string,
): ((page: number) => boolean) | null {
  if (!pages || pages.length !== numPages) return null; // not the same file's pages: trust nothing
  const q = foldedQuery.replace(/ /g, '');
  if (!q) return null;
  return (page) => pages[page - 1]?.includes(q) ?? true;
}
