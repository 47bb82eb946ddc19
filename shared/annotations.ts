// Annotations (docs/design-notes.md, Annotations): ink, highlighter and text notes on a document page, in
// PDF user space of the unrotated page (points, origin bottom-left), on one of three layers.
// Schemas for the stroke.* commands and ink.progress, and the one pure reducer that folds stroke
// events into the set of marks plus each author's undo/redo history. The server folds the log
// through it (and rebuilds after a restart); the client applies the events it receives with it.
import Type from 'typebox';
import { Id } from './api';
import type { LiveEvent } from './events';

export const ANNOTATION_LAYERS = ['private', 'shared', 'presenter'] as const;
export type AnnotationLayer = (typeof ANNOTATION_LAYERS)[number];
export const ANNOTATION_TOOLS = ['pen', 'highlighter', 'note'] as const;
export type AnnotationTool = (typeof ANNOTATION_TOOLS)[number];

/**
 * Hard caps carried by the schemas (a malformed message is INVALID). The configurable, usually
 * lower limits (server/config.ts) are checked after, with their own codes (STROKE_TOO_LONG, ...).
 */
export const MAX_STROKE_POINTS_HARD = 20_000;
export const MAX_NOTE_LENGTH_HARD = 20_000;
export const MAX_PROGRESS_POINTS = 500;
/** client ids for strokes: the client names the stroke so its live preview and the commit match */
export const StrokeIdSchema = Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
/**
 * A new stroke's id, when the client chooses it: at least 22 characters of [A-Za-z0-9_-] (room for
 * 128 random bits). Ids are one namespace, so an id already taken is refused (CONFLICT) even when
 * the stroke is someone else's private mark; with ids this long and random (the client's
 * newStrokeId), that answer tells a prober nothing it could have guessed, and nobody can take the
 * ids another member's client is about to use.
 */
