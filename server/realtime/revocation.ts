// Revocation that reaches open sockets: a logout, a password change, a deleted account, an expired
// session, or a member removed from a meeting stops that socket's events and its commands and ink.
//
// Two layers, because several server processes will share one database:
//  1. The guarantee is the re-check. Every command checks its socket's session inside the command's
//     own write transaction (LiveService.execute) and its membership there too, so a revocation
//     committed by any process refuses the very next command. Ink batches (volatile, many a
//     second, no transaction) and event delivery are re-checked against the database at most every
//     `recheckMs` per socket: on the next batch after that, and by a sweep over every local socket
//     (which also catches sessions that simply expired). A socket whose session is gone is told
//     why and disconnected; one no longer a member leaves that meeting's rooms.
//  2. The immediate path is best effort: the HTTP route that made the change calls this service,
//     which acts at once on the sockets of THIS process. Sockets in other processes are reached by
//     layer 1 within `recheckMs` (once the Socket.IO Redis adapter lands, the room-based lookups
//     below can become cross-process broadcasts).
import type { Store } from '../db/store';
import { liveSession, sessionExpired } from '../services/auth';
import type { LiveService } from '../live/live-service';
import type { SessionEndReason } from '../../shared/events';
import { rooms, roomsFor, type Viewer } from '../live/visibility';
import type { LiveServer, LiveSocket } from './handlers';
import { leaveMeeting } from './handlers';
import type { PresenceTracker } from './presence';

/** Socket.IO rooms (not meeting rooms) used to find a user's or a session's sockets. */
export const revocationRooms = {
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
};

export class SocketRevocation {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly io: LiveServer,
    private readonly database: Store,
    private readonly live: LiveService,
    private readonly presence: PresenceTracker,
    private readonly recheckMs: number,
  ) {
    this.timer = setInterval(() => this.sweep(), recheckMs);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** Logout, or a login that replaced the session: those sessions' sockets end. */
  sessionsEnded(sessionIds: string[], reason: SessionEndReason): void {
    for (const id of sessionIds) for (const s of this.localSockets(revocationRooms.session(id))) this.end(s, reason);
  }

  /** A new password or a deleted account: every session of the user is gone, so are its sockets. */
  userEnded(userId: string, reason: SessionEndReason): void {
    for (const s of this.localSockets(revocationRooms.user(userId))) this.end(s, reason);
  }

  /** A member removed from a meeting: their sockets leave its rooms and are told so. */
  memberRemoved(meetingId: string, userId: string): void {
    for (const s of this.localSockets(rooms.user(meetingId, userId))) this.removeFromMeeting(s, meetingId);
  }

  /**
   * Per ink batch (and anything else that is not a command): false once the socket was ended.
   * Costs a clock read; at most every `recheckMs` per socket a database check starts, and the
   * socket ends when it answers (an ended session's own signal ends it at once: sessionsEnded).
   */
  stillValid(socket: LiveSocket, now = Date.now()): boolean {
    if (socket.data.ended) return false;
    if (now - socket.data.checkedAt >= this.recheckMs) void this.recheck(socket, now);
    return true;
  }

  /** For rare requests (a join, a check-in code): checked against the database every time. */
  async checkNow(socket: LiveSocket): Promise<boolean> {
    if (socket.data.ended) return false;
    return this.recheck(socket, Date.now());
  }

  /** Ends a socket whose command was refused because its session is gone (seen by the command's own check). */
  sessionGone(socket: LiveSocket): void {
    if (!socket.data.ended) this.end(socket, 'session-ended');
  }

  /**
   * Is the socket still a member of a meeting it joined, and in which role? Not a member: it leaves
   * the meeting. A changed role or administrator flag: its rooms follow (in or out of the officers'
   * room), so it gets exactly what the new role gets from now on (its state is re-projected at its
   * next join).
   */
  async recheckMeeting(socket: LiveSocket, meetingId: string): Promise<void> {
    let viewer: Viewer;
    const principal = socket.data.principal;
    try {
      viewer = (await this.live.store.read((q, t) => this.live.access(q, t, principal, meetingId))).viewer;
    } catch (err) {
      // not a member any more (or the meeting is gone); a database that cannot answer now decides nothing
      if ((err as { code?: unknown }).code !== 'DATABASE_UNAVAILABLE') this.removeFromMeeting(socket, meetingId);
      return;
    }
    // the socket may have left (or ended) while the read was awaited
    if (socket.data.ended) return;
    const old = socket.data.joined.get(meetingId);
    if (!old || (old.role === viewer.role && old.isAdmin === viewer.isAdmin)) return;
    for (const room of roomsFor(meetingId, old)) void socket.leave(room);
    void socket.join(roomsFor(meetingId, viewer));
    socket.data.joined.set(meetingId, viewer);
  }

  /** A user's role in a meeting or administrator flag changed: their sockets here are re-checked now. */
  userChanged(userId: string): void {
    const now = Date.now();
    for (const s of this.localSockets(revocationRooms.user(userId))) void this.recheck(s, now);
  }

  private async recheck(socket: LiveSocket, now: number): Promise<boolean> {
    socket.data.checkedAt = now;
    const p = socket.data.principal;
    if (p.kind === 'user' && p.sessionId !== undefined) {
      const sessionId = p.sessionId;
      let session: { isAdmin: boolean } | undefined;
      let expired = false;
      try {
        ({ session, expired } = await this.database.read(async (q, t) => {
          const live = await liveSession(q, t, sessionId);
          return { session: live, expired: live ? false : await sessionExpired(q, t, sessionId) };
        }));
      } catch {
        return !socket.data.ended; // the database is away: decide nothing now, the next check will
      }
      if (socket.data.ended) return false;
      if (!session) {
        this.end(socket, expired ? 'session-expired' : 'session-ended');
        return false;
      }
      if (session.isAdmin !== p.user.isAdmin) socket.data.principal = { ...p, user: { ...p.user, isAdmin: session.isAdmin } };
    }
    // asynchronous (a read of the store): the session above is the synchronous part of the answer;
    // a membership gone takes the socket out of that meeting when the read returns
    for (const meetingId of Array.from(socket.data.joined.keys())) void this.recheckMeeting(socket, meetingId);
    return true;
  }

  private sweep(): void {
    const now = Date.now();
    for (const s of this.io.of('/').sockets.values()) {
      if (!s.data.ended && now - s.data.checkedAt >= this.recheckMs) void this.recheck(s, now);
    }
  }

  private end(socket: LiveSocket, reason: SessionEndReason): void {
    socket.data.ended = reason;
    for (const meetingId of Array.from(socket.data.joined.keys())) leaveMeeting(socket, this.presence, meetingId);
    socket.emit('session.ended', { reason });
    socket.disconnect(true);
  }

  /** The socket is no longer a member of a meeting it joined (also seen by a refused command). */
  removeFromMeeting(socket: LiveSocket, meetingId: string): void {
    if (!socket.data.joined.has(meetingId)) return;
    leaveMeeting(socket, this.presence, meetingId);
    socket.emit('meeting.removed', { meetingId });
  }

  private localSockets(room: string): LiveSocket[] {
    const ns = this.io.of('/');
    const ids = ns.adapter.rooms.get(room);
    if (!ids) return [];
    return [...ids].map((id) => ns.sockets.get(id)).filter((s): s is LiveSocket => s !== undefined);
  }
}
