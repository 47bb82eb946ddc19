// Page navigation and zoom controls. The page box accepts a number and commits on Enter/blur.
import { useEffect, useState } from 'react';
import {
  ChevronLeft,
  ChevronRight,
  Columns2,
  File,
  Maximize,
  MoveHorizontal,
  PanelLeft,
  Rows3,
  Search,
  ZoomIn,
  ZoomOut,
} from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { ZoomMode } from './zoom';

export type ViewerLayout = 'page' | 'scroll';

export function ViewerToolbar(props: {
  page: number;
  /** the document's own label for this page ("iv", "A-3"), if it has labels */
  pageLabel: string | null;
  numPages: number | null;
  layout: ViewerLayout;
  onLayout: (layout: ViewerLayout) => void;
  findOpen: boolean;
  onFind: () => void;
  zoom: ZoomMode;
  zoomPercent: number | null;
  thumbnailsOpen: boolean;
  onToggleThumbnails: () => void;
  onPage: (page: number) => void;
  onZoomStep: (direction: 1 | -1) => void;
  onZoom: (zoom: ZoomMode) => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(String(props.page));
  useEffect(() => setDraft(String(props.page)), [props.page]);
  const total = props.numPages;

  const commit = () => {
    const n = Number.parseInt(draft, 10);
    if (total && Number.isFinite(n)) props.onPage(Math.min(Math.max(1, n), total));
    else setDraft(String(props.page));
  };

  return (
    <div className="viewer-toolbar" role="toolbar" aria-label={t('viewer.toolbar')}>
      <div className="viewer-toolbar__group">
        <button
          type="button"
          className="icon-btn"
          aria-pressed={props.thumbnailsOpen}
          onClick={props.onToggleThumbnails}
          aria-label={props.thumbnailsOpen ? t('viewer.hideThumbnails') : t('viewer.showThumbnails')}
          title={props.thumbnailsOpen ? t('viewer.hideThumbnails') : t('viewer.showThumbnails')}
          data-testid="toggle-thumbnails"
        >
          {props.thumbnailsOpen ? <PanelLeft aria-hidden /> : <Columns2 aria-hidden />}
        </button>
      </div>
      <div className="viewer-toolbar__group">
        <button
          type="button"
          className="icon-btn"
          onClick={() => props.onPage(props.page - 1)}
          disabled={!total || props.page <= 1}
          aria-label={t('viewer.prev')}
          title={t('viewer.prev')}
          data-testid="prev-page"
        >
          <ChevronLeft aria-hidden />
        </button>
        <label className="page-box">
          <span className="sr-only">{t('viewer.pageInput')}</span>
          <input
            className="page-box__input"
            inputMode="numeric"
            enterKeyHint="go"
            value={draft}
            onChange={(e) => setDraft(e.target.value.replace(/[^0-9]/g, ''))}
            onFocus={(e) => e.target.select()}
            onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                commit();
                e.currentTarget.blur();
              }
              if (e.key === 'Escape') {
                setDraft(String(props.page));
                e.currentTarget.blur();
              }
            }}
            aria-label={t('viewer.pageInput')}
            data-testid="page-input"
          />
          <span className="page-box__total" data-testid="page-total">
            {total ? t('viewer.ofTotal', { total }) : ''}
          </span>
          {props.pageLabel && (
            <span className="page-box__label" data-testid="page-label">
              ({props.pageLabel})
            </span>
          )}
        </label>
        <button
          type="button"
          className="icon-btn"
          onClick={() => props.onPage(props.page + 1)}
          disabled={!total || props.page >= total}
          aria-label={t('viewer.next')}
          title={t('viewer.next')}
          data-testid="next-page"
        >
          <ChevronRight aria-hidden />
        </button>
      </div>
      <div className="viewer-toolbar__group">
        <button
          type="button"
          className="icon-btn"
          onClick={() => props.onZoomStep(-1)}
          aria-label={t('viewer.zoomOut')}
          title={t('viewer.zoomOut')}
          data-testid="zoom-out"
        >
          <ZoomOut aria-hidden />
        </button>
        <span className="zoom-level" aria-label={t('viewer.zoomLevel')} data-testid="zoom-level">
          {props.zoomPercent === null ? '–' : `${props.zoomPercent}%`}
        </span>
        <button
          type="button"
          className="icon-btn"
          onClick={() => props.onZoomStep(1)}
          aria-label={t('viewer.zoomIn')}
          title={t('viewer.zoomIn')}
          data-testid="zoom-in"
        >
          <ZoomIn aria-hidden />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-pressed={props.zoom.kind === 'fit-width'}
          onClick={() => props.onZoom({ kind: 'fit-width' })}
          aria-label={t('viewer.fitWidth')}
          title={t('viewer.fitWidth')}
          data-testid="fit-width"
        >
          <MoveHorizontal aria-hidden />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-pressed={props.layout === 'scroll'}
          onClick={() => props.onLayout(props.layout === 'scroll' ? 'page' : 'scroll')}
          aria-label={props.layout === 'scroll' ? t('viewer.layoutPage') : t('viewer.layoutScroll')}
          title={props.layout === 'scroll' ? t('viewer.layoutPage') : t('viewer.layoutScroll')}
          data-testid="toggle-layout"
        >
          {props.layout === 'scroll' ? <File aria-hidden /> : <Rows3 aria-hidden />}
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-pressed={props.findOpen}
          onClick={props.onFind}
          aria-label={t('viewer.find')}
          title={`${t('viewer.find')} (Ctrl+F)`}
          data-testid="find-toggle"
        >
          <Search aria-hidden />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-pressed={props.zoom.kind === 'fit-page'}
          onClick={() => props.onZoom({ kind: 'fit-page' })}
          aria-label={t('viewer.fitPage')}
          title={t('viewer.fitPage')}
          data-testid="fit-page"
        >
          <Maximize aria-hidden />
        </button>
      </div>
    </div>
  );
}
