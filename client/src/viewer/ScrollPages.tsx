// Continuous vertical scroll: every page has its place in one tall column, but only the pages
// within a screen of the viewport are mounted (and painted); the others are empty space, and a
// page scrolled far away is unmounted, which frees its canvas (PdfPageView). So memory follows the
// viewport, not the document: a 300-page file costs what four or five pages cost.
//
// Pages whose size is not known yet take the size of the page the viewer measured first (meeting
// documents are almost always uniform); a page that turns out different re-lays the column, and
// the page being read stays where it is (the anchor).
//
// The parent owns the page number: scrolling reports the page that fills most of the viewport
// (onPageChange); a page number from outside (the chair's follow, the page box, find, the outline)
// scrolls to that page. Our own scrolling is not reported back as the reader's.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist';

export const SCROLL_GAP = 16; // CSS px between pages and around the column

interface Size {
  w: number;
  h: number;
} // PDF points

interface Layout {
  tops: number[];
  heights: number[];
  widths: number[];
  total: number;
  width: number;
}

export function ScrollPages(props: {
  doc: PDFDocumentProxy;
  scrollRef: RefObject<HTMLDivElement | null>;
  boxWidth: number;
  boxHeight: number;
  cssPerPoint: number;
  /** the size assumed for pages not yet loaded */
  defaultSize: Size;
  page: number;
  onPageChange: (page: number) => void;
  renderPage: (page: PDFPageProxy) => ReactNode;
}) {
  const { doc, scrollRef, cssPerPoint, page, onPageChange, defaultSize } = props;
  const n = doc.numPages;
  const [sizes, setSizes] = useState<ReadonlyMap<number, Size>>(new Map());
  const [range, setRange] = useState<[number, number]>([page, page]);

  const layout = useMemo<Layout>(() => {
    const tops: number[] = [];
    const heights: number[] = [];
    const widths: number[] = [];
    let y = SCROLL_GAP;
    let maxW = 0;
    for (let i = 1; i <= n; i++) {
      const s = sizes.get(i) ?? defaultSize;
      const w = Math.round(s.w * cssPerPoint);
      const h = Math.round(s.h * cssPerPoint);
      tops.push(y);
      heights.push(h);
      widths.push(w);
      maxW = Math.max(maxW, w);
      y += h + SCROLL_GAP;
    }
    return { tops, heights, widths, total: y, width: Math.max(props.boxWidth, maxW + 2 * SCROLL_GAP) };
  }, [n, sizes, cssPerPoint, defaultSize, props.boxWidth]);

  /** index of the first page whose bottom is below `y` */
  const firstBelow = useCallback(
    (y: number) => {
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (layout.tops[mid]! + layout.heights[mid]! > y) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
    [layout, n],
  );

  /** the page (1-based) that fills most of the viewport [top, top + height) */
  const pageAt = useCallback(
    (top: number, height: number) => {
      let best = firstBelow(top);
      let bestSeen = -1;
      for (let i = best; i < n && layout.tops[i]! < top + height; i++) {
        const seen = Math.min(top + height, layout.tops[i]! + layout.heights[i]!) - Math.max(top, layout.tops[i]!);
        if (seen > bestSeen + 1) {
          best = i;
          bestSeen = seen;
        }
      }
      return best + 1;
    },
    [firstBelow, layout, n],
  );

  const anchor = useRef({ page, fraction: 0 });
  const ownScroll = useRef<number | null>(null);
  const pageRef = useRef(page);
  pageRef.current = page;

  /** mounts the pages near the viewport; returns the page being read */
  const update = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return page;
    const top = el.scrollTop;
    const h = el.clientHeight || 1;
    const first = firstBelow(top - h) + 1;
    let last = first;
    while (last < n && layout.tops[last]! < top + 2 * h) last++;
    setRange((r) => (r[0] === first && r[1] === last ? r : [first, last]));
    const current = pageAt(top, h);
    anchor.current = { page: current, fraction: (top - layout.tops[current - 1]!) / Math.max(1, layout.heights[current - 1]!) };
    return current;
  }, [scrollRef, firstBelow, pageAt, layout, n, page]);

  // Re-layout keeps the anchor in place; a page number from outside scrolls to that page.
  const laidOut = useRef<Layout | null>(null);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    let target: number | null = null;
    if (laidOut.current !== layout) {
      const a = anchor.current;
      target = layout.tops[a.page - 1]! + a.fraction * layout.heights[a.page - 1]!;
      laidOut.current = layout;
    }
    if (pageAt(target ?? el.scrollTop, el.clientHeight || 1) !== page) target = layout.tops[page - 1]! - SCROLL_GAP / 2;
    if (target !== null) {
      el.scrollTop = target;
      ownScroll.current = el.scrollTop;
    }
    update();
  }, [layout, page, pageAt, scrollRef, update]);

  useEffect(() => {
    update();
  }, [props.boxHeight, update]);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    let frame: number | null = null;
    const onScroll = () => {
      if (frame !== null) return;
      frame = requestAnimationFrame(() => {
        frame = null;
        const current = update();
        if (ownScroll.current !== null && Math.abs(el.scrollTop - ownScroll.current) < 2) return;
        ownScroll.current = null;
        if (current !== pageRef.current) onPageChange(current);
      });
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      el.removeEventListener('scroll', onScroll);
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [scrollRef, update, onPageChange]);

  const onSize = useCallback(
    (p: number, s: Size) => {
      setSizes((m) => {
        const known = m.get(p) ?? defaultSize;
        if (Math.abs(known.w - s.w) < 0.5 && Math.abs(known.h - s.h) < 0.5 && m.has(p)) return m;
        if (!m.has(p) && Math.abs(known.w - s.w) < 0.5 && Math.abs(known.h - s.h) < 0.5) return m; // as assumed: no re-layout
        const next = new Map(m);
        next.set(p, s);
        return next;
      });
    },
    [defaultSize],
  );

  const slots: ReactNode[] = [];
  for (let p = range[0]; p <= Math.min(range[1], n); p++) {
    const i = p - 1;
    slots.push(
      <ScrollSlot
        key={p}
        doc={doc}
        pageNumber={p}
        onSize={onSize}
        renderPage={props.renderPage}
        style={{
          top: layout.tops[i],
          left: Math.round((layout.width - layout.widths[i]!) / 2),
          width: layout.widths[i],
          height: layout.heights[i],
        }}
      />,
    );
  }
  return (
    <div
      className="scroll-pages"
      data-testid="scroll-pages"
      data-mounted={`${range[0]}-${range[1]}`}
      style={{ height: layout.total, width: layout.width }}
    >
      {slots}
    </div>
  );
}