export const NEW_STROKE_ID_MIN_LENGTH = 22;
export const NewStrokeIdSchema = Type.String({ minLength: NEW_STROKE_ID_MIN_LENGTH, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

/** [x, y, pressure]: points in PDF user space; pressure 0..1 (0.5 when the device has none) */
export const InkPointSchema = Type.Tuple([
  Type.Number({ minimum: -1e5, maximum: 1e5 }),
  Type.Number({ minimum: -1e5, maximum: 1e5 }),
  Type.Number({ minimum: 0, maximum: 1 }),
]);
export type InkPoint = [number, number, number];

export const ColorSchema = Type.String({ pattern: '^#[0-9a-fA-F]{6}$' });
export const LayerSchema = Type.Enum(ANNOTATION_LAYERS);
export const ToolSchema = Type.Enum(ANNOTATION_TOOLS);

export const StrokeAddSchema = Type.Object(
  {
    strokeId: Type.Optional(NewStrokeIdSchema),
    documentId: Id,
    page: Type.Integer({ minimum: 1, maximum: 100_000 }),
    layer: LayerSchema,
    tool: ToolSchema,
    color: ColorSchema,
    /** base width in PDF points (the pen's diameter at pressure 0.5) */
    width: Type.Number({ minimum: 0.1, maximum: 100 }),
    points: Type.Array(InkPointSchema, { minItems: 1, maxItems: MAX_STROKE_POINTS_HARD }),
    /** the text of a note (tool 'note'; its anchor is points[0]) */
    text: Type.Optional(Type.String({ maxLength: MAX_NOTE_LENGTH_HARD })),
  },
  { additionalProperties: false },
);
export type StrokeAdd = Type.Static<typeof StrokeAddSchema>;

export const StrokeEraseSchema = Type.Object({ strokeId: StrokeIdSchema }, { additionalProperties: false });
/** undo / redo the sender's own last action on this document */
export const StrokeUndoSchema = Type.Object({ documentId: Id }, { additionalProperties: false });

/** Volatile: points of a stroke being drawn since the previous batch (`from` = index of points[0]). */
export const InkProgressSchema = Type.Object(
  {
    meetingId: Id,
    strokeId: StrokeIdSchema,
    documentId: Id,
    page: Type.Integer({ minimum: 1, maximum: 100_000 }),
    layer: LayerSchema,
    tool: ToolSchema,
    color: ColorSchema,
    width: Type.Number({ minimum: 0.1, maximum: 100 }),
    from: Type.Integer({ minimum: 0, maximum: MAX_STROKE_POINTS_HARD }),
    points: Type.Array(InkPointSchema, { maxItems: MAX_PROGRESS_POINTS }),
    /** the pen lifted (or the stroke was cancelled): drop the preview if no commit follows */
    end: Type.Optional(Type.Boolean()),
    /** performance.now()-free wall time the first point of the batch was sampled, for latency figures */
    t: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);
export type InkProgress = Type.Static<typeof InkProgressSchema>;
/** as relayed by the server: stamped with who draws */
export type InkProgressMessage = InkProgress & { userId: string };

// ---- event payloads (decided by the server)
export interface Stroke {
  strokeId: string;
  documentId: string;
  page: number;
  layer: AnnotationLayer;
  tool: AnnotationTool;
  color: string;
  width: number;
  points: InkPoint[];
  text?: string;
}
export type StrokeAddedPayload = Stroke;
/** erase, and undo/redo: what happens to which stroke, with its layer so delivery is decidable */
export interface StrokeChangePayload {
  strokeId: string;
  documentId: string;
  page: number;
  layer: AnnotationLayer;
  /** stroke.erase: always 'remove'; undo/redo: the inverse / repeat of the action */
  op: 'remove' | 'restore';
}

export interface StoredStroke extends Stroke {
  authorId: string;
  /** seq of the stroke.add event */
  seq: number;
  at: string;
}

/** One undoable action of one author. */
export interface AnnotationAction {
  kind: 'add' | 'erase';
  strokeId: string;
}
export interface AnnotationHistory {
  done: AnnotationAction[];
  undone: AnnotationAction[];
}

export interface AnnotationState {
  /** visible marks by id */
  strokes: Map<string, StoredStroke>;
  /** removed marks (erased or undone), kept so undo/redo can bring them back */
  removed: Map<string, StoredStroke>;
  /** per author, per document */
  history: Map<string, AnnotationHistory>;
  lastSeq: number;
}

export const STROKE_EVENT_TYPES = ['stroke.add', 'stroke.erase', 'stroke.undo', 'stroke.redo'] as const;
export type StrokeEventType = (typeof STROKE_EVENT_TYPES)[number];
export const isStrokeEvent = (t: string): t is StrokeEventType => (STROKE_EVENT_TYPES as readonly string[]).includes(t);

export const historyKey = (authorId: string, documentId: string) => `${authorId}|${documentId}`;
const MAX_HISTORY = 200;

export function emptyAnnotationState(): AnnotationState {
  return { strokes: new Map(), removed: new Map(), history: new Map(), lastSeq: 0 };
}

function historyOf(s: AnnotationState, key: string): AnnotationHistory {
  let h = s.history.get(key);
  if (!h) {
    h = { done: [], undone: [] };
    s.history.set(key, h);
  }
  return h;
}

function setVisible(s: AnnotationState, strokeId: string, visible: boolean): void {
  if (visible) {
    const st = s.removed.get(strokeId);
    if (st) {
      s.removed.delete(strokeId);
      s.strokes.set(strokeId, st);
    }
  } else {
    const st = s.strokes.get(strokeId);
    if (st) {
      s.strokes.delete(strokeId);
      s.removed.set(strokeId, st);
    }
  }
}

/** What a mark holds in place of its points where only its rules matter (the server's undo and erase). */
const NO_POINTS: InkPoint[] = Object.freeze([]) as unknown as InkPoint[];

/**
 * Folds one stroke event into the state, in place (the state can hold tens of thousands of marks;
 * copying it per event would cost more than the event). Other event types and repeats are ignored.
 * `keepPoints: false` (the server) keeps a mark's rules but not its ink: who drew it, where, on which
 * layer is what erase and undo decide on; the points are in annotation_strokes (≈5 KB a stroke).
 */
export function applyAnnotationEvent(s: AnnotationState, e: LiveEvent, opts: { keepPoints?: boolean } = {}): void {
  if (e.seq <= s.lastSeq) return;
  s.lastSeq = e.seq;
  if (!isStrokeEvent(e.type)) return;
  if (e.type === 'stroke.add') {
    const p = e.payload as StrokeAddedPayload;
    // one literal, always the same shape (spreads built a new hidden class per stroke: a server hot path)
    const points = opts.keepPoints === false ? NO_POINTS : p.points;
    const st: StoredStroke =
      p.text === undefined
        ? {
            strokeId: p.strokeId,
            documentId: p.documentId,
            page: p.page,
            layer: p.layer,
            tool: p.tool,
            color: p.color,
            width: p.width,
            points,
            authorId: e.actor,
            seq: e.seq,
            at: e.at,
          }
        : {
            strokeId: p.strokeId,
            documentId: p.documentId,
            page: p.page,
            layer: p.layer,
            tool: p.tool,
            color: p.color,
            width: p.width,
            points,
            text: p.text,
            authorId: e.actor,
            seq: e.seq,
            at: e.at,
          };
    s.strokes.set(p.strokeId, st);
    const h = historyOf(s, historyKey(e.actor, p.documentId));
    h.done.push({ kind: 'add', strokeId: p.strokeId });
    if (h.done.length > MAX_HISTORY) h.done.shift();
    h.undone = [];
    return;
  }
  const p = e.payload as StrokeChangePayload;
  const h = historyOf(s, historyKey(e.actor, p.documentId));
  if (e.type === 'stroke.erase') {
    h.done.push({ kind: 'erase', strokeId: p.strokeId });
    if (h.done.length > MAX_HISTORY) h.done.shift();
    h.undone = [];
  } else if (e.type === 'stroke.undo') {
    const a = h.done.pop();
    if (a) h.undone.push(a);
  } else {
    const a = h.undone.pop();
    if (a) h.done.push(a);
  }
  setVisible(s, p.strokeId, p.op === 'restore');
}

/** What undo (or redo) of this author's last action on a document would do, or null. */
export function nextUndo(
  s: AnnotationState,
  authorId: string,
  documentId: string,
  redo: boolean,
): { action: AnnotationAction; op: 'remove' | 'restore'; stroke: StoredStroke } | null {
  const h = s.history.get(historyKey(authorId, documentId));
  const action = redo ? h?.undone.at(-1) : h?.done.at(-1);
  if (!action) return null;
  const stroke = s.strokes.get(action.strokeId) ?? s.removed.get(action.strokeId);
  if (!stroke) return null;
  // undo of an add removes, undo of an erase restores; redo repeats the action
  const removes = (action.kind === 'add') !== redo;
  return { action, op: removes ? 'remove' : 'restore', stroke };
}

/** Strokes of one document page, oldest first (drawing order). */
export function strokesOfPage(s: AnnotationState, documentId: string, page: number): StoredStroke[] {
  const out: StoredStroke[] = [];
  for (const st of s.strokes.values()) if (st.documentId === documentId && st.page === page) out.push(st);
  return out.sort((a, b) => a.seq - b.seq);
}

/** Round to 1/100 pt: far below what a pen resolves, and keeps messages small. */
export const roundPoint = (x: number) => Math.round(x * 100) / 100;

// ---- HTTP: the marks a user may see on one document
export const StoredStrokeSchema = Type.Object({
  strokeId: Type.String(),
  documentId: Type.String(),
  page: Type.Integer(),
  layer: LayerSchema,
  tool: ToolSchema,
  color: Type.String(),
  width: Type.Number(),
  points: Type.Array(Type.Array(Type.Number())),
  text: Type.Optional(Type.String()),
  authorId: Type.String(),
  seq: Type.Integer(),
  at: Type.String(),
});
export const DocumentAnnotationsSchema = Type.Object({
  documentId: Type.String(),
  meetingId: Type.String(),
  /** the meeting log's head when read: apply live stroke events after this seq */
  seq: Type.Integer(),
  strokes: Type.Array(StoredStrokeSchema),
  /** can the caller undo / redo now */
  canUndo: Type.Boolean(),
  canRedo: Type.Boolean(),
});
export type DocumentAnnotations = Type.Static<typeof DocumentAnnotationsSchema>;
