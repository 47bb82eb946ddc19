// The document viewer, a controlled component: the parent owns `page` and `zoom` (so "follow
// the chair" can drive it); the viewer owns loading, rendering, the sidebar (thumbnails, outline),
// find, and input (toolbar, keyboard, swipe, pinch). Two layouts, the reader's choice (kept on the
// device): one page at a time, like paper on a tablet, or a continuous column (ScrollPages, which
// mounts only the pages near the viewport). Either way `page` is the page being read: follow
// turns it and the viewer shows it (scrolls to it in the column).
//
// Ink (renderOverlay) is per page in both layouts: each mounted page gets its own overlay with its
// own page number and viewport, so a stroke lands on the page it is drawn on.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { PermissionFlag, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist';
import { useTranslation } from 'react-i18next';
import { ErrorPanel, Loading } from '../components/StatusView';
import { useMediaQuery } from '../hooks/useMediaQuery';
import { PdfPageView, type PageGeometry } from './PdfPageView';
import { CSS_PER_POINT, classifyLoadError, openPdf, type PdfLoadError } from './pdfjs';
import { Thumbnails } from './Thumbnails';
import { ViewerToolbar, type ViewerLayout } from './ViewerToolbar';
import { FindBar } from './FindBar';
import { LinkLayer } from './LinkLayer';
import { Outline, loadOutline, type OutlineNode } from './Outline';
import { ScrollPages } from './ScrollPages';
import { TextLayerView } from './TextLayerView';
import { useElementSize } from './useElementSize';
import { useFind } from './useFind';
import { usePinch } from './usePinch';
import { useSwipe } from './useSwipe';
import './viewer.css';
import { cssPerPoint as computeCssPerPoint, stepZoom, type ZoomMode } from './zoom';
import { useConfidentialGuard } from '../confidential/useConfidentialGuard';
import { notePainted } from '../offline/after-first-paint';

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
  /**
   * false: the text layer cannot be selected or copied (confidential documents). The document's
   * own permissions can forbid copying too; either one is enough to lock it.
   */
  allowTextCopy?: boolean;
  /** the document's bytes kept on the device, opened when the network is gone (client/src/offline) */
  kept?: () => Promise<Uint8Array | null>;
}

