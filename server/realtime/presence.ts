// Presence (volatile, never logged): who is online, following the chair or browsing, and on which
// page. Kept per socket, folded per user, and broadcast per meeting at most once per interval.
import type { PresenceMessage, PresenceUpdate, PresenceUser } from '../../shared/events';

interface SocketPresence {
  userId: string;
  following: boolean;
  documentId: string | null;
  page: number | null;
  updatedAt: number;
}

export class PresenceTracker {
  private readonly meetings = new Map<string, Map<string, SocketPresence>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastSent = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly emit: (msg: PresenceMessage) => void,
    private readonly memberIds: (meetingId: string) => string[],
    private readonly intervalMs: number,
  ) {}

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

  snapshot(meetingId: string): PresenceMessage {
    const latest = new Map<string, SocketPresence>();
    for (const s of this.meetings.get(meetingId)?.values() ?? []) {
      const prev = latest.get(s.userId);
      if (!prev || prev.updatedAt <= s.updatedAt) latest.set(s.userId, s);
    }
    const ids = new Set([...this.memberIds(meetingId), ...latest.keys()]);
    const users: PresenceUser[] = [...ids].map((userId) => {
      const s = latest.get(userId);
      return s
        ? { userId, online: true, following: s.following, documentId: s.documentId, page: s.page }
        : { userId, online: false, following: false, documentId: null, page: null };
    });
    return { meetingId, users };
  }

  /** Trailing throttle: changes within one interval go out together. */
  private schedule(meetingId: string): void {
    // closing disconnects every socket; their leaves must not schedule work on a closed database
    if (this.closed || this.timers.has(meetingId)) return;
    const wait = Math.max(0, (this.lastSent.get(meetingId) ?? 0) + this.intervalMs - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(meetingId);
      this.lastSent.set(meetingId, Date.now());
      this.emit(this.snapshot(meetingId));
      if (!this.meetings.has(meetingId)) this.lastSent.delete(meetingId);
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
