// Socket handlers, kept thin: decode → authorise (in the service) → service → broadcast → ack.
import type { Server, Socket } from 'socket.io';
import Schema from 'typebox/schema';
import type { FastifyBaseLogger } from 'fastify';
import {
  CheckInTokenRequestSchema,
  CommandEnvelopeSchema,
  JoinRequestSchema,
  LeaveRequestSchema,
  PresenceUpdateSchema,
  type CheckInTokenAck,
  type ClientToServerEvents,
  type CommandAck,
  type JoinAck,
  type LiveEvent,
  type ServerToClientEvents,
  type SessionEndReason,
  type SimpleAck,
} from '../../shared/events';
import type { SocketRevocation } from './revocation';
import type { LiveService } from '../live/live-service';
import type { CommandBatcher } from './command-batcher';
import type { Principal } from '../live/principal';
import { rooms, roomsFor, roomsOf, type Audience, type Viewer } from '../live/visibility';
import { InkProgressSchema } from '../../shared/annotations';
import { mayDrawOn } from '../live/annotation-service';
import { ackOf, jsonAckOf, refuse, toAckError } from './ack';
import type { InkRelay } from './ink-relay';
import { hasOtherProcesses } from './redis-fanout';

export interface RefusedCommandAudit {
  socketId: string;
  actorId: string | null;
  actorName: string;
  action: string;
  meetingId: string | null;
  code: string;
}
import type { PresencePartial, PresenceTracker } from './presence';
import type { TokenBucket } from './token-bucket';

export interface SocketData {
  principal: Principal;
  commands: TokenBucket;
  presenceUpdates: TokenBucket;
  /** live ink batches (volatile): excess is dropped */
  inkBatches: TokenBucket;
  /** meetings this socket joined, with how it sees them */
  joined: Map<string, Viewer>;
  /** set once its session ended (revocation.ts): nothing more is accepted from it */
  ended?: SessionEndReason;
  /** when its session and memberships were last checked against the database (revocation.ts) */
  checkedAt: number;
  /** the published document it last reported reading (read tracking in socket-server.ts) */
  reading?: { id: string; meetingId: string; pageCount: number };
}

/** Between server processes, through the Redis adapter (several processes): presence rosters. */
export interface InterServerEvents {
  'presence.partial': (p: PresencePartial) => void;
  /** a process just started: the others share their rosters with it */
  'presence.hello': () => void;
  /** a process appended this event: the others bring their cached meeting up to it */
  'log.appended': (meetingId: string, seq: number) => void;
}

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

const Join = Schema.Compile(JoinRequestSchema);
const Leave = Schema.Compile(LeaveRequestSchema);
const Command = Schema.Compile(CommandEnvelopeSchema);
const Presence = Schema.Compile(PresenceUpdateSchema);
const CheckInTokenReq = Schema.Compile(CheckInTokenRequestSchema);
const InkProgressCheck = Schema.Compile(InkProgressSchema);

/** Only after the event is durable: every broadcast goes through the event's audience. */
export function broadcast(io: LiveServer, event: LiveEvent, audience: Audience): void {
  const to = roomsOf(event.meetingId, audience);
  io.to(to).emit('event', event);
  // everyone else in the meeting learns only that the head moved (no type, actor or payload)
  if (audience.to !== 'meeting')
    io.to(rooms.meeting(event.meetingId)).except(to).emit('head', { meetingId: event.meetingId, seq: event.seq });
  // other processes' cached state decides what needs no command (may this socket draw on the
  // presenter layer?): tell them the log moved rather than let them wait for their next command
  if (hasOtherProcesses(io)) io.serverSideEmit('log.appended', event.meetingId, event.seq);
}

