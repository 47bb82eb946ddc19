// Presence (volatile, never logged): who is online, following the chair or browsing, and on which
// page. Kept per socket, folded per user, and broadcast per meeting at most once per interval.
// With several processes (REDIS_URL) each one keeps its own sockets and shares them as a partial
// roster (`share`); the rosters of the others (`mergeRemote`) are folded in, each forgotten when its
// process has not refreshed it for a while (a process that died takes its sockets offline).
import type { PresenceMessage, PresenceUpdate, PresenceUser } from '../../shared/events';

export interface SocketPresence {
  userId: string;
  following: boolean;
  documentId: string | null;
  page: number | null;
  updatedAt: number;
}

/** One process's sockets in one meeting, as it shares them with the others. */
export interface PresencePartial {
  node: string;
  meetingId: string;
  sockets: SocketPresence[];
}

interface RemotePartial {
  sockets: SocketPresence[];
  receivedAt: number;
}

export class PresenceTracker {
  private readonly meetings = new Map<string, Map<string, SocketPresence>>();
  /** meeting → other process → its sockets there */
  private readonly remote = new Map<string, Map<string, RemotePartial>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastSent = new Map<string, number>();
  /** meetings whose local roster changed since it was last shared */
  private readonly unshared = new Set<string>();
  private closed = false;

  constructor(
    private readonly emit: (msg: PresenceMessage) => void,
    /** the meeting's members (a read of the store: asynchronous) */
    private readonly memberIds: (meetingId: string) => string[] | Promise<string[]>,
    private readonly intervalMs: number,
    /** several processes: hands this process's roster of a meeting to the others */
    private readonly share?: (p: PresencePartial) => void,
    private readonly node = '',
    /** a remote roster not refreshed for this long is dropped */
    private readonly remoteTtlMs = 30_000,
  ) {}

  /** Another process's roster of a meeting (replaces the previous one from that process). */
  mergeRemote(p: PresencePartial, now = Date.now()): void {
    if (p.node === this.node) return;
    const byNode = this.remote.get(p.meetingId) ?? new Map<string, RemotePartial>();
    this.remote.set(p.meetingId, byNode);
    if (p.sockets.length === 0) byNode.delete(p.node);
    else byNode.set(p.node, { sockets: p.sockets, receivedAt: now });
    if (byNode.size === 0) this.remote.delete(p.meetingId);
    this.schedule(p.meetingId, false);
  }

  /** This process's rosters, for a periodic refresh or a process that just started. */
  shareAll(): void {
    if (this.closed || !this.share) return;
    for (const meetingId of this.meetings.keys()) this.share(this.partial(meetingId));
  }

  private partial(meetingId: string): PresencePartial {
    return { node: this.node, meetingId, sockets: [...(this.meetings.get(meetingId)?.values() ?? [])] };
  }

  join(meetingId: string, socketId: string, userId: string): void {
    const sockets = this.meetings.get(meetingId) ?? new Map<string, SocketPresence>();
    this.meetings.set(meetingId, sockets);
    // a newcomer follows the chair until it says otherwise
    sockets.set(socketId, { userId, following: true, documentId: null, page: null, updatedAt: Date.now() });
    this.schedule(meetingId);
  }

  update(socketId: string, p: PresenceUpdate): boolean {
    const s = this.meetings.get(p.meetingId)?.get(socketId);
    if (!s) return false;
    Object.assign(s, { following: p.following, documentId: p.documentId ?? null, page: p.page ?? null, updatedAt: Date.now() });
    this.schedule(p.meetingId);
    return true;
  }

  leave(meetingId: string, socketId: string): void {
    const sockets = this.meetings.get(meetingId);
    if (!sockets?.delete(socketId)) return;
    if (sockets.size === 0) this.meetings.delete(meetingId);
    this.schedule(meetingId);
  }

  async snapshot(meetingId: string, now = Date.now()): Promise<PresenceMessage> {
    const members = await this.memberIds(meetingId);
    const latest = new Map<string, SocketPresence>();
    const remote: SocketPresence[] = [];
    for (const [node, r] of this.remote.get(meetingId) ?? []) {
      if (now - r.receivedAt > this.remoteTtlMs) this.remote.get(meetingId)!.delete(node);
      else remote.push(...r.sockets);
    }
    for (const s of [...(this.meetings.get(meetingId)?.values() ?? []), ...remote]) {
      const prev = latest.get(s.userId);
      if (!prev || prev.updatedAt <= s.updatedAt) latest.set(s.userId, s);
    }
    const ids = new Set([...members, ...latest.keys()]);
    const users: PresenceUser[] = [...ids].map((userId) => {
      const s = latest.get(userId);
      return s
        ? { userId, online: true, following: s.following, documentId: s.documentId, page: s.page }
        : { userId, online: false, following: false, documentId: null, page: null };
    });
    return { meetingId, users };
  }

  /** Trailing throttle: changes within one interval go out together. */
  private schedule(meetingId: string, local = true): void {
    if (local) this.unshared.add(meetingId);
    // closing disconnects every socket; their leaves must not schedule work on a closed database
    if (this.closed || this.timers.has(meetingId)) return;
    const wait = Math.max(0, (this.lastSent.get(meetingId) ?? 0) + this.intervalMs - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(meetingId);
      this.lastSent.set(meetingId, Date.now());
      if (this.unshared.delete(meetingId)) this.share?.(this.partial(meetingId));
      if (!this.meetings.has(meetingId)) this.lastSent.delete(meetingId);
      this.snapshot(meetingId).then(
        (msg) => {
          if (!this.closed) this.emit(msg);
        },
        () => {
          // the members could not be read (a database going away): the next change sends the roster
        },
      );
    }, wait);
    timer.unref();
    this.timers.set(meetingId, timer);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
