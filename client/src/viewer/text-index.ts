// The text of a document's pages, fetched once per page and shared by the text layer and find, so
// a hit's item/offset positions are exactly those of the text layer's spans (one span per text
// item that has a `str`, in order: pdf.js TextLayer). Find folds both sides (fold.ts).
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { TextContent, TextItem } from 'pdfjs-dist/types/src/display/api';
import { foldWithMap, type Folded } from './fold';

export interface PageText {
  content: TextContent;
  /** the text items with a `str`, in the text layer's span order */
  strs: string[];
  /** the page's text folded; `origin` indexes `joined` */
  folded: Folded;
  /** for each UTF-16 unit of the joined text: [item index, offset in the item] (a separator: [item, str.length]) */
  at: Array<[number, number]>;
}

/** A find hit: from item/offset `start` up to (excluding) `end`, on one page. */
export interface TextPos {
  item: number;
  offset: number;
}
export interface Hit {
  page: number;
  start: TextPos;
  end: TextPos;
}

const cache = new WeakMap<PDFDocumentProxy, Map<number, Promise<PageText>>>();

/** exported for tests */
export function buildPageText(content: TextContent): PageText {
  const strs: string[] = [];
  const at: Array<[number, number]> = [];
  let joined = '';
  for (const raw of content.items) {
    if (!('str' in raw)) continue;
    const item = raw as TextItem;
    const i = strs.length;
    strs.push(item.str);
    for (let k = 0; k < item.str.length; k++) at.push([i, k]);
    joined += item.str;
    // a line's end is a word boundary: without it, the last word of a line runs into the next
    if (item.hasEOL) {
      at.push([i, item.str.length]);
      joined += ' ';
    }
  }
  return { content, strs, folded: foldWithMap(joined), at };
}

/** The text of page `n` (1-based), fetched once per document. */
export function pageText(doc: PDFDocumentProxy, n: number): Promise<PageText> {
  let pages = cache.get(doc);
  if (!pages) {
    pages = new Map();
    cache.set(doc, pages);
  }
  let p = pages.get(n);
  if (!p) {
    p = doc
      .getPage(n)
      .then((page) => page.getTextContent())
      .then(buildPageText);
    p.catch(() => pages.delete(n)); // a failed fetch (network) is tried again next time
    pages.set(n, p);
  }
  return p;
}

/** Every hit of the folded query `q` on one page, in reading order. */
export function findInPage(text: PageText, page: number, q: string): Hit[] {
  const hits: Hit[] = [];
  if (!q) return hits;
  const { folded, at } = text;
  for (let s = folded.text.indexOf(q); s !== -1; s = folded.text.indexOf(q, s + q.length)) {
    const first = folded.origin[s]!;
    const last = folded.origin[s + q.length - 1]!;
    const [si, so] = at[first]!;
    const [ei, eo] = at[last]!;
    hits.push({ page, start: { item: si, offset: so }, end: { item: ei, offset: eo + 1 } });
  }
  return hits;
}

/**
 * Every hit in the document, pages fetched six at a time. `onProgress` reports the pages searched
 * and the hits of the first pages all searched (1…k), so the first hits show before the last
 * pages arrive; `signal` stops the search (a new query).
 */
export async function findInDocument(
  doc: PDFDocumentProxy,
  q: string,
  signal: AbortSignal,
  onProgress?: (done: number, prefixHits: Hit[]) => void,
  /** pages that may hold the query (server-text.ts); the others are not fetched. null: all */
  mayHold: ((page: number) => boolean) | null = null,
): Promise<Hit[]> {
  const n = doc.numPages;
  // undefined until its page is searched: the prefix of searched pages grows over them
  const perPage: (Hit[] | undefined)[] = Array.from({ length: n }, () => undefined);
  let next = 1;
  let done = 0;
  let prefix = 0; // pages 1…prefix all searched
  let prefixHits: Hit[] = [];
  const worker = async () => {
    while (next <= n && !signal.aborted) {
      const page = next++;
      perPage[page - 1] = mayHold && !mayHold(page) ? [] : findInPage(await pageText(doc, page), page, q);
      done++;
      const before = prefix;
      while (prefix < n && perPage[prefix]) prefix++;
      if (prefix > before) prefixHits = prefixHits.concat(...(perPage.slice(before, prefix) as Hit[][]));
      if (!signal.aborted) onProgress?.(done, prefixHits);
    }
  };
  // several pages in flight: each waits on its own Range requests more than on the worker
  await Promise.all(Array.from({ length: 6 }, worker));
  if (signal.aborted) throw new DOMException('aborted', 'AbortError');
  return perPage.flatMap((hits) => hits ?? []);
}
