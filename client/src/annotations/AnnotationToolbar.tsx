// The annotation toolbar: tool, colour, width, which layer new marks go to, which layers show,
// undo / redo, and the annotated PDF download with progress. Every control is ≥ 44 px for touch.
import {
  Download,
  Eraser,
  Eye,
  EyeOff,
  Hand,
  Highlighter,
  Lock,
  Pen,
  Presentation,
  Redo2,
  StickyNote,
  Undo2,
  Users,
} from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { AnnotationLayer } from '../../../shared/annotations';
import type { InkTool } from './InkLayer';

export const COLORS = [
  { key: 'red', hex: '#d62828' },
  { key: 'blue', hex: '#1d4ed8' },
  { key: 'green', hex: '#15803d' },
  { key: 'black', hex: '#111111' },
  { key: 'yellow', hex: '#ffd60a' },
  { key: 'pink', hex: '#ff5d8f' },
] as const;
export const WIDTHS = {
  pen: { thin: 1.2, medium: 2.4, thick: 4.5 },
  highlighter: { thin: 8, medium: 14, thick: 22 },
} as const;
export type WidthKey = 'thin' | 'medium' | 'thick';

export interface ToolbarProps {
  tool: InkTool;
  onTool: (t: InkTool) => void;
  color: string;
  onColor: (hex: string) => void;
  width: WidthKey;
  onWidth: (w: WidthKey) => void;
  layer: AnnotationLayer;
  onLayer: (l: AnnotationLayer) => void;
  /** layers this user may draw on */
  drawLayers: AnnotationLayer[];
  hidden: ReadonlySet<AnnotationLayer>;
  onToggleLayer: (l: AnnotationLayer) => void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  flatten: boolean;
  onFlatten: (f: boolean) => void;
  /** absent: no download (a confidential document, client/src/confidential) */
  onDownload?: () => void;
  /** 0..100 while downloading, else null */
  progress: number | null;
  readOnly: boolean;
}

const TOOL_ICONS = { none: Hand, pen: Pen, highlighter: Highlighter, note: StickyNote, eraser: Eraser } as const;
const LAYER_ICONS = { private: Lock, shared: Users, presenter: Presentation } as const;

