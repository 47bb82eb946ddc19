// Who sees which marks, in one place for every path that hands marks out: the GET of a document's
// marks, the annotated PDF export, the audited event log (officers), and live ink batches. Socket
// events and catch-up go through visibility.ts (private stroke.* events → the author only).
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { Query, Tables } from '../db/store';
import { AppError } from '../errors';
import { canPresent, type MeetingAccess } from '../policies/meeting-policy';
import type { ChainCheck } from './event-log';
import {
  isStrokeEvent,
  nextUndo,
  type AnnotationLayer,
  type DocumentAnnotations,
  type StoredStroke,
} from '../../shared/annotations';
import type { MeetingState } from '../../shared/meeting-state';
import type { AnnotationRuntime } from './annotation-runtime';
import { rowToStroke } from './annotation-runtime';

/** A mark's content is for everyone in the meeting unless it is private, then for its author only. */
export const mayView = (st: { layer: AnnotationLayer; authorId: string }, userId: string | null) =>
  st.layer !== 'private' || (userId !== null && st.authorId === userId);

/**
 * The log as officers read it: every row and hash stays (the chain is verified over the real
 * rows), but a stroke.* event on someone else's private layer carries no content.
 */
export function redactForViewer(log: ChainCheck, access: MeetingAccess): ChainCheck {
  return {
    ...log,
    events: log.events.map((e) => {
      if (!isStrokeEvent(e.type)) return e;
      const layer = (e.payload as { layer?: unknown } | null)?.layer;
      if (layer === 'shared' || layer === 'presenter' || e.actor === access.userId) return e;
      return { ...e, payload: { redacted: 'private' } };
    }),
  };
}

/**
 * Visible marks of a document for this user, oldest first, optionally limited to some layers.
 * `userId` null: a viewer with no person behind it (the room screen), who sees no private mark.
 */
export async function strokesForUser(
  q: Query,
  t: Tables,
  documentId: string,
  userId: string | null,
  layers: readonly AnnotationLayer[] = ['private', 'shared', 'presenter'],
): Promise<StoredStroke[]> {
  return (await strokeRowsForUser(q, t, documentId, userId, layers)).map(rowToStroke);
}

/**
 * strokesForUser's rows as stored, points still JSON text: the annotated export hands them to its
 * worker as they are, since parsing (and cloning) hundreds of thousands of points is itself long
 * enough to stall the event loop.
 */
export async function strokeRowsForUser(
  q: Query,
  t: Tables,
  documentId: string,
  userId: string | null,
  layers: readonly AnnotationLayer[] = ['private', 'shared', 'presenter'],
) {
  const wantPrivate = userId !== null && layers.includes('private');
  const publicLayers = layers.filter((l): l is 'shared' | 'presenter' => l !== 'private');
  const clauses = [];
  if (publicLayers.length) clauses.push(inArray(t.annotationStrokes.layer, publicLayers));
  if (wantPrivate) clauses.push(and(eq(t.annotationStrokes.layer, 'private'), eq(t.annotationStrokes.authorId, userId!)));
  if (!clauses.length) return [];
  const rows = await q
    .select()
    .from(t.annotationStrokes)
    .where(and(eq(t.annotationStrokes.documentId, documentId), eq(t.annotationStrokes.removed, false), or(...clauses)))
    .orderBy(asc(t.annotationStrokes.seq), asc(t.annotationStrokes.id));
  return rows.filter((r) => mayView(r, userId)); // belt and braces: the query already holds this
}

/**
 * A document's marks for this member, with the seq they stand at. The reads are asynchronous, so
 * `seq` must be the log's committed head read BEFORE the rows (headOf, not memory: a group commit
 * moves memory before its commit): the rows hold at least every mark up to it, and the client
 * applies every event after it on top (a mark already in the rows is the same mark again: the
 * client keys marks by stroke id).
 */
export async function documentAnnotations(
  q: Query,
  t: Tables,
  annotations: AnnotationRuntime,
  seq: number,
  doc: { id: string; meetingId: string },
  userId: string,
): Promise<DocumentAnnotations> {
  const s = await annotations.load(q, t, doc.meetingId);
  const strokes = await strokesForUser(q, t, doc.id, userId);
  return {
    documentId: doc.id,
    meetingId: doc.meetingId,
    seq,
    strokes,
    canUndo: nextUndo(s, userId, doc.id, false) !== null,
    canRedo: nextUndo(s, userId, doc.id, true) !== null,
  };
}

/**
 * The room screen's view of a document's marks: shared and presenter only, whoever drew them; it
 * has no history of its own, so nothing to undo.
 */
export async function roomDocumentAnnotations(
  q: Query,
  t: Tables,
  seq: number,
  doc: { id: string; meetingId: string },
): Promise<DocumentAnnotations> {
  return {
    documentId: doc.id,
    meetingId: doc.meetingId,
    seq,
    strokes: await strokesForUser(q, t, doc.id, null, ['shared', 'presenter']),
    canUndo: false,
    canRedo: false,
  };
}

/** May this member stream live ink on this layer (same rules as stroke.add, without throwing). */
export function mayDrawOn(access: MeetingAccess, state: MeetingState, layer: AnnotationLayer): boolean {
  if (access.role === 'observer') return false;
  if (layer === 'private') return true;
  if (layer === 'presenter') return canPresent(access, state.presenterId);
  return access.role !== null && access.role !== 'guest';
}

export function parseLayers(q: string | undefined): AnnotationLayer[] {
  if (!q) return ['private', 'shared', 'presenter'];
  const out: AnnotationLayer[] = [];
  for (const part of q
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (part !== 'private' && part !== 'shared' && part !== 'presenter')
      throw new AppError('INVALID', `Unknown layer "${part}" (private, shared, presenter)`);
    if (!out.includes(part)) out.push(part);
  }
  return out;
}
