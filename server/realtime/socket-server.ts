// Socket.IO on Fastify's own HTTP server (same port, default namespace). Decorates the app with the
// live service, so HTTP routes (event log, room and check-in tokens) share the one meeting runtime.
import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import { eq } from 'drizzle-orm';
import { originAllowed } from '../plugins/security';
import { LiveService } from '../live/live-service';
import { LiveTokens, loadOrCreateSecret } from '../live/live-tokens';
import { rooms } from '../live/visibility';
import { HandshakeError, principalFromHandshake } from './handshake';
import { broadcast, registerHandlers, type LiveServer } from './handlers';
import { CommandBatcher } from './command-batcher';
import { InkRelay } from './ink-relay';
import { PresenceTracker } from './presence';
import { attachRedisFanout } from './redis-fanout';
import { TokenBucket } from './token-bucket';
import { notificationRoom } from '../notifications/notification-service';
import { SocketRevocation, revocationRooms } from './revocation';
import { AuditThrottle, recordAudit } from '../services/audit';
import type { LiveSocket, RefusedCommandAudit } from './handlers';
import { isCommandType } from '../live/commands';
import { ReadTracker } from '../services/read-tracking';
import type { Store } from '../db/store';
import { documentRefusal } from '../policies/document-policy';
import type { MeetingAccess } from '../policies/meeting-policy';
import { liveParser } from './pre-serialized';

/**
 * The document a socket reports reading, if this member may read it (the document policy itself,
 * documentRefusal for 'read' as assertDocumentIdFor applies it — a draft only for those who see
 * drafts), with its page count, in one read.
 * Without a query per page turn: kept on the socket once it is published, because then nothing
 * checked here can change any more (its meeting and page count never do, publication is never
 * undone; a document deleted meanwhile is skipped when the reads are written,
 * services/read-tracking.ts). Anything else is asked each time: a draft may be published meanwhile.
 */
function readableDoc(
  s: LiveSocket,
  id: string,
  access: MeetingAccess,
  store: Store,
): Promise<{ meetingId: string; pageCount: number } | undefined> {
  const kept = s.data.reading;
  if (kept?.id === id && kept.meetingId === access.meetingId)
    return Promise.resolve({ meetingId: kept.meetingId, pageCount: kept.pageCount });
  // page turns sent together share the one lookup in flight (the read is asynchronous)
  const pending = lookups.get(s);
  if (pending?.id === id && pending.meetingId === access.meetingId) return pending.result;
  const result = lookUp(s, id, access, store);
  lookups.set(s, { id, meetingId: access.meetingId, result });
  // cleared whether it succeeds or fails (the caller handles the failure; this chain must not
  // leave a rejected promise of its own: an unhandled rejection ends the process)
  const forget = () => {
    if (lookups.get(s)?.result === result) lookups.delete(s);
  };
  result.then(forget, forget);
  return result;
}

const lookups = new WeakMap<
  LiveSocket,
  { id: string; meetingId: string; result: Promise<{ meetingId: string; pageCount: number } | undefined> }
>();

async function lookUp(
  s: LiveSocket,
  id: string,
  access: MeetingAccess,
  store: Store,
): Promise<{ meetingId: string; pageCount: number } | undefined> {
  const [row] = await store.read((q, t) =>
    q
      .select({
        meetingId: t.documents.meetingId,
        publishedAt: t.documents.publishedAt,
        pageCount: t.documents.pageCount,
        confidentiality: t.documents.confidentiality,
      })
      .from(t.documents)
      .where(eq(t.documents.id, id)),
  );
  // another meeting's document, or one this member may not see (the policy assertDocumentIdFor applies)
  if (!row || row.meetingId !== access.meetingId || documentRefusal(access, row, 'read')) return undefined;
  if (row.publishedAt !== null) s.data.reading = { id, meetingId: row.meetingId, pageCount: row.pageCount };
  return { meetingId: row.meetingId, pageCount: row.pageCount };
}

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveService;
    io: LiveServer;
    /** tells open sockets about logouts, password changes and removed members (revocation.ts) */
    revocation: SocketRevocation;
    /** how far each member read each document, gathered from the sockets and written in batches */
    reads: ReadTracker;
  }
}

