// Annotations on the open document, wired for MeetingPage: returns the overlay to pass to
// PdfViewer's renderOverlay, and the toolbar (with the note editor). Commands go through the
// live store's sendCommand; live ink through its volatile sendInk.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnnotationLayer, InkPoint, StoredStroke } from '../../../shared/annotations';
import type { MeetingAbilities } from '../../../shared/api';
import type { PageGeometry } from '../viewer/PdfPageView';
import type { LiveStore } from '../live/live-store';
import { AnnotationStore, type AnnotationSnapshot } from './annotation-store';
import { AnnotationToolbar, COLORS, WIDTHS, type WidthKey } from './AnnotationToolbar';
import { InkBatcher } from './ink-batcher';
import { InkLayer, type InkTool } from './InkLayer';
import { newStrokeId } from './stroke-input';
import './annotations.css';

export interface UseAnnotationsInput {
  store: LiveStore | null;
  documentId: string | null;
  userId: string;
  /** what the caller may mark and erase, from the server's policies (null: no tools, e.g. the room screen) */
  marks: Pick<MeetingAbilities, 'annotate' | 'annotateShared' | 'eraseOthersMarks'> | null;
  /** chair or the named presenter: may draw on the presenter layer */
  presenting: boolean;
  say: (text: string) => void;
  nameOf: (userId: string) => string | null;
  /** two-finger pinch on the page: the new zoom (1 = 100 %) */
  onPinch?: (scale: number) => void;
  /** where the marks load from (default: the member route; the room screen passes its own) */
  annotationsUrl?: string;
  /** only these layers are ever drawn (the room screen: shared and presenter, whoever is signed in) */
  layers?: readonly AnnotationLayer[];
  /** false: no annotated PDF download (a confidential document the caller may not take away) */
  downloadable?: boolean;
}

const EMPTY: AnnotationSnapshot = {
  loaded: false,
  version: 0,
  strokes: new Map(),
  previews: new Map(),
  canUndo: false,
  canRedo: false,
};

function isTyping(t: EventTarget | null) {
  return t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
}

