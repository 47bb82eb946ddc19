// Live ink fan-out (the `ink.progress` handler decides who may draw and where; this decides how
// the batches reach the others). Batches relayed in one event-loop turn leave together, as one
// `ink.progress` packet per receiver whose arguments are the batches, in arrival order: with ten
// people drawing, each batch sent on its own was one WebSocket frame to each of a hundred screens
// (60,000 writes a second), and once the server fell behind, every turn's frames queued behind the
// last. Coalescing costs nothing on a quiet server (each batch has its turn to itself and leaves
// alone, exactly as the public contract shows it (docs/design-notes.md)) and grows with load. A client that reads only
// the first argument sees the others as dropped batches, which `ink.progress`, volatile, allows.
import type { InkProgressMessage } from '../../shared/annotations';
import type { LiveServer } from './handlers';

/**
 * A receiver is backed up when packets have been waiting in its engine.io buffer for longer than
 * a frame since its transport last accepted a write: a healthy link takes what waits on the next
 * event-loop turn. Such a receiver skips this turn's ink (receivers place points by `from`; the
 * commit is the record). Socket.IO's volatile instead drops as soon as a write is in flight (holes
 * in a stroke's preview on a quiet link); no bound at all is a queue of stale ink in front of every
 * slow receiver.
 */
export const INK_STALE_MS = 16;

interface Pending {
  sender: string;
  message: InkProgressMessage;
}

export class InkRelay {
  /** room → this turn's batches, in arrival order */
  private pending = new Map<string, Pending[]>();
  private scheduled = false;
  /** when each engine.io connection last handed its buffer to the transport */
  private readonly lastFlush = new WeakMap<object, number>();

  constructor(private readonly io: LiveServer) {
    io.engine.on('flush', (conn: object) => {
      this.lastFlush.set(conn, performance.now());
    });
  }

  /** Sends `message` to `room` (never back to `senderId`) at the end of this event-loop turn. */
  relay(senderId: string, room: string, message: InkProgressMessage): void {
    const list = this.pending.get(room);
    if (list) list.push({ sender: senderId, message });
    else this.pending.set(room, [{ sender: senderId, message }]);
    if (!this.scheduled) {
      this.scheduled = true;
      // after the poll phase: every batch read from the network in this turn is already here
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    const rooms = this.pending;
    this.pending = new Map();
    for (const [room, list] of rooms) {
      const skip = this.backedUpSockets(room);
      const senders = [...new Set(list.map((p) => p.sender))];
      // one encoding for everyone who did not draw in this turn; with several processes (Redis
      // adapter) the others deliver it to their sockets of the room, `except` holds there too
      this.io
        .to(room)
        .except(skip ? [...senders, ...skip] : senders)
        .emit('ink.progress', ...list.map((p) => p.message));
      // who drew gets the others' batches, never its own
      for (const s of senders) {
        if (skip?.includes(s)) continue;
        const others = list.filter((p) => p.sender !== s);
        // the sender is a socket of this process: no need to go through the adapter (Redis)
        if (others.length > 0) this.io.local.to(s).emit('ink.progress', ...others.map((p) => p.message));
      }
    }
  }

  /** The sockets of a room (on this node) whose outgoing buffer is backed up, or null when none is. */
  private backedUpSockets(room: string): string[] | null {
    const ids = this.io.sockets.adapter.rooms.get(room);
    if (!ids) return null;
    const now = performance.now();
    let out: string[] | null = null;
    for (const id of ids) {
      const conn = this.io.sockets.sockets.get(id)?.conn;
      // engine.io's queue of packets not yet handed to the transport (not in its typings)
      if (!conn || !(conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length) continue;
      if (now - (this.lastFlush.get(conn) ?? now) > INK_STALE_MS) (out ??= []).push(id);
    }
    return out;
  }
}
