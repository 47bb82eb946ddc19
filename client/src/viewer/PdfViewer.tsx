// The document viewer, a controlled component: the parent owns `page` and `zoom` (so "follow
// the chair" can drive it later); the viewer owns loading, rendering, thumbnails and input
// (toolbar, keyboard, swipe). It shows one page at a time, like paper on a tablet.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist';
import { useTranslation } from 'react-i18next';
import { ErrorPanel, Loading } from '../components/StatusView';
import { useMediaQuery } from '../hooks/useMediaQuery';
import { PdfPageView, type PageGeometry } from './PdfPageView';
import { CSS_PER_POINT, classifyLoadError, openPdf, type PdfLoadError } from './pdfjs';
import { Thumbnails } from './Thumbnails';
import { ViewerToolbar } from './ViewerToolbar';
import { useElementSize } from './useElementSize';
import { useSwipe } from './useSwipe';
import { cssPerPoint as computeCssPerPoint, stepZoom, type ZoomMode } from './zoom';
import { useConfidentialGuard } from '../confidential/useConfidentialGuard';

export type { PageGeometry } from './PdfPageView';
export type { ZoomMode } from './zoom';

type DocState = { status: 'loading' } | { status: 'error'; reason: PdfLoadError } | { status: 'ready'; doc: PDFDocumentProxy };

export interface PdfViewerProps {
  url: string;
  documentId: string;
  /** page count known from the server, shown before the file has loaded */
  expectedPages?: number;
  page: number;
  onPageChange: (page: number) => void;
  zoom: ZoomMode;
  onZoomChange: (zoom: ZoomMode) => void;
  /** layers drawn over the page, in CSS px of the page box */
  renderOverlay?: (geometry: PageGeometry) => ReactNode;
  /** toolbar and thumbnails (default); the room screen shows the bare page */
  chrome?: boolean;
  /** a confidential document (tài liệu mật): no selection, copy, drag or print (client/src/confidential) */
  confidential?: boolean;
}

function isTypingTarget(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
}