const LAYOUT_KEY = 'hop.viewer.layout';
function storedLayout(): ViewerLayout {
  try {
    return localStorage.getItem(LAYOUT_KEY) === 'scroll' ? 'scroll' : 'page';
  } catch {
    return 'page';
  }
}
const NO_HITS = { hits: [], current: -1 } as const;

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
  const chrome = props.chrome !== false;
  const [layoutChoice, setLayoutChoice] = useState<ViewerLayout>(storedLayout);
  const layout: ViewerLayout = chrome ? layoutChoice : 'page'; // the room screen shows one page
  const chooseLayout = useCallback((l: ViewerLayout) => {
    setLayoutChoice(l);
    try {
      localStorage.setItem(LAYOUT_KEY, l);
    } catch {
      /* private mode: not remembered */
    }
  }, []);
  const [sideTab, setSideTab] = useState<'pages' | 'outline'>('pages');
  const [findOpen, setFindOpen] = useState(false);
  const [findFocus, setFindFocus] = useState(0);

  // the kept bytes are asked for only when the network fails; the latest loader, without reopening
  const keptRef = useRef(props.kept);
  keptRef.current = props.kept;

  // Open the document; destroying the loading task on unmount stops its range requests.
  useEffect(() => {
    let live = true;
    const fail = (e: unknown) => {
      if (!live) return;
      if (!(e instanceof DOMException && e.name === 'AbortError')) console.warn('pdf load failed', e);
      setDocState({ status: 'error', reason: classifyLoadError(e) });
    };
    const opened = openPdf(url, fail, () => keptRef.current?.() ?? Promise.resolve(null));
    setDocState({ status: 'loading' });
    setPageProxy(null);
    opened.promise.then((doc) => {
      if (live) setDocState({ status: 'ready', doc });
    }, fail);
    return () => {
      live = false;
      opened.destroy();
    };
  }, [url, attempt]);

  const doc = docState.status === 'ready' ? docState.doc : null;
  const numPages = doc?.numPages ?? null;

  // What the document itself says: copy permission, page labels, outline, page 1's size.
  const [copyForbidden, setCopyForbidden] = useState(false);
  const [labels, setLabels] = useState<string[] | null>(null);
  const [outline, setOutline] = useState<OutlineNode[]>([]);
  const [firstBase, setFirstBase] = useState<{ w: number; h: number } | null>(null);
  useEffect(() => {
    setCopyForbidden(false);
    setLabels(null);
    setOutline([]);
    setFirstBase(null);
    if (!doc) return;
    let live = true;
    void doc.getPermissions().then(
      (p) => {
        if (live) setCopyForbidden(Array.isArray(p) && !p.includes(PermissionFlag.COPY));
      },
      () => undefined,
    );
    void doc.getPageLabels().then(
      (l) => {
        // labels that only repeat 1, 2, 3… say nothing the page number does not
        if (live && l && l.some((x, i) => x !== String(i + 1))) setLabels(l);
      },
      () => undefined,
    );
    void loadOutline(doc).then((o) => {
      if (live) setOutline(o);
    });
    void doc.getPage(1).then(
      (p) => {
        const v = p.getViewport({ scale: 1 });
        if (live) setFirstBase({ w: v.width, h: v.height });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [doc]);
  // a confidential document's text is never selectable, whatever the caller passed
  const selectable = props.allowTextCopy !== false && props.confidential !== true && !copyForbidden;
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
      (p) => {
        if (live) setPageProxy(p);
      },
      () => {
        if (live) setRenderError(clampedPage);
      },
    );
    return () => {
      live = false;
    };
  }, [doc, clampedPage]);

  useEffect(() => {
    if (layout === 'page') scrollRef.current?.scrollTo({ top: 0 });
  }, [clampedPage, layout]);

  const pageBase = useMemo(() => pageProxy?.getViewport({ scale: 1 }) ?? null, [pageProxy]);
  // In the column one scale serves every page: page 1's size sets it, so turning pages never re-lays it.
  const base = layout === 'scroll' && firstBase ? { width: firstBase.w, height: firstBase.h } : pageBase;
  const scale = base && box.width > 0 ? computeCssPerPoint(zoom, base.width, base.height, box.width, box.height) : null;
  // Rounded so tiny resizes don't re-render; a fit mode tracks the box, a fixed scale does not.
  const cssPerPoint = scale === null ? null : Math.round(scale * 1000) / 1000;
  const zoomPercent = cssPerPoint === null ? null : Math.round((cssPerPoint / CSS_PER_POINT) * 100);

  const goTo = useCallback(
    (n: number) => {
      if (!numPages) return;
      const next = Math.min(Math.max(1, n), numPages);
      if (next !== clampedPage) onPageChange(next);
    },
    [numPages, clampedPage, onPageChange],
  );

  const zoomStep = useCallback(
    (direction: 1 | -1) => {
      const current = cssPerPoint === null ? 1 : cssPerPoint / CSS_PER_POINT;
      onZoomChange({ kind: 'scale', scale: stepZoom(current, direction) });
    },
    [cssPerPoint, onZoomChange],
  );

  const goToAny = useCallback(
    (n: number) => {
      if (numPages) onPageChange(Math.min(Math.max(1, n), numPages));
    },
    [numPages, onPageChange],
  );
  const find = useFind(doc, clampedPage, goToAny, props.confidential || props.chrome === false ? null : props.documentId);
  const closeFind = useCallback(() => {
    setFindOpen(false);
    find.clear();
    scrollRef.current?.focus();
  }, [find.clear]); // eslint-disable-line react-hooks/exhaustive-deps

  // Keyboard: arrows / PageUp / PageDown / Home / End turn pages, + and - zoom. Ignored while
  // typing (the page box) and with Ctrl/Cmd, which belong to the browser, except Ctrl/Cmd+F:
  // find in this document rather than in the app's page.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (chrome && !e.defaultPrevented && (e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 'f' || e.key === 'F')) {
        e.preventDefault();
        setFindOpen(true);
        setFindFocus((n) => n + 1);
        return;
      }
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      const pageUp = e.key === 'PageUp' || e.key === 'ArrowLeft';
      const pageDown = e.key === 'PageDown' || e.key === 'ArrowRight';
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
  }, [goTo, zoomStep, clampedPage, numPages, chrome]);

  // Swipes turn pages only while the page fits the width; zoomed in, a finger pans instead.
  // In the column a finger scrolls; swiping is for page by page.
  const fitsWidth = layout === 'page' && cssPerPoint !== null && base !== null && base.width * cssPerPoint <= box.width;
  const onSwipe = useCallback((dir: 'left' | 'right') => goTo(clampedPage + (dir === 'left' ? 1 : -1)), [goTo, clampedPage]);
  useSwipe(scrollRef, onSwipe, fitsWidth);
  const onPinch = useCallback(
    (factor: number) => {
      const current = cssPerPoint === null ? 1 : cssPerPoint / CSS_PER_POINT;
      onZoomChange({ kind: 'scale', scale: Math.min(4, Math.max(0.25, current * factor)) });
    },
    [cssPerPoint, onZoomChange],
  );
  usePinch(scrollRef, onPinch);

  // Warm the next page's bytes (Range requests) so a page turn does not wait on the network.
  const onRendered = useCallback(
    (n: number) => {
      notePainted(); // the device's whole-document downloads wait for this (offline/after-first-paint.ts)
      if (doc && n < doc.numPages) void doc.getPage(n + 1).catch(() => undefined);
    },
    [doc],
  );
  const onRenderError = useCallback(() => setRenderError(clampedPage), [clampedPage]);

  const errorKey = docState.status === 'error' ? docState.reason : null;

  // One page with its layers, the same in both layouts.
  const pageView = (p: PDFPageProxy, onPainted?: (n: number) => void, onFailed?: () => void) => {
    const found = find.byPage.get(p.pageNumber) ?? NO_HITS;
    return (
      <PdfPageView
        page={p}
        cssPerPoint={cssPerPoint!}
        onRendered={onPainted}
        onError={onFailed ?? noop}
        renderOverlay={props.renderOverlay}
        layers={(viewport) =>
          doc && (
            <>
              <TextLayerView
                doc={doc}
                page={p}
                cssPerPoint={cssPerPoint!}
                selectable={selectable}
                hits={found.hits}
                current={found.current}
              />
              <LinkLayer doc={doc} page={p} viewport={viewport} onGoTo={goToAny} />
            </>
          )
        }
      />
    );
  };
  const labelOf = (n: number) => labels?.[n - 1] ?? null;

  return (
    <section
      className="viewer"
      data-document-id={props.documentId}
      data-state={docState.status}
      data-layout={layout}
      data-confidential={props.confidential === true}
      aria-busy={docState.status === 'loading'}
    >
      {chrome && (
        <ViewerToolbar
          page={clampedPage}
          pageLabel={labelOf(clampedPage)}
          layout={layout}
          onLayout={chooseLayout}
          findOpen={findOpen}
          onFind={() => {
            if (findOpen) closeFind();
            else {
              setFindOpen(true);
              setFindFocus((n) => n + 1);
            }
          }}
          numPages={numPages ?? props.expectedPages ?? null}
          zoom={zoom}
          zoomPercent={zoomPercent}
          thumbnailsOpen={thumbsOpen}
          onToggleThumbnails={() => setThumbsOpen((o) => !o)}
          onPage={goTo}
          onZoomStep={zoomStep}
          onZoom={onZoomChange}
        />
      )}
      {chrome && findOpen && (
        <FindBar find={find.state} focusToken={findFocus} onQuery={find.setQuery} onStep={find.step} onClose={closeFind} />
      )}
      <div className="viewer__body">
        {doc && thumbsOpen && base && chrome && (
          <div className="viewer__sidebar" aria-label={t('viewer.sidebar')} role="complementary">
            {outline.length > 0 && (
              <div className="viewer__tabs" role="tablist">
                <button
                  type="button"
                  role="tab"
                  aria-selected={sideTab === 'pages'}
                  className="viewer__tab"
                  onClick={() => setSideTab('pages')}
                  data-testid="tab-pages"
                >
                  {t('viewer.thumbnails')}
                </button>
                <button
                  type="button"
                  role="tab"
                  aria-selected={sideTab === 'outline'}
                  className="viewer__tab"
                  onClick={() => setSideTab('outline')}
                  data-testid="tab-outline"
                >
                  {t('viewer.outline')}
                </button>
              </div>
            )}
            {sideTab === 'outline' && outline.length > 0 ? (
              <nav className="outline" aria-label={t('viewer.outline')} data-testid="outline">
                <Outline doc={doc} items={outline} onGoTo={goToAny} />
              </nav>
            ) : (
              <Thumbnails doc={doc} aspect={base.height / base.width} current={clampedPage} onSelect={goTo} labels={labels} />
            )}
          </div>
        )}
        <div
          ref={scrollRef}
          className={`viewer__scroll viewer__scroll--${layout} ${fitsWidth ? 'viewer__scroll--swipe' : ''}`}
          // Tab reaches the page so a keyboard user can scroll it and turn pages with the arrow keys.
          tabIndex={0}
          role="region"
          aria-label={t('viewer.pages')}
        >
          {docState.status === 'loading' && <Loading label={t('viewer.loading')} />}
          {errorKey && (
            <ErrorPanel
              title={t('viewer.errorTitle')}
              message={t(`viewer.errors.${errorKey}`)}
              onRetry={errorKey === 'network' || errorKey === 'generic' ? () => setAttempt((n) => n + 1) : undefined}
            />
          )}
          {renderError !== null && <ErrorPanel message={t('viewer.errors.render')} />}
          {layout === 'page' && doc && pageProxy && cssPerPoint !== null && renderError === null && (
            <div className="viewer__page-wrap">{pageView(pageProxy, onRendered, onRenderError)}</div>
          )}
          {layout === 'scroll' && doc && firstBase && cssPerPoint !== null && (
            <ScrollPages
              doc={doc}
              scrollRef={scrollRef}
              boxWidth={box.width}
              boxHeight={box.height}
              cssPerPoint={cssPerPoint}
              defaultSize={firstBase}
              page={clampedPage}
              onPageChange={goToAny}
              renderPage={(p) => pageView(p)}
            />
          )}
        </div>
      </div>
    </section>
  );
}

function noop() {}
