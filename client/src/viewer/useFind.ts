// Find in the document: the query (debounced), every hit in the document, the current one.
// A new query cancels the search before it; the first current hit is the first on or after the
// page being read.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { foldQuery } from './fold';
import { candidatePages, serverPageTexts } from './server-text';
import { findInDocument, type Hit } from './text-index';

export interface FindState {
  query: string;
  hits: Hit[];
  current: number;
  searching: boolean;
  /** the hits are those of the query as typed (not a query before it, nor still to come) */
  settled: boolean;
  pagesDone: number;
  pagesTotal: number;
}

const DEBOUNCE_MS = 200;

/**
 * `serverTextOf`: the document whose server-read page text may narrow the search (server-text.ts);
 * null for a confidential document (never served) or the room screen.
 */
export function useFind(
  doc: PDFDocumentProxy | null,
  readingPage: number,
  onGoTo: (page: number) => void,
  serverTextOf: string | null = null,
) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [current, setCurrent] = useState(-1);
  const [progress, setProgress] = useState<{ searching: boolean; done: number }>({ searching: false, done: 0 });
  const [settledFor, setSettledFor] = useState<string | null>(null);
  const pageRef = useRef(readingPage);
  pageRef.current = readingPage;
  const goRef = useRef(onGoTo);
  goRef.current = onGoTo;

  useEffect(() => {
    const q = foldQuery(query);
    setHits([]);
    setCurrent(-1);
    setSettledFor(null);
    if (!doc || !q) {
      setProgress({ searching: false, done: 0 });
      setSettledFor(query);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      setProgress({ searching: true, done: 0 });
      // The first hit on or after the page being read is shown as soon as the pages up to it are
      // searched; the hits found so far stay highlighted while the rest of the document is read.
      let chosen = -1;
      const from = pageRef.current;
      const choose = (hs: Hit[], final: boolean) => {
        if (chosen >= 0) return;
        const i = hs.findIndex((h) => h.page >= from);
        if (i >= 0) chosen = i;
        else if (final && hs.length > 0) chosen = 0;
        if (chosen >= 0) {
          setCurrent(chosen);
          goRef.current(hs[chosen]!.page);
        }
      };
      (serverTextOf ? serverPageTexts(serverTextOf) : Promise.resolve(null))
        .then((texts) => {
          if (ctrl.signal.aborted) throw new DOMException('aborted', 'AbortError');
          return findInDocument(
            doc,
            q,
            ctrl.signal,
            (done, prefixHits) => {
              setProgress({ searching: true, done });
              if (prefixHits.length > 0) {
                setHits(prefixHits);
                choose(prefixHits, false);
              }
            },
            candidatePages(texts, doc.numPages, q),
          );
        })
        .then(
          (found) => {
            setHits(found);
            setSettledFor(query);
            setProgress({ searching: false, done: doc.numPages });
            choose(found, true);
          },
          (e: unknown) => {
            if (!(e instanceof DOMException && e.name === 'AbortError')) {
              console.warn('find', e);
              setProgress({ searching: false, done: 0 });
            }
          },
        );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [doc, query, serverTextOf]);

  const step = useCallback(
    (direction: 1 | -1) => {
      if (hits.length === 0) return;
      const next = (current + direction + hits.length) % hits.length;
      setCurrent(next);
      goRef.current(hits[next]!.page);
    },
    [hits, current],
  );

  const clear = useCallback(() => setQuery(''), []);

  /** per page: its hits and the index among them of the current hit (-1: none) */
  const byPage = useMemo(() => {
    const m = new Map<number, { hits: Hit[]; current: number }>();
    hits.forEach((h, i) => {
      const e = m.get(h.page) ?? { hits: [], current: -1 };
      if (i === current) e.current = e.hits.length;
      e.hits.push(h);
      m.set(h.page, e);
    });
    return m;
  }, [hits, current]);

  const state: FindState = {
    query,
    hits,
    current,
    searching: progress.searching,
    settled: settledFor === query,
    pagesDone: progress.done,
    pagesTotal: doc?.numPages ?? 0,
  };
  return { state, setQuery, step, clear, byPage };
}
