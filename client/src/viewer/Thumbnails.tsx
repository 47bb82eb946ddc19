// The page list: small thumbnails rendered only when scrolled into view, one at a time, so a
// 300-page document costs nothing until someone looks; a thumbnail scrolled far out of view gives
// its canvas back (the list follows the page being read, so a reader going through 300 pages
// would otherwise hold 300 thumbnails: 70 MB at device pixel ratio 2). Each is a button that
// jumps to its page.
import { memo, useEffect, useRef, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { useTranslation } from 'react-i18next';
import { isCancelled, renderPage } from './render-page';

const THUMB_WIDTH = 104; // CSS px

/** Thumbnails render one after another, not all at once: the current page's render comes first. */
function createQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T,>(job: () => Promise<T>): Promise<T> => {
    const run = tail.then(job, job);
    tail = run.catch(() => undefined);
    return run;
  };
}

export function Thumbnails(props: {
  doc: PDFDocumentProxy;
  aspect: number;
  current: number;
  onSelect: (page: number) => void;
  labels?: string[] | null;
}) {
  const { t } = useTranslation();
  const listRef = useRef<HTMLOListElement>(null);
  // the list's scrolling box: the root the thumbnails' visibility is measured against
  const navRef = useRef<HTMLElement>(null);
  const [queue] = useState(createQueue);
  const pages = Array.from({ length: props.doc.numPages }, (_, i) => i + 1);

  const current = props.current;
  useEffect(() => {
    const el = listRef.current?.querySelector<HTMLElement>(`[data-thumb="${current}"]`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  return (
    <nav ref={navRef} className="thumbs" aria-label={t('viewer.thumbnails')}>
      <ol ref={listRef} className="thumbs__list">
        {pages.map((n) => (
          <li key={n}>
            <Thumb
              doc={props.doc}
              pageNumber={n}
              aspect={props.aspect}
              active={n === props.current}
              onSelect={props.onSelect}
              enqueue={queue}
              root={navRef}
              label={
                props.labels?.[n - 1]
                  ? t('viewer.pageLabelNamed', { n, label: props.labels[n - 1] })
                  : t('viewer.pageLabel', { n })
              }
              shown={props.labels?.[n - 1] ?? String(n)}
            />
          </li>
        ))}
      </ol>
    </nav>
  );
}

const Thumb = memo(function Thumb(props: {
  doc: PDFDocumentProxy;
  pageNumber: number;
  aspect: number;
  active: boolean;
  label: string;
  /** under the thumbnail: the page's label, or its number */
  shown: string;
  onSelect: (page: number) => void;
  enqueue: <T>(job: () => Promise<T>) => Promise<T>;
  root: React.RefObject<HTMLElement | null>;
}) {
  const { doc, pageNumber, enqueue, root } = props;
  const btnRef = useRef<HTMLButtonElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(false);
  const [done, setDone] = useState(false);

  useEffect(() => {
    const el = btnRef.current;
    if (!el) return;
    // drawn within 200 px of the list's viewport, released beyond 1200 px
    const near = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setVisible(true);
      },
      { root: root.current, rootMargin: '200px 0px' },
    );
    const far = new IntersectionObserver(
      (entries) => {
        if (entries.every((e) => !e.isIntersecting)) setVisible(false);
      },
      { root: root.current, rootMargin: '1200px 0px' },
    );
    near.observe(el);
    far.observe(el);
    return () => {
      near.disconnect();
      far.disconnect();
    };
  }, [root]);

  useEffect(() => {
    if (visible || !done) return;
    const c = hostRef.current?.querySelector('canvas');
    if (c) {
      c.width = 0;
      c.height = 0;
      c.remove();
    }
    setDone(false);
  }, [visible, done]);

  useEffect(() => {
    if (!visible || done) return;
    let live = true;
    let cancel = () => {};
    void enqueue(async () => {
      if (!live) return; // scrolled past before its turn came
      const page = await doc.getPage(pageNumber);
      if (!live) return;
      const base = page.getViewport({ scale: 1 });
      const job = renderPage(page, THUMB_WIDTH / base.width, 'thumb__canvas');
      cancel = job.cancel;
      const canvas = await job.promise;
      page.cleanup(); // the drawing's operator list and images are not needed again
      if (live && hostRef.current) {
        hostRef.current.replaceChildren(canvas);
        setDone(true);
      }
    }).catch((e: unknown) => {
      if (!isCancelled(e)) console.warn('thumbnail', pageNumber, e);
    });
    return () => {
      live = false;
      cancel();
    };
  }, [visible, done, doc, pageNumber, enqueue]);

  return (
    <button
      ref={btnRef}
      type="button"
      className="thumb"
      data-thumb={pageNumber}
      aria-current={props.active ? 'page' : undefined}
      aria-label={props.label}
      onClick={() => props.onSelect(pageNumber)}
    >
      <div
        ref={hostRef}
        className="thumb__image"
        style={{ width: THUMB_WIDTH, height: Math.round(THUMB_WIDTH * props.aspect) }}
      />
      <span className="thumb__number" aria-hidden>
        {props.shown}
      </span>
    </button>
  );
});
