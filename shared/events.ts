// The live-meeting wire protocol, shared by the Socket.IO server (`new Server<…>()`) and the client
// (`io<…>()`). Every inbound payload has a TypeBox schema here, validated on arrival by the server
// and usable by the client before sending. docs/design-notes.md, Public contract, fixes the names and shapes.
import Type from 'typebox';
import type { NotificationPush } from './notifications-api';
import { Id } from './api';
import type { ErrorCode } from './errors';
import type { MeetingState } from './meeting-state';
import {
  StrokeAddSchema,
  StrokeEraseSchema,
  StrokeUndoSchema,
  type InkProgress,
  type InkProgressMessage,
  type StrokeAddedPayload,
  type StrokeChangePayload,
} from './annotations';
import { FloorCommandSchemas, type FloorEventPayloads } from './floor';
import { VoteCommandSchemas, type VoteEventPayloads } from './votes';
import { MinutesCommandSchemas, type MinutesEventPayloads } from './minutes-draft';
import { InvitationCommandSchemas, type InvitationEventPayloads } from './invitations';

/** Sent in the handshake (`auth: { protocol }`); a different major version is refused. */
export const PROTOCOL_VERSION = 1;

// ---- limits (schemas carry them; the server also caps the raw message size)
export const MAX_REASON_LENGTH = 500;
export const MAX_COMMAND_ID_LENGTH = 64;
export const MAX_PAGE = 100_000;

// ---- envelopes
export const JoinRequestSchema = Type.Object(
  { meetingId: Id, sinceSeq: Type.Optional(Type.Integer({ minimum: 0 })) },
  { additionalProperties: false },
);
export type JoinRequest = Type.Static<typeof JoinRequestSchema>;

export const LeaveRequestSchema = Type.Object({ meetingId: Id }, { additionalProperties: false });
export type LeaveRequest = Type.Static<typeof LeaveRequestSchema>;

export const CommandEnvelopeSchema = Type.Object(
  {
    /** client-generated idempotency key: a repeat returns the first result */
    id: Type.String({ minLength: 1, maxLength: MAX_COMMAND_ID_LENGTH, pattern: '^[A-Za-z0-9_.:-]+$' }),
    meetingId: Id,
    type: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z]+(\\.[a-zA-Z]+)+$' }),
    payload: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);
export type CommandEnvelope = Type.Static<typeof CommandEnvelopeSchema>;