export function AnnotationToolbar(p: ToolbarProps) {
  const { t } = useTranslation();
  const tools: InkTool[] = p.readOnly ? ['none'] : ['none', 'pen', 'highlighter', 'note', 'eraser'];
  const showStyle = p.tool === 'pen' || p.tool === 'highlighter' || p.tool === 'note';
  const layers: AnnotationLayer[] = ['private', 'shared', 'presenter'];
  return (
    <div className="ink-toolbar" role="toolbar" aria-label={t('annotations.toolbar')} data-testid="annotation-toolbar">
      <div className="ink-toolbar__group" role="radiogroup" aria-label={t('annotations.toolbar')}>
        {tools.map((tool) => {
          const Icon = TOOL_ICONS[tool];
          return (
            <button
              key={tool}
              type="button"
              role="radio"
              aria-checked={p.tool === tool}
              className="ink-btn"
              data-tool={tool}
              title={t(`annotations.tools.${tool}`)}
              aria-label={t(`annotations.tools.${tool}`)}
              onClick={() => p.onTool(tool)}
            >
              <Icon aria-hidden size={22} />
            </button>
          );
        })}
      </div>
      {showStyle && (
        <div className="ink-toolbar__group" role="radiogroup" aria-label={t('annotations.color', { name: '' })}>
          {COLORS.map((c) => (
            <button
              key={c.key}
              type="button"
              role="radio"
              aria-checked={p.color === c.hex}
              className="ink-btn ink-btn--swatch"
              data-color={c.hex}
              title={t('annotations.color', { name: t(`annotations.colors.${c.key}`) })}
              aria-label={t('annotations.color', { name: t(`annotations.colors.${c.key}`) })}
              onClick={() => p.onColor(c.hex)}
            >
              <span className="ink-swatch" style={{ background: c.hex }} />
            </button>
          ))}
        </div>
      )}
      {(p.tool === 'pen' || p.tool === 'highlighter') && (
        <div className="ink-toolbar__group" role="radiogroup" aria-label={t('annotations.width', { name: '' })}>
          {(['thin', 'medium', 'thick'] as const).map((w, i) => (
            <button
              key={w}
              type="button"
              role="radio"
              aria-checked={p.width === w}
              className="ink-btn"
              data-width={w}
              title={t('annotations.width', { name: t(`annotations.widths.${w}`) })}
              aria-label={t('annotations.width', { name: t(`annotations.widths.${w}`) })}
              onClick={() => p.onWidth(w)}
            >
              <span className="ink-width" style={{ height: 2 + i * 3, background: p.color }} />
            </button>
          ))}
        </div>
      )}
      {!p.readOnly && (
        <div className="ink-toolbar__group" role="radiogroup" aria-label={t('annotations.layer')}>
          {p.drawLayers.map((l) => {
            const Icon = LAYER_ICONS[l];
            return (
              <button
                key={l}
                type="button"
                role="radio"
                aria-checked={p.layer === l}
                className="ink-btn ink-btn--text"
                data-layer={l}
                title={t(`annotations.layerHints.${l}`)}
                onClick={() => p.onLayer(l)}
              >
                <Icon aria-hidden size={18} />
                <span>{t(`annotations.layers.${l}`)}</span>
              </button>
            );
          })}
        </div>
      )}
      <div className="ink-toolbar__group">
        {layers.map((l) => {
          const shown = !p.hidden.has(l);
          const name = t(`annotations.layers.${l}`);
          return (
            <button
              key={l}
              type="button"
              className="ink-btn"
              aria-pressed={shown}
              data-toggle-layer={l}
              title={shown ? t('annotations.hide', { name }) : t('annotations.show', { name })}
              aria-label={shown ? t('annotations.hide', { name }) : t('annotations.show', { name })}
              onClick={() => p.onToggleLayer(l)}
            >
              {(() => {
                const Icon = LAYER_ICONS[l];
                return <Icon aria-hidden size={18} />;
              })()}
              {shown ? <Eye aria-hidden size={14} /> : <EyeOff aria-hidden size={14} />}
            </button>
          );
        })}
      </div>
      {!p.readOnly && (
        <div className="ink-toolbar__group">
          <button
            type="button"
            className="ink-btn"
            disabled={!p.canUndo}
            onClick={p.onUndo}
            title={t('annotations.undo')}
            aria-label={t('annotations.undo')}
            data-testid="ink-undo"
          >
            <Undo2 aria-hidden size={22} />
          </button>
          <button
            type="button"
            className="ink-btn"
            disabled={!p.canRedo}
            onClick={p.onRedo}
            title={t('annotations.redo')}
            aria-label={t('annotations.redo')}
            data-testid="ink-redo"
          >
            <Redo2 aria-hidden size={22} />
          </button>
        </div>
      )}
      {p.onDownload && (
        <div className="ink-toolbar__group">
          <label className="ink-check" title={t('annotations.flatten')}>
            <input type="checkbox" checked={p.flatten} onChange={(e) => p.onFlatten(e.target.checked)} />
            <span>{t('annotations.flatten')}</span>
          </label>
          <button
            type="button"
            className="ink-btn"
            onClick={p.onDownload}
            disabled={p.progress !== null}
            title={t('annotations.download')}
            aria-label={t('annotations.download')}
            data-testid="ink-download"
          >
            <Download aria-hidden size={22} />
          </button>
          {p.progress !== null && (
            <span className="ink-progress" role="progressbar" aria-valuenow={p.progress} aria-valuemin={0} aria-valuemax={100}>
              {t('annotations.downloading', { percent: p.progress })}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
