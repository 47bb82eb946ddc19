// The floor (đăng ký phát biểu / chất vấn): a participant asks to speak or to question, the chair
// gives the floor in the order it chooses, an optional per-speaker timer. Schemas for the floor.*
// commands, what their events store, and the pure reducer part that folds them.
import Type from 'typebox';
import { Id } from './api';

export const FLOOR_KINDS = ['speak', 'question'] as const;
export type FloorKind = (typeof FLOOR_KINDS)[number];
/** per-speaker timer bounds, seconds */
export const FLOOR_TIMER_MIN = 10;
export const FLOOR_TIMER_MAX = 3600;
export const MAX_FLOOR_QUEUE = 500;

export const FloorCommandSchemas = {
  'floor.request': Type.Object(
    { kind: Type.Union([Type.Literal('speak'), Type.Literal('question')]) },
    { additionalProperties: false },
  ),
  /** the requester takes back their request (the chair may also strike one from the queue) */
  'floor.withdraw': Type.Object({ requestId: Id }, { additionalProperties: false }),
  /** the chair gives the floor; `seconds` starts a per-speaker timer */
  'floor.grant': Type.Object(
    { requestId: Id, seconds: Type.Optional(Type.Integer({ minimum: FLOOR_TIMER_MIN, maximum: FLOOR_TIMER_MAX })) },
    { additionalProperties: false },
  ),
  /** the chair (or the speaker) ends the current turn */
  'floor.end': Type.Object({}, { additionalProperties: false }),
  /** the chair's new order of the whole waiting queue (refused if the queue changed meanwhile) */
  'floor.reorder': Type.Object({ requestIds: Type.Array(Id, { maxItems: MAX_FLOOR_QUEUE }) }, { additionalProperties: false }),
} as const;

export interface FloorEventPayloads {
  /** `name`: the speaker's full name, so the room screen (no login, no member list) can show it */
  'floor.request': { requestId: string; userId: string; name: string; kind: FloorKind };
  'floor.withdraw': { requestId: string };
  'floor.grant': { requestId: string; userId: string; name: string; kind: FloorKind; seconds: number | null };
  'floor.end': { requestId: string };
  'floor.reorder': { requestIds: string[] };
}

export interface FloorRequest {
  requestId: string;
  userId: string;
  name: string;
  kind: FloorKind;
  /** when it was asked for */
  at: string;
}

export interface FloorSpeaker extends FloorRequest {
  /** when the floor was given */
  since: string;
  /** the per-speaker timer, or null for none; the end time is since + seconds */
  seconds: number | null;
}

export interface FloorState {
  /** waiting, in the order the chair will call them */
  queue: FloorRequest[];
  current: FloorSpeaker | null;
}

export const initialFloorState = (): FloorState => ({ queue: [], current: null });

export const FLOOR_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(FloorCommandSchemas));

type FloorEvent = {
  [K in keyof FloorEventPayloads]: { type: K; actor: string; at: string; payload: FloorEventPayloads[K] };
}[keyof FloorEventPayloads];

/** Folds one floor.* event (already checked by the server) into the floor state. */
export function applyFloorEvent(floor: FloorState, e: FloorEvent): FloorState {
  switch (e.type) {
    case 'floor.request':
      return {
        ...floor,
        queue: [
          ...floor.queue,
          { requestId: e.payload.requestId, userId: e.payload.userId, name: e.payload.name, kind: e.payload.kind, at: e.at },
        ],
      };
    case 'floor.withdraw':
      return { ...floor, queue: floor.queue.filter((r) => r.requestId !== e.payload.requestId) };
    case 'floor.grant': {
      const req = floor.queue.find((r) => r.requestId === e.payload.requestId);
      const base: FloorRequest = req ?? {
        requestId: e.payload.requestId,
        userId: e.payload.userId,
        name: e.payload.name,
        kind: e.payload.kind,
        at: e.at,
      };
      // giving the floor to someone else ends the current turn
      return {
        queue: floor.queue.filter((r) => r.requestId !== e.payload.requestId),
        current: { ...base, since: e.at, seconds: e.payload.seconds },
      };
    }
    case 'floor.end':
      return floor.current?.requestId === e.payload.requestId ? { ...floor, current: null } : floor;
    case 'floor.reorder': {
      const byId = new Map(floor.queue.map((r) => [r.requestId, r]));
      const ordered = e.payload.requestIds.map((id) => byId.get(id)).filter((r): r is FloorRequest => r !== undefined);
      // anything the new order does not name keeps its place at the end (never lose a request)
      const named = new Set(e.payload.requestIds);
      return { ...floor, queue: [...ordered, ...floor.queue.filter((r) => !named.has(r.requestId))] };
    }
  }
}

/** Seconds left on the speaker's timer at `nowMs` (negative when over time), or null without a timer. */
export function floorSecondsLeft(current: FloorSpeaker | null, nowMs: number): number | null {
  if (!current || current.seconds === null) return null;
  const end = Date.parse(current.since) + current.seconds * 1000;
  return Math.ceil((end - nowMs) / 1000);
}