export const PresenceUpdateSchema = Type.Object(
  {
    meetingId: Id,
    following: Type.Boolean(),
    documentId: Type.Optional(Type.Union([Id, Type.Null()])),
    page: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: MAX_PAGE }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type PresenceUpdate = Type.Static<typeof PresenceUpdateSchema>;

export const CheckInTokenRequestSchema = Type.Object({ meetingId: Id }, { additionalProperties: false });
export type CheckInTokenRequest = Type.Static<typeof CheckInTokenRequestSchema>;

// ---- command payloads: one schema per command type. Later issues add stroke.*, vote.*, ... here.
const Empty = Type.Object({}, { additionalProperties: false });

export const PageViewSchema = Type.Object(
  {
    fit: Type.Union([Type.Literal('page'), Type.Literal('width'), Type.Literal('custom')]),
    /** 1 = 100 %; only meaningful with fit 'custom' */
    zoom: Type.Optional(Type.Number({ minimum: 0.1, maximum: 10 })),
    /** centre of the viewport as a fraction of the page (0..1), so it maps onto any screen size */
    x: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    y: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);
export type PageView = Type.Static<typeof PageViewSchema>;

export const ATTENDANCE_STATUSES = ['present', 'absent', 'excused', 'late'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export const CommandPayloadSchemas = {
  'meeting.start': Empty,
  'meeting.pause': Empty,
  'meeting.resume': Empty,
  'meeting.end': Empty,
  'agenda.open': Type.Object({ itemId: Id }, { additionalProperties: false }),
  'document.show': Type.Object({ documentId: Id }, { additionalProperties: false }),
  'page.set': Type.Object(
    { documentId: Id, page: Type.Integer({ minimum: 1, maximum: MAX_PAGE }), view: Type.Optional(PageViewSchema) },
    { additionalProperties: false },
  ),
  'presenter.set': Type.Object({ userId: Type.Union([Id, Type.Null()]) }, { additionalProperties: false }),
  'attendance.mark': Type.Object(
    {
      userId: Id,
      status: Type.Union([Type.Literal('present'), Type.Literal('absent'), Type.Literal('excused'), Type.Literal('late')]),
      reason: Type.Optional(Type.String({ maxLength: MAX_REASON_LENGTH })),
    },
    { additionalProperties: false },
  ),
  /** with `token` (from the room screen's QR) or without (checking in from the app) */
  'attendance.checkIn': Type.Object(
    { token: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
    { additionalProperties: false },
  ),
  // annotations (shared/annotations.ts)
  'stroke.add': StrokeAddSchema,
  'stroke.erase': StrokeEraseSchema,
  'stroke.undo': StrokeUndoSchema,
  'stroke.redo': StrokeUndoSchema,
  // floor, votes, ballots, proxies (shared/floor.ts, shared/votes.ts)
  ...FloorCommandSchemas,
  ...VoteCommandSchemas,
  // the secretary's minutes (shared/minutes-draft.ts)
  ...MinutesCommandSchemas,
  ...InvitationCommandSchemas,
} as const;

export type CommandType = keyof typeof CommandPayloadSchemas;
export type CommandPayloads = { [K in CommandType]: Type.Static<(typeof CommandPayloadSchemas)[K]> };
export const COMMAND_TYPES = Object.keys(CommandPayloadSchemas) as CommandType[];
export const isCommandType = (t: string): t is CommandType => Object.prototype.hasOwnProperty.call(CommandPayloadSchemas, t);

/**
 * What each event stores. An event's type is the type of the command that made it; its payload is
 * the command's payload as decided by the server (e.g. a check-in records who, never the token).
 */
export interface EventPayloads {
  'meeting.start': Record<string, never>;
  'meeting.pause': Record<string, never>;
  'meeting.resume': Record<string, never>;
  'meeting.end': Record<string, never>;
  'agenda.open': { itemId: string };
  'document.show': { documentId: string };
  'page.set': { documentId: string; page: number; view?: PageView };
  'presenter.set': { userId: string | null };
  'attendance.mark': { userId: string; status: AttendanceStatus; reason?: string };
  'attendance.checkIn': { userId: string; via: 'app' | 'qr' };
  'stroke.add': StrokeAddedPayload;
  'stroke.erase': StrokeChangePayload;
  'stroke.undo': StrokeChangePayload;
  'stroke.redo': StrokeChangePayload;
}
export interface EventPayloads extends FloorEventPayloads, VoteEventPayloads, MinutesEventPayloads, InvitationEventPayloads {}
export type EventType = keyof EventPayloads;

/** An event as it travels: a row of the log without its hashes. */
export interface LiveEvent<T extends string = string, P = unknown> {
  meetingId: string;
  seq: number;
  type: T;
  /** user id of the sender */
  actor: string;
  /** ISO time the server accepted it */
  at: string;
  payload: P;
}
export type KnownEvent = { [K in EventType]: LiveEvent<K, EventPayloads[K]> }[EventType];

/** An event as the log endpoint lists it. */
export interface LoggedEvent {
  seq: number;
  type: string;
  actor: string;
  at: string;
  payload: unknown;
  prevHash: string;
  hash: string;
}

// ---- acks
export interface AckError {
  ok: false;
  error: { code: ErrorCode; message: string };
}
/** `receipt`: a secret ballot's receipt code, only ever in the voter's own ack */
export type CommandAck = { ok: true; seq: number; receipt?: string } | AckError;
export type JoinAck = { ok: true; seq: number; snapshot?: MeetingState; events?: LiveEvent[]; readOnly: boolean } | AckError;
export type CheckInTokenAck = { ok: true; token: string; url: string; expiresAt: string } | AckError;
export type SimpleAck = { ok: true } | AckError;

// ---- presence (volatile, never logged)
export interface PresenceUser {
  userId: string;
  online: boolean;
  following: boolean;
  documentId: string | null;
  page: number | null;
}
export interface PresenceMessage {
  meetingId: string;
  users: PresenceUser[];
}

// ---- the typed maps
export interface ClientToServerEvents {
  'meeting.join': (req: JoinRequest, ack: (res: JoinAck) => void) => void;
  'meeting.leave': (req: LeaveRequest, ack?: (res: SimpleAck) => void) => void;
  command: (cmd: CommandEnvelope, ack: (res: CommandAck) => void) => void;
  'presence.update': (p: PresenceUpdate) => void;
  /** room screen / officers: the current short-lived check-in token for the QR code */
  'checkin.token': (req: CheckInTokenRequest, ack: (res: CheckInTokenAck) => void) => void;
  /** volatile: points of a stroke being drawn (shared/annotations.ts); excess or not allowed is dropped */
  'ink.progress': (p: InkProgress) => void;
}

export interface ServerToClientEvents {
  event: (e: LiveEvent) => void;
  presence: (p: PresenceMessage) => void;
  /**
   * Volatile: others' strokes in progress, only to those who may see their layer. One batch per
   * argument: every batch the server relayed in one event-loop turn, in arrival order
   * (server/realtime/ink-relay.ts); a turn may be skipped for a receiver whose link is backed up.
   */
  'ink.progress': (...batches: InkProgressMessage[]) => void;
  /**
   * The log moved to `seq` with an event this socket may not see (a private mark, ...): lets the
   * client advance its head without mistaking the missing seq for a lost event. Carries nothing else.
   */
  head: (h: { meetingId: string; seq: number }) => void;
  /**
   * The meeting's preparation changed over HTTP (details, members, agenda, documents): re-read the
   * meeting (GET /api/meetings/:id). Carries nothing else (server/realtime/meeting-changed.ts).
   */
  'meeting.changed': (m: { meetingId: string }) => void;
  /**
   * The session behind this socket ended (logout, password change, account removed, expiry); the
   * server disconnects right after. The client shows why and goes back to the login page.
   */
  'session.ended': (m: SessionEnded) => void;
  /** This user is no longer a member of the meeting: no more of its events; the client leaves it. */
  'meeting.removed': (m: { meetingId: string }) => void;
  /** A new notification for this socket's user (server/notifications), with their unread count. */
  notification: (m: NotificationPush) => void;
}

export const SESSION_END_REASONS = [
  'logged-out',
  'password-changed',
  'account-deleted',
  'session-ended',
  'session-expired',
  'account-disabled',
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];
export interface SessionEnded {
  reason: SessionEndReason;
}

/** Handshake `auth` object: a room screen sends its roomToken; everyone else rides on the session cookie. */
export interface HandshakeAuth {
  protocol?: number;
  roomToken?: string;
}