export function useAnnotations(input: UseAnnotationsInput): {
  renderOverlay: (g: PageGeometry) => ReactNode;
  toolbar: ReactNode;
} {
  const { t } = useTranslation();
  const { store: live, documentId, userId, marks, presenting, say, annotationsUrl } = input;
  const [store, setStore] = useState<AnnotationStore | null>(null);
  useEffect(() => {
    if (!live || !documentId) return;
    const s = new AnnotationStore(live, documentId, userId, annotationsUrl);
    setStore(s);
    return () => {
      s.dispose();
      setStore(null);
    };
  }, [live, documentId, userId, annotationsUrl]);
  const snap = useSyncExternalStore(store ? store.subscribe : noop, store ? store.getSnapshot : () => EMPTY);

  const readOnly = !marks?.annotate;
  const mayShare = marks?.annotateShared ?? false;
  const eraseOthers = marks?.eraseOthersMarks ?? false;
  const drawLayers = useMemo<AnnotationLayer[]>(() => {
    if (readOnly) return [];
    const l: AnnotationLayer[] = ['private'];
    if (mayShare) l.push('shared');
    if (presenting) l.push('presenter');
    return l;
  }, [readOnly, mayShare, presenting]);
  const [tool, setTool] = useState<InkTool>('none');
  const [color, setColor] = useState<string>(COLORS[0].hex);
  const [width, setWidth] = useState<WidthKey>('medium');
  const [layer, setLayer] = useState<AnnotationLayer>('private');
  const [hidden, setHidden] = useState<ReadonlySet<AnnotationLayer>>(new Set());
  const onlyLayers = input.layers;
  const shown = useCallback(
    (l: AnnotationLayer) => !hidden.has(l) && (!onlyLayers || onlyLayers.includes(l)),
    [hidden, onlyLayers],
  );
  const [flatten, setFlatten] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [note, setNote] = useState<{ anchor: InkPoint; page: number } | null>(null);
  const activeLayer = drawLayers.includes(layer) ? layer : 'private';
  const batcher = useRef<{ id: string; page: number; b: InkBatcher } | null>(null);

  const chooseTool = useCallback(
    (next: InkTool) => {
      setTool(next);
      if (next === 'highlighter' && (color === '#d62828' || color === '#111111' || color === '#1d4ed8')) setColor('#ffd60a');
      if (next === 'pen' && (color === '#ffd60a' || color === '#ff5d8f')) setColor('#d62828');
    },
    [color],
  );

  const penWidth = tool === 'highlighter' ? WIDTHS.highlighter[width] : WIDTHS.pen[width];

  const send = useCallback(
    async (type: 'stroke.add' | 'stroke.erase' | 'stroke.undo' | 'stroke.redo', payload: never) => {
      if (!live) return null;
      const ack = await live.sendCommand(type, payload);
      if (!ack.ok && !(ack.error.code === 'CONFLICT' && (type === 'stroke.undo' || type === 'stroke.redo')))
        say(t('annotations.refused', { message: ack.error.message }));
      return ack;
    },
    [live, say, t],
  );

  const commit = useCallback(
    (page: number, points: InkPoint[], tl: 'pen' | 'highlighter' | 'note', text?: string) => {
      if (!store || !documentId || points.length === 0) return;
      const strokeId = batcher.current?.page === page && tl !== 'note' ? batcher.current.id : newStrokeId();
      batcher.current = null;
      const w = tl === 'note' ? 1 : penWidth;
      const body = {
        strokeId,
        documentId,
        page,
        layer: activeLayer,
        tool: tl,
        color,
        width: w,
        points,
        ...(text !== undefined ? { text } : {}),
      };
      store.addPending({ ...body, authorId: userId, seq: Number.MAX_SAFE_INTEGER, at: new Date().toISOString() });
      void send('stroke.add', body as never).then((ack) => {
        if (ack && !ack.ok) store.dropPending(strokeId);
      });
    },
    [store, documentId, penWidth, activeLayer, color, userId, send],
  );

  const undo = useCallback(() => {
    if (documentId) void send('stroke.undo', { documentId } as never);
  }, [documentId, send]);
  const redo = useCallback(() => {
    if (documentId) void send('stroke.redo', { documentId } as never);
  }, [documentId, send]);

  useEffect(() => {
    if (readOnly) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || isTyping(e.target)) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) undo();
      else if ((k === 'z' && e.shiftKey) || k === 'y') redo();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [readOnly, undo, redo]);

  const download = useCallback(async () => {
    if (!documentId) return;
    const layers = (['private', 'shared', 'presenter'] as const).filter((l) => !hidden.has(l)).join(',');
    setProgress(0);
    try {
      const r = await fetch(
        `/api/documents/${encodeURIComponent(documentId)}/annotated.pdf?layers=${layers}&flatten=${flatten ? 1 : 0}`,
        { credentials: 'same-origin' },
      );
      if (!r.ok || !r.body) throw new Error(String(r.status));
      const total = Number(r.headers.get('content-length') ?? 0);
      const reader = r.body.getReader();
      const chunks: Uint8Array[] = [];
      let got = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        got += value.length;
        if (total) setProgress(Math.min(100, Math.round((got / total) * 100)));
      }
      const name = /filename\*=UTF-8''([^;]+)/.exec(r.headers.get('content-disposition') ?? '')?.[1];
      const url = URL.createObjectURL(new Blob(chunks as BlobPart[], { type: 'application/pdf' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name ? decodeURIComponent(name) : 'annotated.pdf';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      say(t('annotations.downloadFailed'));
    } finally {
      setProgress(null);
    }
  }, [documentId, hidden, flatten, say, t]);

  const canErase = useCallback(
    (st: StoredStroke) => st.authorId === userId || (eraseOthers && st.layer !== 'private'),
    [userId, eraseOthers],
  );

  const renderOverlay = useCallback(
    (g: PageGeometry) => {
      const marks: StoredStroke[] = [];
      for (const st of snap.strokes.values()) if (st.page === g.pageNumber && shown(st.layer)) marks.push(st);
      marks.sort((a, b) => a.seq - b.seq);
      const previews = [...snap.previews.values()].filter((p) => p.page === g.pageNumber && shown(p.layer));
      const drawTool = tool === 'pen' || tool === 'highlighter' ? tool : null;
      return (
        <InkLayer
          geometry={g}
          marks={marks}
          previews={previews}
          tool={readOnly ? 'none' : tool}
          color={color}
          width={penWidth}
          canErase={canErase}
          nameOf={input.nameOf}
          onProgress={(points) => {
            if (!live || !documentId || !drawTool) return;
            if (!batcher.current || batcher.current.page !== g.pageNumber) {
              const id = newStrokeId();
              batcher.current = {
                id,
                page: g.pageNumber,
                b: new InkBatcher(
                  {
                    meetingId: live.meetingId,
                    strokeId: id,
                    documentId,
                    page: g.pageNumber,
                    layer: activeLayer,
                    tool: drawTool,
                    color,
                    width: penWidth,
                  },
                  (p) => live.sendInk(p),
                ),
              };
            }
            batcher.current.b.update(points);
          }}
          onStroke={(points) => {
            if (!drawTool) return;
            batcher.current?.b.update(points);
            batcher.current?.b.finish();
            commit(g.pageNumber, points, drawTool);
          }}
          onCancel={() => {
            batcher.current?.b.finish();
            batcher.current = null;
          }}
          onErase={(strokeId) => {
            void send('stroke.erase', { strokeId } as never);
          }}
          onNote={(anchor) => setNote({ anchor, page: g.pageNumber })}
          onPinch={(f) => input.onPinch?.(f)}
        />
      );
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [
      snap,
      shown,
      tool,
      readOnly,
      color,
      penWidth,
      canErase,
      live,
      documentId,
      activeLayer,
      commit,
      send,
      input.nameOf,
      input.onPinch,
    ],
  );

  const toolbar = documentId ? (
    <>
      <AnnotationToolbar
        tool={tool}
        onTool={chooseTool}
        color={color}
        onColor={setColor}
        width={width}
        onWidth={setWidth}
        layer={activeLayer}
        onLayer={setLayer}
        drawLayers={drawLayers}
        hidden={hidden}
        onToggleLayer={(l) =>
          setHidden((h) => {
            const n = new Set(h);
            if (n.has(l)) n.delete(l);
            else n.add(l);
            return n;
          })
        }
        canUndo={snap.canUndo}
        canRedo={snap.canRedo}
        onUndo={undo}
        onRedo={redo}
        flatten={flatten}
        onFlatten={setFlatten}
        onDownload={input.downloadable === false ? undefined : () => void download()}
        progress={progress}
        readOnly={readOnly}
      />
      {note && (
        <NoteEditor
          onCancel={() => setNote(null)}
          onSave={(text) => {
            commit(note.page, [note.anchor], 'note', text);
            setNote(null);
          }}
        />
      )}
    </>
  ) : null;

  return { renderOverlay, toolbar };
}

function NoteEditor(props: { onSave: (text: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  return (
    <div className="ink-note-editor" role="dialog" aria-label={t('annotations.tools.note')}>
      <textarea
        autoFocus
        maxLength={2000}
        value={text}
        placeholder={t('annotations.notePlaceholder')}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') props.onCancel();
        }}
        data-testid="note-text"
      />
      <div className="ink-note-editor__actions">
        <button type="button" className="btn" onClick={props.onCancel}>
          {t('annotations.noteCancel')}
        </button>
        <button
          type="button"
          className="btn btn--primary"
          disabled={!text.trim()}
          onClick={() => props.onSave(text.trim())}
          data-testid="note-save"
        >
          {t('annotations.noteSave')}
        </button>
      </div>
    </div>
  );
}

const noop = () => () => {};
