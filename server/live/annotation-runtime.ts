// Per-meeting annotation state in memory: every mark (visible or removed) and each author's undo /
// redo history, folded from the meeting's stroke.* events with the shared reducer, exactly like
// MeetingRuntime. Kept apart from MeetingState so snapshots stay small. After a restart a meeting
// is rebuilt lazily from the log. Marks are kept without their points (the rules of erase and undo
// need only who, where and which layer); reads for HTTP (GET, export) use the annotation_strokes table.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { perDb } from '../db/prepared';
import { annotationStrokes } from '../db/schema';
import type { LiveEvent } from '../../shared/events';
import {
  applyAnnotationEvent,
  emptyAnnotationState,
  isStrokeEvent,
  type AnnotationState,
  type StoredStroke,
  type StrokeAddedPayload,
} from '../../shared/annotations';
import { readEvents, readEventsSync } from './event-log';
import * as sqliteSchema from '../db/schema';
import type { Query, Tables } from '../db/store';
import { isUniqueViolation } from '../db/store';
import { canonicalText, textOfNested } from './canonical-json';
import { TokenBucket } from '../realtime/token-bucket';
import { AppError } from '../errors';
import { requireDocument } from './references';

export interface AnnotationLimits {
  maxPoints: number;
  maxNoteLength: number;
  strokesPerSecond: number;
  strokeBurst: number;
  /**
   * What one user may store on one document, in strokes and in points (erased ones included: their
   * rows stay for undo). Without these, one participant could store enough ink to make every
   * export of the document, and every reader of its marks, slow (issue 20 item 4).
   */
  maxStrokesPerDocument?: number;
  maxPointsPerDocument?: number;
}

export const DEFAULT_ANNOTATION_LIMITS: AnnotationLimits = {
  maxPoints: 5000,
  maxNoteLength: 2000,
  strokesPerSecond: 10,
  strokeBurst: 30,
  maxStrokesPerDocument: 5000,
  maxPointsPerDocument: 250_000,
};

/** The server decides erase and undo from a mark's rules; its ink is read from annotation_strokes. */
const WITHOUT_POINTS = { keepPoints: false } as const;

export class AnnotationRuntime {
  private readonly meetings = new Map<string, AnnotationState>();
  /** per meeting: `${documentId}|${authorId}` → strokes and points stored (for the per-document caps) */
  private readonly totals = new Map<string, Map<string, { strokes: number; points: number }>>();
  private readonly buckets = new Map<string, TokenBucket>();
  /** page counts of the meeting's documents (a document's pages never change once stored) */
  private readonly documentPages = new Map<string, Map<string, number>>();

  /** `writer`: the SQLite writer connection, for the synchronous fallback of `state` (null on PostgreSQL). */
  constructor(
    private readonly writer: Db | null,
    readonly limits: AnnotationLimits = DEFAULT_ANNOTATION_LIMITS,
  ) {}

  private fold(meetingId: string, events: LiveEvent[]): AnnotationState {
    const s = emptyAnnotationState();
    const totals = new Map<string, { strokes: number; points: number }>();
    for (const e of events) {
      if (e.seq > s.lastSeq) countStroke(totals, e);
      applyAnnotationEvent(s, e, WITHOUT_POINTS);
    }
    this.meetings.set(meetingId, s);
    this.totals.set(meetingId, totals);
    return s;
  }

  /** Builds the meeting's marks from its log if this process does not hold them yet. */
  async load(q: Query, t: Tables, meetingId: string): Promise<AnnotationState> {
    const held = this.meetings.get(meetingId);
    if (held) return held;
    const events = await readEvents(q, t, meetingId);
    // another load may have finished while this one read: the first one stays
    return this.meetings.get(meetingId) ?? this.fold(meetingId, events);
  }

  /** The marks held in memory (after `load`); on SQLite a meeting not held yet is read synchronously. */
  state(meetingId: string): AnnotationState {
    const s = this.meetings.get(meetingId);
    if (s) return s;
    if (!this.writer) throw new Error(`annotations of meeting ${meetingId} are not loaded`);
    return this.fold(meetingId, readEventsSync(this.writer, meetingId));
  }

  /**
   * The page count of a document of this meeting, NOT_FOUND otherwise. Remembered: every stroke
   * asks. A document deleted since is caught by annotation_strokes' foreign key in the stroke's
   * transaction (insertStrokeRow).
   */
  async pageCount(q: Query, t: Tables, meetingId: string, documentId: string): Promise<number> {
    let docs = this.documentPages.get(meetingId);
    if (!docs) {
      docs = new Map();
      this.documentPages.set(meetingId, docs);
    }
    let pages = docs.get(documentId);
    if (pages === undefined) {
      pages = (await requireDocument(q, t, meetingId, documentId)).pageCount;
      docs.set(documentId, pages);
    }
    return pages;
  }

  /** Is this stroke id one of the meeting's marks (shown or erased)? Other meetings' ids: the key refuses them. */
  hasStroke(meetingId: string, strokeId: string): boolean {
    const s = this.state(meetingId);
    return s.strokes.has(strokeId) || s.removed.has(strokeId);
  }

  /** Strokes and points this user has stored on this document (shown or erased). */
  authorTotals(meetingId: string, documentId: string, authorId: string): { strokes: number; points: number } {
    this.state(meetingId);
    return this.totals.get(meetingId)?.get(`${documentId}|${authorId}`) ?? { strokes: 0, points: 0 };
  }

