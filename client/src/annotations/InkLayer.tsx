// The ink layer over one page: draws the marks (SVG in PDF user space, mapped by pdf.js's viewport
// transform, so rotation and zoom come for free) and turns pointer input into strokes.
// Pen, mouse and touch draw; once a pen has been seen, touches never draw (palm rejection) and two
// fingers pan and pinch-zoom instead. The stroke in progress is drawn locally every frame.
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { StickyNote } from 'lucide-react';
import { notePopupPlacement } from './note-popup';
import type { PageGeometry } from '../viewer/PdfPageView';
import type { InkPoint, StoredStroke } from '../../../shared/annotations';
import { HIGHLIGHTER_OPACITY, NOTE_ICON_SIZE, outlineToSvgPath, strokeOutline } from '../../../shared/stroke-geometry';
import type { LivePreview } from './annotation-store';
import { hits, pressureOf, toPdfPoint } from './stroke-input';

export type InkTool = 'none' | 'pen' | 'highlighter' | 'note' | 'eraser';

export interface InkLayerProps {
  geometry: PageGeometry;
  marks: readonly StoredStroke[];
  previews: readonly LivePreview[];
  tool: InkTool;
  color: string;
  /** PDF points */
  width: number;
  onProgress: (points: InkPoint[]) => void;
  onStroke: (points: InkPoint[]) => void;
  onCancel: () => void;
  onErase: (strokeId: string) => void;
  /** which marks this user may erase (their own; the chair also shared and presenter ones) */
  canErase: (st: StoredStroke) => boolean;
  onNote: (anchor: InkPoint) => void;
  /** pinch: the new zoom (1 = 100 %) */
  onPinch: (scale: number) => void;
  /** who drew a live preview, for its label */
  nameOf: (userId: string) => string | null;
}

let penSeen = false; // per tab: once a stylus shows up, fingers only pan and zoom

function StrokePath({ st, last = true }: { st: Pick<StoredStroke, 'points' | 'width' | 'tool' | 'color'>; last?: boolean }) {
  const d = outlineToSvgPath(strokeOutline(st.points, st.width, st.tool, last));
  return (
    <path
      d={d}
      fill={st.color}
      opacity={st.tool === 'highlighter' ? HIGHLIGHTER_OPACITY : 1}
      style={st.tool === 'highlighter' ? { mixBlendMode: 'multiply' } : undefined}
    />
  );
}