export function PdfViewer(props: PdfViewerProps) {
  const { t } = useTranslation();
  const { url, page, onPageChange, zoom, onZoomChange } = props;
  const [attempt, setAttempt] = useState(0);
  const [docState, setDocState] = useState<DocState>({ status: 'loading' });
  const [pageProxy, setPageProxy] = useState<PDFPageProxy | null>(null);
  const [renderError, setRenderError] = useState<number | null>(null);
  const wide = useMediaQuery('(min-width: 1000px)');
  const [thumbsOpen, setThumbsOpen] = useState(wide);
  const scrollRef = useRef<HTMLDivElement>(null);
  const box = useElementSize(scrollRef);
  useConfidentialGuard(props.confidential === true);

  // Open the document; destroying the loading task on unmount stops its range requests.
  useEffect(() => {
    let live = true;
    const fail = (e: unknown) => {
      if (!live) return;
      if (!(e instanceof DOMException && e.name === 'AbortError')) console.warn('pdf load failed', e);
      setDocState({ status: 'error', reason: classifyLoadError(e) });
    };
    const opened = openPdf(url, fail);
    setDocState({ status: 'loading' });
    setPageProxy(null);
    opened.promise.then((doc) => { if (live) setDocState({ status: 'ready', doc }); }, fail);
    return () => {
      live = false;
      opened.destroy();
    };
  }, [url, attempt]);

  const doc = docState.status === 'ready' ? docState.doc : null;
  const numPages = doc?.numPages ?? null;
  const clampedPage = numPages ? Math.min(Math.max(1, page), numPages) : page;

  // A page outside the document (a stale link) is corrected in the parent's state.
  useEffect(() => {
    if (numPages && clampedPage !== page) onPageChange(clampedPage);
  }, [numPages, clampedPage, page, onPageChange]);

  // Load the requested page; the previous page stays on screen until this one is painted.
  useEffect(() => {
    if (!doc) return;
    let live = true;
    setRenderError(null);
    doc.getPage(clampedPage).then(
      (p) => { if (live) setPageProxy(p); },
      () => { if (live) setRenderError(clampedPage); },
    );
    return () => { live = false; };
  }, [doc, clampedPage]);

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [clampedPage]);

  const base = useMemo(() => pageProxy?.getViewport({ scale: 1 }) ?? null, [pageProxy]);
  const scale = base && box.width > 0 ? computeCssPerPoint(zoom, base.width, base.height, box.width, box.height) : null;
  // Rounded so tiny resizes don't re-render; a fit mode tracks the box, a fixed scale does not.
  const cssPerPoint = scale === null ? null : Math.round(scale * 1000) / 1000;
  const zoomPercent = cssPerPoint === null ? null : Math.round((cssPerPoint / CSS_PER_POINT) * 100);

  const goTo = useCallback((n: number) => {
    if (!numPages) return;
    const next = Math.min(Math.max(1, n), numPages);
    if (next !== clampedPage) onPageChange(next);
  }, [numPages, clampedPage, onPageChange]);

  const zoomStep = useCallback((direction: 1 | -1) => {
    const current = cssPerPoint === null ? 1 : cssPerPoint / CSS_PER_POINT;
    onZoomChange({ kind: 'scale', scale: stepZoom(current, direction) });
  }, [cssPerPoint, onZoomChange]);

  // Keyboard: arrows / PageUp / PageDown / Home / End turn pages, + and - zoom. Ignored while
  // typing (the page box) and with Ctrl/Cmd, which belong to the browser.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      const pageUp = e.key === 'PageUp' || (e.key === 'ArrowLeft');
      const pageDown = e.key === 'PageDown' || (e.key === 'ArrowRight');
      if (pageUp) goTo(clampedPage - 1);
      else if (pageDown) goTo(clampedPage + 1);
      else if (e.key === 'Home') goTo(1);
      else if (e.key === 'End' && numPages) goTo(numPages);
      else if (e.key === '+' || e.key === '=') zoomStep(1);
      else if (e.key === '-' || e.key === '_') zoomStep(-1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [goTo, zoomStep, clampedPage, numPages]);

  // Swipes turn pages only while the page fits the width; zoomed in, a finger pans instead.
  const fitsWidth = cssPerPoint !== null && base !== null && base.width * cssPerPoint <= box.width;
  const onSwipe = useCallback((dir: 'left' | 'right') => goTo(clampedPage + (dir === 'left' ? 1 : -1)), [goTo, clampedPage]);
  useSwipe(scrollRef, onSwipe, fitsWidth);

  // Warm the next page's bytes (Range requests) so a page turn does not wait on the network.
  const onRendered = useCallback((n: number) => {
    if (doc && n < doc.numPages) void doc.getPage(n + 1).catch(() => undefined);
  }, [doc]);
  const onRenderError = useCallback(() => setRenderError(clampedPage), [clampedPage]);

  const errorKey = docState.status === 'error' ? docState.reason : null;

  return (
    <section className="viewer" data-document-id={props.documentId} data-state={docState.status} data-confidential={props.confidential === true} aria-busy={docState.status === 'loading'}>
      {props.chrome !== false && <ViewerToolbar
        page={clampedPage}
        numPages={numPages ?? props.expectedPages ?? null}
        zoom={zoom}
        zoomPercent={zoomPercent}
        thumbnailsOpen={thumbsOpen}
        onToggleThumbnails={() => setThumbsOpen((o) => !o)}
        onPage={goTo}
        onZoomStep={zoomStep}
        onZoom={onZoomChange}
      />}
      <div className="viewer__body">
        {doc && thumbsOpen && base && props.chrome !== false && (
          <Thumbnails doc={doc} aspect={base.height / base.width} current={clampedPage} onSelect={goTo} />
        )}
        <div ref={scrollRef} className={`viewer__scroll ${fitsWidth ? 'viewer__scroll--swipe' : ''}`}
          // Tab reaches the page so a keyboard user can scroll it and turn pages with the arrow keys.
          tabIndex={0} role="region" aria-label={t('viewer.pages')}>
          {docState.status === 'loading' && <Loading label={t('viewer.loading')} />}
          {errorKey && (
            <ErrorPanel title={t('viewer.errorTitle')} message={t(`viewer.errors.${errorKey}`)} onRetry={errorKey === 'network' || errorKey === 'generic' ? () => setAttempt((n) => n + 1) : undefined} />
          )}
          {renderError !== null && <ErrorPanel message={t('viewer.errors.render')} />}
          {doc && pageProxy && cssPerPoint !== null && renderError === null && (
            <div className="viewer__page-wrap">
              <PdfPageView page={pageProxy} cssPerPoint={cssPerPoint} onRendered={onRendered} onError={onRenderError} renderOverlay={props.renderOverlay} />
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
