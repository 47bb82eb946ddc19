// Per-meeting annotation state in memory: every mark (visible or removed) and each author's undo /
// redo history, folded from the meeting's stroke.* events with the shared reducer, exactly like
// MeetingRuntime. Kept apart from MeetingState so snapshots stay small. After a restart a meeting
// is rebuilt lazily from the log. Reads for HTTP (GET, export) use the annotation_strokes table.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { perDb } from '../db/prepared';
import { annotationStrokes } from '../db/schema';
import type { LiveEvent } from '../../shared/events';
import { applyAnnotationEvent, emptyAnnotationState, isStrokeEvent, type AnnotationState, type StoredStroke } from '../../shared/annotations';
import { databaseOf, readEvents } from './event-log';
import type { Tx } from './event-log';
import { TokenBucket } from '../realtime/token-bucket';

export interface AnnotationLimits {
  maxPoints: number;
  maxNoteLength: number;
  strokesPerSecond: number;
  strokeBurst: number;
}

export const DEFAULT_ANNOTATION_LIMITS: AnnotationLimits = { maxPoints: 5000, maxNoteLength: 2000, strokesPerSecond: 10, strokeBurst: 30 };

export class AnnotationRuntime {
  private readonly meetings = new Map<string, AnnotationState>();
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly db: Db, readonly limits: AnnotationLimits = DEFAULT_ANNOTATION_LIMITS) {}

  state(meetingId: string): AnnotationState {
    let s = this.meetings.get(meetingId);
    if (!s) {
      s = emptyAnnotationState();
      for (const e of readEvents(this.db, meetingId)) applyAnnotationEvent(s, e);
      this.meetings.set(meetingId, s);
    }
    return s;
  }

  /** Called right after the event is durable, before it is broadcast. */
  apply(event: LiveEvent): void {
    if (!isStrokeEvent(event.type)) return;
    applyAnnotationEvent(this.state(event.meetingId), event);
  }

  /** Strokes per second per user (all of their sockets together). */
  takeStrokeToken(meetingId: string, userId: string): boolean {
    const key = `${meetingId}|${userId}`;
    let b = this.buckets.get(key);
    if (!b) { b = new TokenBucket(this.limits.strokesPerSecond, this.limits.strokeBurst); this.buckets.set(key, b); }
    return b.take();
  }

  forget(meetingId: string): void {
    this.meetings.delete(meetingId);
  }
}

// ---- the annotation_strokes table, kept in step with the log inside the event's transaction
const ph = sql.placeholder;
const strokeStatements = perDb((db) => {
  const setRemoved = (removed: boolean) => db.update(annotationStrokes).set({ removed })
    .where(and(eq(annotationStrokes.id, ph('strokeId')), eq(annotationStrokes.meetingId, ph('meetingId')))).prepare();
  return {
    insert: db.insert(annotationStrokes).values({
      id: ph('id'), meetingId: ph('meetingId'), documentId: ph('documentId'), page: ph('page'), authorId: ph('authorId'),
      layer: ph('layer'), tool: ph('tool'), color: ph('color'), width: ph('width'), points: ph('points'), text: ph('text'),
      removed: ph('removed'), seq: ph('seq'), at: ph('at'),
    }).prepare(),
    remove: setRemoved(true),
    restore: setRemoved(false),
    idTaken: db.select({ id: annotationStrokes.id }).from(annotationStrokes).where(eq(annotationStrokes.id, ph('id'))).prepare(),
  };
});

export function insertStrokeRow(tx: Tx, meetingId: string, st: StoredStroke): void {
  const row = {
    id: st.strokeId, meetingId, documentId: st.documentId, page: st.page, authorId: st.authorId, layer: st.layer,
    tool: st.tool, color: st.color, width: st.width, points: JSON.stringify(st.points), text: st.text ?? null,
    removed: false, seq: st.seq, at: st.at,
  };
  // inside an appendEvent transaction: the statement prepared once on its connection
  const db = databaseOf(tx);
  if (db) strokeStatements(db).insert.run(row);
  else tx.insert(annotationStrokes).values(row).run();
}

export function setStrokeRemoved(tx: Tx, meetingId: string, strokeId: string, removed: boolean): void {
  const db = databaseOf(tx);
  if (db) {
    const s = strokeStatements(db);
    (removed ? s.remove : s.restore).run({ strokeId, meetingId });
    return;
  }
  tx.update(annotationStrokes).set({ removed })
    .where(and(eq(annotationStrokes.id, strokeId), eq(annotationStrokes.meetingId, meetingId))).run();
}

type StrokeRow = typeof annotationStrokes.$inferSelect;

export function rowToStroke(r: StrokeRow): StoredStroke {
  return {
    strokeId: r.id, documentId: r.documentId, page: r.page, layer: r.layer, tool: r.tool, color: r.color, width: r.width,
    points: JSON.parse(r.points) as StoredStroke['points'], ...(r.text !== null ? { text: r.text } : {}),
    authorId: r.authorId, seq: r.seq, at: r.at,
  };
}

export function strokeIdTaken(db: Db, strokeId: string): boolean {
  return strokeStatements(db).idTaken.get({ id: strokeId }) !== undefined;
}
