// pdf.js's text layer over a page: transparent spans placed over the painted glyphs, so text can
// be selected and copied, and find hits can be highlighted where they are (a hit's item/offset
// positions index these spans: text-index.ts). With `selectable` false (the document forbids
// copying, or the office marked it confidential) the spans are still there for find, but cannot
// be selected and a copy is refused: this keeps honest users honest; the text itself remains in
// the page's DOM, as it is in the PDF bytes the browser already holds.
import { useEffect, useMemo, useRef, useState } from 'react';
import { TextLayer, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist';
import { pageText, type Hit } from './text-index';

export function TextLayerView(props: {
  doc: PDFDocumentProxy;
  page: PDFPageProxy;
  cssPerPoint: number;
  selectable: boolean;
  /** the find hits on this page, in order */
  hits: readonly Hit[];
  /** index in `hits` of the current hit, or -1 */
  current: number;
}) {
  const { doc, page, cssPerPoint, hits, current } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [spans, setSpans] = useState<{ divs: HTMLElement[]; strs: string[] } | null>(null);
  const viewport = useMemo(() => page.getViewport({ scale: cssPerPoint }), [page, cssPerPoint]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let live = true;
    let layer: TextLayer | null = null;
    setSpans(null);
    el.replaceChildren();
    pageText(doc, page.pageNumber)
      .then(async (text) => {
        if (!live) return;
        layer = new TextLayer({ textContentSource: text.content, container: el, viewport });
        await layer.render();
        if (live) setSpans({ divs: layer.textDivs, strs: layer.textContentItemsStr });
      })
      .catch((e: unknown) => {
        if (live) console.warn('text layer', page.pageNumber, e);
      });
    return () => {
      live = false;
      layer?.cancel();
    };
  }, [doc, page, viewport]);

  // Highlights: the spans a hit covers are split into text and <mark>s; every touched span is
  // first restored to its plain text.
  const touched = useRef(new Set<number>());
  useEffect(() => {
    if (!spans) return;
    for (const i of touched.current) {
      const d = spans.divs[i];
      if (d) d.textContent = spans.strs[i] ?? '';
    }
    touched.current.clear();
    const ranges = new Map<number, Array<{ from: number; to: number; current: boolean }>>();
    hits.forEach((h, k) => {
      for (let i = h.start.item; i <= h.end.item; i++) {
        const len = spans.strs[i]?.length ?? 0;
        const from = i === h.start.item ? h.start.offset : 0;
        const to = i === h.end.item ? Math.min(h.end.offset, len) : len;
        if (to > from) (ranges.get(i) ?? ranges.set(i, []).get(i)!).push({ from, to, current: k === current });
      }
    });
    for (const [i, rs] of ranges) {
      const div = spans.divs[i];
      const str = spans.strs[i];
      if (!div || str === undefined) continue;
      touched.current.add(i);
      const parts: Node[] = [];
      let at = 0;
      for (const r of rs.sort((a, b) => a.from - b.from)) {
        if (r.from < at) continue;
        if (r.from > at) parts.push(document.createTextNode(str.slice(at, r.from)));
        const mark = document.createElement('mark');
        mark.className = r.current ? 'find-hit find-hit--current' : 'find-hit';
        mark.textContent = str.slice(r.from, r.to);
        parts.push(mark);
        at = r.to;
      }
      if (at < str.length) parts.push(document.createTextNode(str.slice(at)));
      div.replaceChildren(...parts);
    }
    if (current >= 0) ref.current?.querySelector('.find-hit--current')?.scrollIntoView({ block: 'center', inline: 'nearest' });
  }, [spans, hits, current]);

  return (
    <div
      ref={ref}
      className={`textLayer ${props.selectable ? '' : 'textLayer--locked'}`}
      data-testid="text-layer"
      data-ready={spans ? 'true' : 'false'}
      data-selectable={props.selectable ? 'true' : 'false'}
      onCopy={props.selectable ? undefined : (e) => e.preventDefault()}
      onContextMenu={props.selectable ? undefined : (e) => e.preventDefault()}
    />
  );
}
