// The floor (đăng ký phát biểu / chất vấn): members ask, the chair gives, ends and reorders.
import { eq } from 'drizzle-orm';
import { newId } from '../ids';
import { AppError } from '../errors';
import { mayRequestFloor, mayRunFloor } from '../policies/floor-policy';
import { MAX_FLOOR_QUEUE } from '../../shared/floor';
import type { MeetingState } from '../../shared/meeting-state';
import type { CommandDefinition } from './commands';

// who may do what: policies/floor-policy.ts
const chairOnly = mayRunFloor;
const attendee = mayRequestFloor;

function requireLive(state: MeetingState, what: string) {
  if (state.status !== 'running' && state.status !== 'paused') {
    throw new AppError('CONFLICT', `Cannot ${what}: the meeting is ${state.status}`);
  }
}

function requireWaiting(state: MeetingState, requestId: string) {
  const r = state.floor.queue.find((q) => q.requestId === requestId);
  if (!r) throw new AppError('NOT_FOUND', 'This request is not in the queue (withdrawn, or already given the floor)');
  return r;
}

export const floorCommands: {
  'floor.request': CommandDefinition<'floor.request'>;
  'floor.withdraw': CommandDefinition<'floor.withdraw'>;
  'floor.grant': CommandDefinition<'floor.grant'>;
  'floor.end': CommandDefinition<'floor.end'>;
  'floor.reorder': CommandDefinition<'floor.reorder'>;
} = {
  'floor.request': {
    authorize: attendee,
    decide: async ({ q, t, state, access, payload }) => {
      requireLive(state, 'ask for the floor');
      if (state.floor.queue.some((r) => r.userId === access.userId))
        throw new AppError('CONFLICT', 'You are already in the queue');
      if (state.floor.current?.userId === access.userId) throw new AppError('CONFLICT', 'You have the floor');
      if (state.floor.queue.length >= MAX_FLOOR_QUEUE) throw new AppError('CONFLICT', 'The queue is full');
      const [user] = await q.select({ fullName: t.users.fullName }).from(t.users).where(eq(t.users.id, access.userId));
      const name = user?.fullName ?? '';
      return { requestId: newId(), userId: access.userId, name, kind: payload.kind };
    },
  },
  'floor.withdraw': {
    authorize: attendee,
    decide: ({ state, access, payload }) => {
      const r = requireWaiting(state, payload.requestId);
      // the requester withdraws; the chair may strike a request from the queue
      if (r.userId !== access.userId && !mayRunFloor(access))
        throw new AppError('FORBIDDEN', 'Only the requester or the chair withdraws a request');
      return { requestId: r.requestId };
    },
  },
  'floor.grant': {
    authorize: chairOnly,
    decide: ({ state, payload }) => {
      requireLive(state, 'give the floor');
      const r = requireWaiting(state, payload.requestId);
      return { requestId: r.requestId, userId: r.userId, name: r.name, kind: r.kind, seconds: payload.seconds ?? null };
    },
  },
  'floor.end': {
    authorize: attendee,
    decide: ({ state, access }) => {
      const cur = state.floor.current;
      if (!cur) throw new AppError('CONFLICT', 'Nobody has the floor');
      // the speaker may yield; only the chair takes the floor from someone else
      if (cur.userId !== access.userId && !mayRunFloor(access))
        throw new AppError('FORBIDDEN', "Only the chair ends someone else's turn");
      return { requestId: cur.requestId };
    },
  },
  'floor.reorder': {
    authorize: chairOnly,
    decide: ({ state, payload }) => {
      requireLive(state, 'reorder the queue');
      const now = state.floor.queue.map((r) => r.requestId);
      const same =
        payload.requestIds.length === now.length &&
        new Set(payload.requestIds).size === now.length &&
        payload.requestIds.every((id) => now.includes(id));
      // a request arrived or left while the chair was dragging: the chair sees the new queue and tries again
      if (!same) throw new AppError('CONFLICT', 'The queue changed meanwhile; reorder it again');
      return { requestIds: payload.requestIds };
    },
  },
};