export function registerHandlers(
  io: LiveServer,
  socket: LiveSocket,
  deps: {
    live: LiveService;
    presence: PresenceTracker;
    log: FastifyBaseLogger;
    /** records a refused command (the ack waits for it: whoever is told "refused" finds it in the trail) */
    audit?: (e: RefusedCommandAudit) => Promise<void>;
    checkInUrl: (meetingId: string, token: string) => string;
    maxStrokePoints: number;
    ink: InkRelay;
    revocation: SocketRevocation;
    commands: CommandBatcher;
    commandTimed?: (type: string, outcome: string, seconds: number) => void;
    /** a joined socket is on this page of this document (read tracking checks and records it) */
    reads?: (socket: LiveSocket, meetingId: string, documentId: string, page: number) => void;
  },
): void {
  const { live, presence, log } = deps;
  const who = socket.data.principal.kind === 'user' ? socket.data.principal.user.id : 'room-screen';

  socket.on('meeting.join', (raw: unknown, ack: unknown) => {
    const reply = ackOf<JoinAck>(ack);
    if (!Join.Check(raw)) return reply(refuse('INVALID', 'meeting.join needs { meetingId, sinceSeq? }'));
    void (async () => {
      if (!(await deps.revocation.checkNow(socket)))
        return reply(refuse('UNAUTHENTICATED', 'Your session has ended; please log in again'));
      try {
        // The reads are asynchronous; the room join is not. An event is broadcast only after this
        // process's memory holds it, so if memory is still at the head the reads returned, no later
        // event has gone out yet and every later one reaches the rooms joined in this same turn.
        // Memory ahead (an event committed meanwhile): read again (the client also recovers a gap).
        let r = await live.join(socket.data.principal, raw);
        for (let retry = 0; retry < 3 && live.runtime.state(r.meetingId).lastSeq > r.seq; retry++)
          r = await live.join(socket.data.principal, raw);
        if (socket.data.ended || !socket.connected) return;
        void socket.join(roomsFor(r.meetingId, r.viewer));
        socket.data.joined.set(r.meetingId, r.viewer);
        if (r.viewer.userId !== null) presence.join(r.meetingId, socket.id, r.viewer.userId);
        if (r.eventsJson)
          // a catch-up: its events are JSON text already (recent-events.ts); the JoinAck is spliced around them
          jsonAckOf(ack)(`{"ok":true,"seq":${r.seq},"readOnly":${r.viewer.roomScreen},"events":[${r.eventsJson.join(',')}]}`);
        else reply({ ok: true, seq: r.seq, readOnly: r.viewer.roomScreen, ...(r.snapshot ? { snapshot: r.snapshot } : {}) });
        // who is here right now, without waiting for the next change
        presence.snapshot(r.meetingId).then(
          (msg) => socket.emit('presence', msg),
          () => {}, // the next roster change sends it
        );
      } catch (err) {
        log.info({ code: toAckError(err).error.code, meetingId: raw.meetingId, by: who }, 'meeting.join refused');
        reply(toAckError(err));
      }
    })();
  });

  socket.on('meeting.leave', (raw: unknown, ack: unknown) => {
    const reply = ackOf<SimpleAck>(ack);
    if (!Leave.Check(raw)) return reply(refuse('INVALID', 'meeting.leave needs { meetingId }'));
    leaveMeeting(socket, presence, raw.meetingId);
    reply({ ok: true });
  });

  // every refused command goes to the audit trail (throttled per socket, so a flood cannot fill it)
  const refusedCommand = async (code: string, type: unknown, meetingId: unknown): Promise<void> =>
    deps.audit?.({
      socketId: socket.id,
      actorId: socket.data.principal.kind === 'user' ? socket.data.principal.user.id : null,
      actorName: socket.data.principal.kind === 'user' ? socket.data.principal.user.username : 'room-screen',
      action: `command ${typeof type === 'string' ? type.slice(0, 40) : '?'}`,
      meetingId: typeof meetingId === 'string' ? meetingId.slice(0, 64) : null,
      code,
    });

  socket.on('command', (raw: unknown, ack: unknown) => {
    const reply = ackOf<CommandAck>(ack);
    if (socket.data.ended) return reply(refuse('UNAUTHENTICATED', 'Your session has ended; please log in again'));
    const envelope = (raw !== null && typeof raw === 'object' ? raw : {}) as { type?: unknown; meetingId?: unknown };
    if (!socket.data.commands.take()) {
      void refusedCommand('RATE_LIMITED', envelope.type, envelope.meetingId).then(() =>
        reply(refuse('RATE_LIMITED', 'Too many commands; slow down')),
      );
      return;
    }
    if (!Command.Check(raw)) {
      void refusedCommand('INVALID', envelope.type, envelope.meetingId).then(() =>
        reply(refuse('INVALID', 'A command is { id, meetingId, type, payload }')),
      );
      return;
    }
    // timed from arrival to the answer: the wait for this turn's group commit is part of it
    const started = process.hrtime.bigint();
    const timed = (outcome: string) => deps.commandTimed?.(raw.type, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    // committed with the other commands of this turn (group commit); answered after the commit
    deps.commands
      .submit(socket.data.principal, raw)
      .then((r) => {
        if (r.event && r.audience) broadcast(io, r.event, r.audience);
        timed('ok');
        reply({ ok: true, seq: r.seq, ...r.ack });
      })
      .catch((err: unknown) => {
        const refused = toAckError(err);
        timed(refused.error.code);
        if (refused.error.code === 'INTERNAL') log.error({ err, type: raw.type, meetingId: raw.meetingId }, 'command failed');
        else log.info({ code: refused.error.code, type: raw.type, meetingId: raw.meetingId, by: who }, 'command refused');
        void refusedCommand(refused.error.code, raw.type, raw.meetingId).then(() => {
          reply(refused);
          // the command's own check saw a revocation this process was not told of (another process)
          if (refused.error.code === 'UNAUTHENTICATED') deps.revocation.sessionGone(socket);
          else if (refused.error.code === 'NOT_FOUND' && socket.data.joined.has(raw.meetingId))
            void deps.revocation.recheckMeeting(socket, raw.meetingId);
        });
      });
  });

  socket.on('presence.update', (raw: unknown) => {
    // volatile: excess or malformed updates are dropped silently
    if (!socket.data.presenceUpdates.take() || !Presence.Check(raw)) return;
    if (!presence.update(socket.id, raw)) return;
    // the page a member is on is also how far they read (services/read-tracking.ts)
    if (raw.documentId && raw.page) deps.reads?.(socket, raw.meetingId, raw.documentId, raw.page);
  });

  socket.on('ink.progress', (raw: unknown) => {
    // volatile and unlogged: dropped silently when malformed, too fast, or not allowed on the layer
    if (!socket.data.inkBatches.take() || !InkProgressCheck.Check(raw)) return;
    // session and membership: ended sockets at once, the database at most every few seconds
    if (!deps.revocation.stillValid(socket)) return;
    const viewer = socket.data.joined.get(raw.meetingId);
    if (!viewer || viewer.userId === null || viewer.roomScreen) return;
    if (raw.from + raw.points.length > deps.maxStrokePoints) return;
    const access = { meetingId: raw.meetingId, userId: viewer.userId, isAdmin: viewer.isAdmin, role: viewer.role };
    if (!mayDrawOn(access, live.runtime.state(raw.meetingId), raw.layer)) return;
    // private ink goes only to the author's other devices; never echoed to the sender
    const to = raw.layer === 'private' ? rooms.user(raw.meetingId, viewer.userId) : rooms.meeting(raw.meetingId);
    // Not Socket.IO's volatile (it tore holes in a stroke's preview even on a quiet link): the relay
    // skips only receivers already backed up, and sends each turn's batches together (ink-relay.ts).
    deps.ink.relay(socket.id, to, { ...raw, userId: viewer.userId });
  });

  socket.on('checkin.token', (raw: unknown, ack: unknown) => {
    const reply = ackOf<CheckInTokenAck>(ack);
    if (!CheckInTokenReq.Check(raw)) return reply(refuse('INVALID', 'checkin.token needs { meetingId }'));
    void (async () => {
      if (!(await deps.revocation.checkNow(socket)))
        return reply(refuse('UNAUTHENTICATED', 'Your session has ended; please log in again'));
      try {
        const t = await live.checkInToken(socket.data.principal, raw.meetingId);
        reply({ ok: true, token: t.token, expiresAt: t.expiresAt, url: deps.checkInUrl(raw.meetingId, t.token) });
      } catch (err) {
        reply(toAckError(err));
      }
    })();
  });

  socket.on('disconnect', () => {
    for (const meetingId of socket.data.joined.keys()) presence.leave(meetingId, socket.id);
    socket.data.joined.clear();
  });
}

export function leaveMeeting(socket: LiveSocket, presence: PresenceTracker, meetingId: string) {
  const viewer = socket.data.joined.get(meetingId);
  if (!viewer) return;
  for (const room of roomsFor(meetingId, viewer)) void socket.leave(room);
  socket.data.joined.delete(meetingId);
  presence.leave(meetingId, socket.id);
}