/** Links the client opens: the room screen, and the QR a member scans to check in. */
export const roomScreenPath = (meetingId: string, token: string) =>
  `/meetings/${meetingId}/room#token=${encodeURIComponent(token)}`;
export const checkInPath = (meetingId: string, token: string) =>
  `/meetings/${meetingId}/checkin?token=${encodeURIComponent(token)}`;

export default fp(
  async (app) => {
    const { config, database } = app;
    const tokens = new LiveTokens(loadOrCreateSecret(config.dataDir), config);
    const auditThrottle = new AuditThrottle();
    const auditRefusal = async (e: RefusedCommandAudit): Promise<void> => {
      if (!auditThrottle.allow(e.socketId)) return;
      try {
        await database.write(e.meetingId, (q, t) =>
          recordAudit(q, t, {
            actorId: e.actorId,
            actorName: e.actorName,
            action: e.action,
            meetingId: e.meetingId,
            outcome: 'refused',
            code: e.code,
            details: { socket: e.socketId },
          }),
        );
      } catch (err) {
        app.log.error({ err }, 'audit write failed');
      }
    };
    const live = new LiveService(database, tokens, {
      catchUpMaxEvents: config.liveCatchUpMaxEvents,
      recentEventsBytes: config.liveRecentEventsMb * 1024 * 1024,
      // events the server records itself (minutes) go out like commands' (io is set just below, before any can)
      publish: (event, audience) => broadcast(io, event, audience),
      annotationLimits: {
        maxPoints: config.annotationMaxPoints,
        maxNoteLength: config.annotationMaxNoteLength,
        strokesPerSecond: config.annotationStrokesPerSecond,
        strokeBurst: config.annotationStrokeBurst,
        maxStrokesPerDocument: config.annotationMaxStrokesPerDocument,
        maxPointsPerDocument: config.annotationMaxPointsPerDocument,
      },
    });

    const io: LiveServer = new Server(app.server, {
      serveClient: false,
      maxHttpBufferSize: config.liveMaxMessageBytes,
      // the stock packet format; a catch-up's events go out as the text the server holds (pre-serialized.ts)
      parser: liveParser,
      // Cross-site WebSocket hijacking guard: a browser page from another origin cannot ride the cookie.
      allowRequest: (req, cb) => cb(null, originAllowed(req.headers.origin, req.headers.host)),
    });

    // several processes (REDIS_URL): broadcasts reach the other processes' sockets too (redis-fanout.ts)
    const fanout = config.redisUrl ? await attachRedisFanout(io, config.redisUrl, app.log) : null;

    const ink = new InkRelay(io);
    const presence = new PresenceTracker(
      // not Socket.IO-volatile: throttled to a few a second already, and a dropped one would leave a
      // stale roster until the next change. Local: each process sends its own sockets the roster
      // merged from every process's partial one (shared below), not its partial one to everyone.
      (msg) => io.local.to(rooms.meeting(msg.meetingId)).emit('presence', msg),
      (meetingId) =>
        database.read(async (q, t) =>
          (
            await q
              .select({ userId: t.meetingMembers.userId })
              .from(t.meetingMembers)
              .where(eq(t.meetingMembers.meetingId, meetingId))
              .orderBy(t.meetingMembers.userId)
          ).map((r) => r.userId),
        ),
      config.livePresenceIntervalMs,
      fanout ? (p) => io.serverSideEmit('presence.partial', p) : undefined,
      randomUUID(),
    );
    let presenceRefresh: NodeJS.Timeout | undefined;
    if (fanout) {
      io.on('presence.partial', (p) => {
        // from another process of this deployment; still, a malformed one must not end this process
        if (p && typeof p.meetingId === 'string' && typeof p.node === 'string' && Array.isArray(p.sockets))
          presence.mergeRemote(p);
      });
      io.on('presence.hello', () => presence.shareAll());
      io.on('log.appended', (meetingId, seq) => {
        if (typeof meetingId === 'string' && Number.isSafeInteger(seq))
          live.runtime.behind(meetingId, seq).catch((err: unknown) => app.log.warn({ err, meetingId }, 'catch-up failed'));
      });
      io.serverSideEmit('presence.hello');
      // rosters are refreshed well within their time to live: a process that dies drops out
      presenceRefresh = setInterval(() => presence.shareAll(), 10_000);
      presenceRefresh.unref();
    }

    io.use(async (socket, next) => {
      try {
        socket.data.principal = await principalFromHandshake(
          { database, tokens, parseCookie: (h) => app.parseCookie(h), protocol: app.config.protocolVersion },
          socket.handshake,
        );
        socket.data.commands = new TokenBucket(config.liveCommandsPerSecond, config.liveCommandBurst);
        socket.data.presenceUpdates = new TokenBucket(20, 40);
        socket.data.inkBatches = new TokenBucket(config.inkProgressPerSecond, config.inkProgressPerSecond * 2);
        socket.data.joined = new Map();
        socket.data.checkedAt = Date.now();
        next();
      } catch (err) {
        if (err instanceof HandshakeError) {
          const e = new Error(err.data.message) as Error & { data: unknown };
          e.data = err.data;
          return next(e);
        }
        app.log.error({ err }, 'socket handshake failed');
        next(new Error('Internal server error'));
      }
    });

    const revocation = new SocketRevocation(io, database, live, presence, config.liveSessionRecheckMs);
    const commands = new CommandBatcher(live);
    const reads = new ReadTracker(app.database, { flushMs: config.readFlushMs, log: app.log });

    io.on('connection', (socket) => {
      // rooms that find this socket when its user's or session's standing changes (revocation.ts)
      const p = socket.data.principal;
      if (p.kind === 'user') {
        void socket.join(revocationRooms.user(p.user.id));
        void socket.join(notificationRoom(p.user.id));
        if (p.sessionId !== undefined) void socket.join(revocationRooms.session(p.sessionId));
      }
      registerHandlers(io, socket, {
        live,
        presence,
        log: app.log,
        audit: auditRefusal,
        checkInUrl: checkInPath,
        maxStrokePoints: config.annotationMaxPoints,
        ink,
        revocation,
        commands,
        // only registered command types get their own series; anything else is one 'other'
        commandTimed: (type, outcome, seconds) =>
          app.metrics.commandDuration.observe({ type: isCommandType(type) ? type : 'other', outcome }, seconds),
        reads: (s, meetingId, documentId, page) => {
          const viewer = s.data.joined.get(meetingId);
          if (!viewer || viewer.userId === null || viewer.roomScreen || !revocation.stillValid(s)) return;
          const userId = viewer.userId;
          const access = { meetingId, userId, isAdmin: viewer.isAdmin, role: viewer.role };
          readableDoc(s, documentId, access, database).then(
            (doc) => {
              // another meeting's document, a draft this member may not see, a page it does not have: not counted
              if (!doc || doc.meetingId !== meetingId || page > doc.pageCount) return;
              reads.view(documentId, userId, page);
            },
            (err: unknown) => app.log.warn({ err }, 'reading progress not checked'),
          );
        },
      });
    });

    app.decorate('live', live);
    app.decorate('revocation', revocation);
    app.decorate('reads', reads);
    app.decorate('io', io);
    // Before Fastify closes the HTTP server: drop live sockets so close() does not wait on them.
    app.addHook('preClose', async () => {
      clearInterval(presenceRefresh);
      presence.close();
      revocation.close();
      io.disconnectSockets(true);
      await reads.close(); // what was gathered is written before the database closes
      io.engine.close();
      await fanout?.close();
    });
  },
  { name: 'realtime', dependencies: ['context', 'auth', 'metrics'] },
);