export function InkLayer(props: InkLayerProps) {
  const { t } = useTranslation();
  const { geometry, tool } = props;
  const { viewport, width, height, cssPerPoint } = geometry;
  const hostRef = useRef<HTMLDivElement>(null);
  const drawing = useRef<{ pointerId: number; points: InkPoint[] } | null>(null);
  const touches = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef<{ dist: number; mid: { x: number; y: number } } | null>(null);
  const [current, setCurrent] = useState<InkPoint[] | null>(null);
  const frame = useRef<number | null>(null);
  const erased = useRef(new Set<string>());
  const [openNote, setOpenNote] = useState<string | null>(null);

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const local = (e: { clientX: number; clientY: number }) => {
    const r = hostRef.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  const scheduleRender = () => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const d = drawing.current;
      setCurrent(d ? [...d.points] : null);
      if (d) props.onProgress(d.points);
    });
  };

  const eraseAt = (e: { clientX: number; clientY: number }) => {
    const { x, y } = local(e);
    const [px, py] = toPdfPoint(viewport, x, y, 0.5);
    const slop = 6 / cssPerPoint;
    for (const st of [...props.marks].reverse()) {
      if (!erased.current.has(st.strokeId) && props.canErase(st) && hits(st, px, py, slop)) {
        erased.current.add(st.strokeId);
        props.onErase(st.strokeId);
        break;
      }
    }
  };

  const cancelStroke = () => {
    if (!drawing.current) return;
    drawing.current = null;
    setCurrent(null);
    props.onCancel();
  };

  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (tool === 'none') return;
    if (e.pointerType === 'pen') penSeen = true;
    if (e.pointerType === 'touch') {
      touches.current.set(e.pointerId, local(e));
      if (touches.current.size >= 2) {
        // two fingers: a gesture, never ink
        cancelStroke();
        const [a, b] = [...touches.current.values()];
        gesture.current = { dist: Math.hypot(a!.x - b!.x, a!.y - b!.y), mid: { x: (a!.x + b!.x) / 2, y: (a!.y + b!.y) / 2 } };
        return;
      }
      if (penSeen) return; // palm rejection
    }
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.preventDefault();
    if (drawing.current) return; // a second contact while drawing is ignored
    hostRef.current?.setPointerCapture(e.pointerId);
    erased.current.clear();
    if (tool === 'eraser') {
      drawing.current = { pointerId: e.pointerId, points: [] };
      eraseAt(e);
      return;
    }
    const { x, y } = local(e);
    const p = toPdfPoint(viewport, x, y, pressureOf(e));
    if (tool === 'note') {
      drawing.current = { pointerId: e.pointerId, points: [p] };
      return;
    }
    drawing.current = { pointerId: e.pointerId, points: [p] };
    scheduleRender();
  };

  const onPointerMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.pointerType === 'touch' && touches.current.has(e.pointerId)) {
      const before = touches.current.get(e.pointerId)!;
      const now = local(e);
      touches.current.set(e.pointerId, now);
      if (gesture.current && touches.current.size >= 2) {
        const [a, b] = [...touches.current.values()];
        const dist = Math.hypot(a!.x - b!.x, a!.y - b!.y);
        const mid = { x: (a!.x + b!.x) / 2, y: (a!.y + b!.y) / 2 };
        const scroller = hostRef.current?.closest('.viewer__scroll');
        scroller?.scrollBy(gesture.current.mid.x - mid.x, gesture.current.mid.y - mid.y);
        if (gesture.current.dist > 0 && Math.abs(dist / gesture.current.dist - 1) > 0.08) {
          props.onPinch((cssPerPoint * dist) / gesture.current.dist / (96 / 72));
          gesture.current = { dist, mid };
        } else gesture.current = { ...gesture.current, mid };
        return;
      }
      void before;
    }
    const d = drawing.current;
    if (!d || d.pointerId !== e.pointerId) return;
    if (tool === 'eraser') {
      eraseAt(e);
      return;
    }
    if (tool === 'note') return;
    const events = typeof e.nativeEvent.getCoalescedEvents === 'function' ? e.nativeEvent.getCoalescedEvents() : [];
    for (const ev of events.length ? events : [e.nativeEvent]) {
      const { x, y } = local(ev);
      d.points.push(toPdfPoint(viewport, x, y, pressureOf(ev)));
    }
    scheduleRender();
  };

  const onPointerUp = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.pointerType === 'touch') {
      touches.current.delete(e.pointerId);
      if (touches.current.size < 2) gesture.current = null;
    }
    const d = drawing.current;
    if (!d || d.pointerId !== e.pointerId) return;
    drawing.current = null;
    if (frame.current !== null) {
      cancelAnimationFrame(frame.current);
      frame.current = null;
    }
    setCurrent(null);
    if (tool === 'eraser') return;
    if (tool === 'note') {
      if (d.points[0]) props.onNote(d.points[0]);
      return;
    }
    if (e.type === 'pointercancel') {
      props.onCancel();
      return;
    }
    props.onStroke(d.points);
  };

  const matrix = `matrix(${viewport.transform.join(' ')})`;
  const active = tool !== 'none';
  const pending =
    current && (tool === 'pen' || tool === 'highlighter')
      ? { points: current, width: props.width, tool, color: props.color }
      : null;

  return (
    <div
      ref={hostRef}
      className={`ink-layer ${active ? `ink-layer--active ink-layer--${tool}` : ''}`}
      style={{ width, height }}
      data-testid="ink-layer"
      data-marks={props.marks.length}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
    >
      <svg className="ink-layer__svg" width={width} height={height} aria-hidden>
        <g transform={matrix}>
          {props.marks
            .filter((m) => m.tool !== 'note')
            .map((m) => (
              <g key={m.strokeId} data-stroke-id={m.strokeId} data-layer={m.layer}>
                <StrokePath st={m} />
              </g>
            ))}
          {props.previews.map((p) => (
            <g key={p.strokeId} data-preview-id={p.strokeId} className="ink-layer__preview">
              <StrokePath st={p} last={false} />
            </g>
          ))}
          {pending && (
            <g className="ink-layer__current">
              <StrokePath st={pending} last={false} />
            </g>
          )}
        </g>
      </svg>
      {props.previews.slice(0, 3).map((p) => {
        const last = p.points.at(-1);
        if (!last) return null;
        const [x, y] = viewport.convertToViewportPoint(last[0], last[1]) as [number, number];
        return (
          <span key={p.strokeId} className="ink-layer__who" style={{ left: x + 8, top: y + 8 }}>
            {t('annotations.drawing', { name: props.nameOf(p.userId) ?? '…' })}
          </span>
        );
      })}
      {props.marks
        .filter((m) => m.tool === 'note')
        .map((m) => {
          const a = m.points[0];
          if (!a) return null;
          const [x, y] = viewport.convertToViewportPoint(a[0], a[1]) as [number, number];
          const size = Math.max(22, NOTE_ICON_SIZE * cssPerPoint);
          const open = openNote === m.strokeId;
          return (
            <div
              key={m.strokeId}
              className="ink-note"
              style={{ left: x, top: y }}
              data-stroke-id={m.strokeId}
              data-layer={m.layer}
            >
              <button
                type="button"
                className="ink-note__icon"
                style={{ width: size, height: size, color: m.color }}
                title={m.text}
                aria-label={m.text}
                aria-expanded={open}
                onPointerDown={(e) => {
                  if (tool === 'none' || tool === 'note') e.stopPropagation();
                }}
                onClick={() => setOpenNote(open ? null : m.strokeId)}
              >
                <StickyNote aria-hidden size={size * 0.8} fill={m.color} color="#333" />
              </button>
              {open && (
                <div className="ink-note__text" style={notePopupPlacement(x, y, width, height)} data-testid="note-popup">
                  {m.text}
                </div>
              )}
            </div>
          );
        })}
    </div>
  );
}
