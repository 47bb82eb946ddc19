// One page: a box sized to the page in CSS px holding the canvas, and an absolutely-positioned
// overlay of the same size for layers drawn on top (follow-the-chair marker, ink annotations).
// The overlay gets the pdf.js viewport, whose convertToPdfPoint / convertToViewportPoint map
// between CSS px and PDF user space, so annotations stay in points whatever the zoom.
// Between the two: `layers` (the text layer and the PDF's links). A canvas replaced or unmounted
// is shrunk to nothing at once, so its pixels are freed without waiting for garbage collection
// (continuous scroll mounts and unmounts pages all the time).
import { useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import type { PDFPageProxy, PageViewport } from 'pdfjs-dist';
import { isCancelled, renderPage } from './render-page';

export interface PageGeometry {
  pageNumber: number;
  /** CSS px per PDF point at the current zoom */
  cssPerPoint: number;
  width: number;
  height: number;
  viewport: PageViewport;
}

export function PdfPageView(props: {
  page: PDFPageProxy;
  cssPerPoint: number;
  onRendered?: (pageNumber: number) => void;
  onError: (e: unknown) => void;
  renderOverlay?: (geometry: PageGeometry) => ReactNode;
  layers?: (viewport: PageViewport) => ReactNode;
}) {
  const { page, cssPerPoint, onRendered, onError } = props;
  const hostRef = useRef<HTMLDivElement>(null);
  const [renderedKey, setRenderedKey] = useState<string | null>(null);
  const key = `${page.pageNumber}@${cssPerPoint.toFixed(4)}`;
  const viewport = useMemo(() => page.getViewport({ scale: cssPerPoint }), [page, cssPerPoint]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    // Fast page flicking: each new page cancels the render of the one before.
    const job = renderPage(page, cssPerPoint, 'pdf-page__canvas');
    let live = true;
    job.promise.then(
      (canvas) => {
        if (!live) {
          release(canvas);
          return;
        }
        const old = host.querySelector('canvas');
        host.replaceChildren(canvas);
        if (old) release(old);
        setRenderedKey(key);
        onRendered?.(page.pageNumber);
      },
      (e: unknown) => {
        if (live && !isCancelled(e)) onError(e);
      },
    );
    return () => {
      live = false;
      job.cancel();
    };
  }, [page, cssPerPoint, key, onRendered, onError]);

  useEffect(
    () => () => {
      const c = hostRef.current?.querySelector('canvas');
      if (c) release(c);
    },
    [],
  );

  return (
    <div
      className="pdf-page"
      data-page-number={page.pageNumber}
      data-rendered={renderedKey === key ? 'true' : 'false'}
      // pdf.js's text layer sizes its spans from --total-scale-factor (CSS px per point)
      style={
        {
          width: `${viewport.width}px`,
          height: `${viewport.height}px`,
          '--total-scale-factor': cssPerPoint,
          '--scale-round-x': '1px',
          '--scale-round-y': '1px',
        } as CSSProperties
      }
    >
      <div ref={hostRef} className="pdf-page__canvas-host" />
      {props.layers?.(viewport)}
      <div className="pdf-page__overlay" data-css-per-point={cssPerPoint}>
        {props.renderOverlay?.({
          pageNumber: page.pageNumber,
          cssPerPoint,
          width: viewport.width,
          height: viewport.height,
          viewport,
        })}
      </div>
    </div>
  );
}

function release(canvas: HTMLCanvasElement) {
  canvas.width = 0;
  canvas.height = 0;
}
