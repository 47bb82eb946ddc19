// Annotation commands: stroke.add (pen, highlighter and text note are tools of one command),
// stroke.erase (whole strokes), stroke.undo / stroke.redo (the sender's own last action on a
// document). Who may do what: policies/annotation-policy.ts. Someone else's private mark is
// NOT_FOUND, never FORBIDDEN, so its existence does not leak.
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import type { MeetingAccess } from '../policies/meeting-policy';
import { canAnnotate, layerRefusal, mayEraseOthersMarks } from '../policies/annotation-policy';
import type { MeetingState } from '../../shared/meeting-state';
import {
  nextUndo,
  roundPoint,
  type AnnotationLayer,
  type StrokeChangePayload,
  type StoredStroke,
} from '../../shared/annotations';
import type { CommandContext, CommandDefinition } from './commands';
import { insertStrokeRow, setStrokeRemoved } from './annotation-runtime';
import { documentAllowed } from './hot-reads';

function requireLayer(a: MeetingAccess, state: MeetingState, layer: AnnotationLayer): void {
  const refusal = layerRefusal(a, state.presenterId, layer);
  if (refusal) throw refusal;
}

function rateLimit(ctx: CommandContext<'stroke.add' | 'stroke.erase' | 'stroke.undo' | 'stroke.redo'>): void {
  if (!ctx.annotations.takeStrokeToken(ctx.meetingId, ctx.access.userId)) {
    throw new AppError('RATE_LIMITED', `At most ${ctx.annotations.limits.strokesPerSecond} strokes per second; slow down`);
  }
}

const change = (st: StoredStroke, op: 'remove' | 'restore'): StrokeChangePayload => ({
  strokeId: st.strokeId,
  documentId: st.documentId,
  page: st.page,
  layer: st.layer,
  op,
});

function undoRedo(redo: boolean): CommandDefinition<'stroke.undo'> {
  return {
    authorize: canAnnotate,
    decide: (ctx) => {
      rateLimit(ctx);
      const next = nextUndo(ctx.annotations.state(ctx.meetingId), ctx.access.userId, ctx.payload.documentId, redo);
      if (!next) throw new AppError('CONFLICT', redo ? 'Nothing to redo' : 'Nothing to undo');
      return change(next.stroke, next.op);
    },
    alsoInTx: (tx, t, meetingId, p) => setStrokeRemoved(tx, t, meetingId, p.strokeId, p.op === 'remove'),
  };
}

export const annotationCommands: {
  'stroke.add': CommandDefinition<'stroke.add'>;
  'stroke.erase': CommandDefinition<'stroke.erase'>;
  'stroke.undo': CommandDefinition<'stroke.undo'>;
  'stroke.redo': CommandDefinition<'stroke.redo'>;
} = {
  'stroke.add': {
    authorize: canAnnotate,
    decide: async (ctx) => {
      const { payload: p, annotations } = ctx;
      const { limits } = annotations;
      if (p.points.length > limits.maxPoints)
        throw new AppError(
          'STROKE_TOO_LONG',
          `A stroke has at most ${limits.maxPoints} points (this one has ${p.points.length})`,
        );
      if (p.text !== undefined && p.text.length > limits.maxNoteLength)
        throw new AppError('NOTE_TOO_LONG', `A note has at most ${limits.maxNoteLength} characters`);
      if (p.tool === 'note' && !p.text?.trim()) throw new AppError('INVALID', 'A note needs text');
      if (p.tool !== 'note' && p.text !== undefined) throw new AppError('INVALID', 'Only a note carries text');
      requireLayer(ctx.access, ctx.state, p.layer);
      const pageCount = await annotations.pageCount(ctx.q, ctx.t, ctx.meetingId, p.documentId);
      // a draft is not there for a member (policies/document-policy.ts), not even to mark
      const allowed = () => documentAllowed(ctx.q, ctx.t, ctx.access, p.documentId, 'read');
      if (ctx.reads)
        await ctx.reads.once(`document:${ctx.access.userId}:${ctx.access.isAdmin}:${ctx.access.role}:${p.documentId}`, allowed);
      else await allowed();
      if (p.page > pageCount) throw new AppError('INVALID', `Page ${p.page} is past the end (${pageCount} pages)`);
      const strokeId = p.strokeId ?? randomUUID().replaceAll('-', '');
      if (p.strokeId !== undefined && annotations.hasStroke(ctx.meetingId, p.strokeId))
        throw new AppError('CONFLICT', 'This stroke id is already used');
      const n = p.tool === 'note' ? Math.min(1, p.points.length) : p.points.length;
      const used = annotations.authorTotals(ctx.meetingId, p.documentId, ctx.access.userId);
      const maxStrokes = limits.maxStrokesPerDocument ?? Infinity;
      const maxPoints = limits.maxPointsPerDocument ?? Infinity;
      if (used.strokes + 1 > maxStrokes || used.points + n > maxPoints) {
        throw new AppError(
          'ANNOTATION_QUOTA',
          `One person stores at most ${maxStrokes} marks and ${maxPoints} points on a document (you have ${used.strokes} marks, ${used.points} points)`,
        );
      }
      rateLimit(ctx);
      const points: [number, number, number][] = [];
      for (let i = 0; i < n; i++) {
        const q = p.points[i]!;
        points.push([roundPoint(q[0]), roundPoint(q[1]), Math.round(q[2] * 1000) / 1000]);
      }
      return {
        strokeId,
        documentId: p.documentId,
        page: p.page,
        layer: p.layer,
        tool: p.tool,
        color: p.color.toLowerCase(),
        width: Math.round(p.width * 100) / 100,
        points,
        ...(p.text !== undefined ? { text: p.text } : {}),
      };
    },
    alsoInTx: (tx, t, meetingId, p, at, event) =>
      insertStrokeRow(tx, t, meetingId, { ...p, authorId: event?.actor ?? '', seq: event?.seq ?? 0, at }),
  },
  'stroke.erase': {
    authorize: canAnnotate,
    decide: (ctx) => {
      const s = ctx.annotations.state(ctx.meetingId);
      const id = ctx.payload.strokeId;
      const st = s.strokes.get(id) ?? s.removed.get(id);
      const mine = st?.authorId === ctx.access.userId;
      if (!st || (st.layer === 'private' && !mine)) throw new AppError('NOT_FOUND', 'Stroke not found');
      if (!mine && !mayEraseOthersMarks(ctx.access)) throw new AppError('FORBIDDEN', 'You may erase only your own marks');
      if (!s.strokes.has(id)) throw new AppError('CONFLICT', 'This stroke is already erased');
      rateLimit(ctx);
      return change(st, 'remove');
    },
    alsoInTx: (tx, t, meetingId, p) => setStrokeRemoved(tx, t, meetingId, p.strokeId, true),
  },
  'stroke.undo': undoRedo(false),
  'stroke.redo': undoRedo(true) as unknown as CommandDefinition<'stroke.redo'>,
};