  /** Called right after the event is durable, before it is broadcast. */
  apply(event: LiveEvent): void {
    if (!isStrokeEvent(event.type)) return;
    // not held: built from the log (which holds this event) when next used
    const s = this.meetings.get(event.meetingId);
    if (!s) return;
    if (event.seq > s.lastSeq) countStroke(this.totals.get(event.meetingId)!, event);
    applyAnnotationEvent(s, event, WITHOUT_POINTS);
  }

  /** Strokes per second per user (all of their sockets together). */
  takeStrokeToken(meetingId: string, userId: string): boolean {
    const key = `${meetingId}|${userId}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = new TokenBucket(this.limits.strokesPerSecond, this.limits.strokeBurst);
      this.buckets.set(key, b);
    }
    return b.take();
  }

  forget(meetingId: string): void {
    this.meetings.delete(meetingId);
    this.totals.delete(meetingId);
    this.documentPages.delete(meetingId);
  }
}

function countStroke(totals: Map<string, { strokes: number; points: number }>, e: LiveEvent): void {
  if (e.type !== 'stroke.add') return;
  const p = e.payload as StrokeAddedPayload;
  const key = `${p.documentId}|${e.actor}`;
  const t = totals.get(key);
  if (t) {
    t.strokes += 1;
    t.points += p.points.length;
  } else totals.set(key, { strokes: 1, points: p.points.length });
}

// ---- the annotation_strokes table, kept in step with the log inside the event's transaction
const ph = sql.placeholder;
const strokeStatements = perDb((db) => {
  const setRemoved = (removed: boolean) =>
    db
      .update(annotationStrokes)
      .set({ removed })
      .where(and(eq(annotationStrokes.id, ph('strokeId')), eq(annotationStrokes.meetingId, ph('meetingId'))))
      .prepare();
  return {
    insert: db
      .insert(annotationStrokes)
      .values({
        id: ph('id'),
        meetingId: ph('meetingId'),
        documentId: ph('documentId'),
        page: ph('page'),
        authorId: ph('authorId'),
        layer: ph('layer'),
        tool: ph('tool'),
        color: ph('color'),
        width: ph('width'),
        points: ph('points'),
        text: ph('text'),
        removed: ph('removed'),
        seq: ph('seq'),
        at: ph('at'),
      })
      .prepare(),
    remove: setRemoved(true),
    restore: setRemoved(false),
  };
});

/**
 * JSON of a stroke's points (arrays of finite numbers, which canonicalText writes as JSON does, only
 * faster): the text already written for them in the stroke's event payload when there is one.
 */
const pointsText = (points: StoredStroke['points']): string => textOfNested(points) ?? canonicalText(points) ?? '[]';

/** The prepared statements when `q` is the SQLite connection (`t` is schema.ts), as event-log.ts does. */
const preparedFor = (q: Query, t: Tables) => (t === (sqliteSchema as Tables) ? strokeStatements(q as unknown as Db) : null);

/** Inside the stroke's write transaction. */
export async function insertStrokeRow(q: Query, t: Tables, meetingId: string, st: StoredStroke): Promise<void> {
  const row = {
    id: st.strokeId,
    meetingId,
    documentId: st.documentId,
    page: st.page,
    authorId: st.authorId,
    layer: st.layer,
    tool: st.tool,
    color: st.color,
    width: st.width,
    points: pointsText(st.points),
    text: st.text ?? null,
    removed: false,
    seq: st.seq,
    at: st.at,
  };
  try {
    const p = preparedFor(q, t);
    if (p) p.insert.run(row);
    else await q.insert(t.annotationStrokes).values(row);
  } catch (err) {
    // stroke.add checks ids and documents against memory; the keys are the last word (an id used
    // in another meeting, a document deleted since): the transaction rolls back, the sender learns why
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'This stroke id is already used');
    if (isForeignKeyViolation(err)) throw new AppError('NOT_FOUND', 'Document not found in this meeting');
    throw err;
  }
}

/** A foreign key refused the row: SQLite's code, or PostgreSQL's SQLSTATE 23503 (maybe wrapped by Drizzle). */
function isForeignKeyViolation(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, d = 0; e && d < 4; e = e.cause as typeof e, d++)
    if (e.code === '23503' || e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return true;
  return false;
}

export async function setStrokeRemoved(
  q: Query,
  t: Tables,
  meetingId: string,
  strokeId: string,
  removed: boolean,
): Promise<void> {
  const p = preparedFor(q, t);
  if (p) {
    (removed ? p.remove : p.restore).run({ strokeId, meetingId });
    return;
  }
  await q
    .update(t.annotationStrokes)
    .set({ removed })
    .where(and(eq(t.annotationStrokes.id, strokeId), eq(t.annotationStrokes.meetingId, meetingId)));
}

type StrokeRow = typeof annotationStrokes.$inferSelect;

export function rowToStroke(r: StrokeRow): StoredStroke {
  return {
    strokeId: r.id,
    documentId: r.documentId,
    page: r.page,
    layer: r.layer,
    tool: r.tool,
    color: r.color,
    width: r.width,
    points: JSON.parse(r.points) as StoredStroke['points'],
    ...(r.text !== null ? { text: r.text } : {}),
    authorId: r.authorId,
    seq: r.seq,
    at: r.at,
  };
}
