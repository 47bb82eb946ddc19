// Per-meeting annotation state in memory: every mark (visible or removed) and each author's undo /
// redo history, folded from the meeting's stroke.* events with the shared reducer, exactly like
// MeetingRuntime. Kept apart from MeetingState so snapshots stay small. After a restart a meeting
// is rebuilt lazily from the log. Reads for HTTP (GET, export) use the annotation_strokes table.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { annotationStrokes } from '../db/schema';
import type { LiveEvent } from '../../shared/events';
import { applyAnnotationEvent, emptyAnnotationState, isStrokeEvent, type AnnotationState, type StoredStroke } from '../../shared/annotations';
import { readEvents } from './event-log';
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
export function insertStrokeRow(tx: Tx, meetingId: string, st: StoredStroke): void {
  tx.insert(annotationStrokes).values({
    id: st.strokeId, meetingId, documentId: st.documentId, page: st.page, authorId: st.authorId, layer: st.layer,
    tool: st.tool, color: st.color, width: st.width, points: JSON.stringify(st.points), text: st.text ?? null,
    removed: false, seq: st.seq, at: st.at,
  }).run();
}

export function setStrokeRemoved(tx: Tx, meetingId: string, strokeId: string, removed: boolean): void {
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
  return db.select({ id: annotationStrokes.id }).from(annotationStrokes).where(eq(annotationStrokes.id, strokeId)).get() !== undefined;
}