function ScrollSlot(props: {
  doc: PDFDocumentProxy;
  pageNumber: number;
  style: { top?: number; left?: number; width?: number; height?: number };
  onSize: (page: number, s: Size) => void;
  renderPage: (page: PDFPageProxy) => ReactNode;
}) {
  const { doc, pageNumber, onSize } = props;
  const [proxy, setProxy] = useState<PDFPageProxy | null>(null);
  useEffect(() => {
    let live = true;
    let loaded: PDFPageProxy | null = null;
    doc.getPage(pageNumber).then(
      (p) => {
        loaded = p;
        if (!live) return;
        const v = p.getViewport({ scale: 1 });
        onSize(pageNumber, { w: v.width, h: v.height });
        setProxy(p);
      },
      (e: unknown) => console.warn('page', pageNumber, e),
    );
    return () => {
      live = false;
      // A page scrolled away drops what pdf.js keeps for drawing it again (operator list, decoded
      // images); pdf.js keeps it if a render (a thumbnail, the page view) is still running.
      // After the canvas's own cleanup, which cancels this page's render (children unmount first).
      const p = loaded;
      if (p) setTimeout(() => p.cleanup(), 0);
    };
  }, [doc, pageNumber, onSize]);
  return (
    <div className="scroll-pages__slot" data-slot={pageNumber} style={props.style}>
      {proxy && props.renderPage(proxy)}
    </div>
  );
}
