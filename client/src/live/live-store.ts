// The live meeting on the client: one Socket.IO connection per tab, the meeting state rebuilt with
// the shared reducer (snapshot, then events in seq order), catch-up after any reconnect, commands
// with idempotency ids that are retried after a reconnect, and presence. React reads it through
// useSyncExternalStore (useLive.ts); everything here is plain TypeScript.
import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type CheckInTokenAck,
  type ClientToServerEvents,
  type CommandAck,
  type CommandPayloads,
  type CommandType,
  type HandshakeAuth,
  type JoinAck,
  type LiveEvent,
  type PresenceMessage,
  type PresenceUser,
  type ServerToClientEvents,
} from '../../../shared/events';
import { applyEvent, type MeetingState } from '../../../shared/meeting-state';
import type { ErrorCode } from '../../../shared/errors';
import type { InkProgress, InkProgressMessage } from '../../../shared/annotations';
import { offlineChanged, offlineDb, type Conflict, type QueuedCommand } from '../offline/offline-db';

export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'offline';

/** Codes the server sends, plus what happens on this side of the wire. */
export type LiveErrorCode = ErrorCode | 'PROTOCOL_MISMATCH' | 'TIMEOUT';
export type LiveAck = { ok: true; seq: number } | { ok: false; error: { code: LiveErrorCode; message: string } };

export interface LiveSnapshot {
  connection: ConnectionState;
  /** null until the first join answers */
  state: MeetingState | null;
  readOnly: boolean;
  presence: ReadonlyMap<string, PresenceUser>;
  /** a refusal that stops the live link (bad room token, not a member, old client) */
  fatal: { code: LiveErrorCode; message: string } | null;
  /** counts the server's `meeting.changed` nudges: the page re-reads the meeting when it moves */
  preparationChanges: number;
  /** marks made (offline or not) kept on the device until the server answers them ("n changes waiting") */
  waiting: number;
  /** queued marks the server refused once back (meeting ended, document gone, permission): shown until dismissed */
  conflicts: readonly Conflict[];
}

export interface PresenceInput {
  following: boolean;
  documentId: string | null;
  page: number | null;
}

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Pending {
  id: string;
  type: string;
  payload: unknown;
  resolve: (ack: LiveAck) => void;
  timer: ReturnType<typeof setTimeout> | null;
  /** kept in the device's outbox (its key there): no time limit, survives a reload, re-sent until answered */
  durable?: { key: number; settle: (ack: LiveAck) => void };
}

/**
 * Marks are the commands kept durably while offline (issue 17): a stroke made without network is
 * drawn at once and sent when the connection is back, in order. Votes, page turns and the chair's
 * controls are never queued: they only make sense at the moment they are made.
 */
const DURABLE = (type: string) =>
  type === 'stroke.add' || type === 'stroke.erase' || type === 'stroke.undo' || type === 'stroke.redo';
/** refusals that say "not now" rather than "no": the command stays queued and is sent again */
const RETRY_LATER = new Set<string>(['RATE_LIMITED', 'INTERNAL', 'TIMEOUT', 'UNAVAILABLE']);

const JOIN_TIMEOUT_MS = 10_000;
/** A command that finds no connection for this long is given up (the user sees the refusal). */
const COMMAND_TIMEOUT_MS = 30_000;
const PRESENCE_THROTTLE_MS = 300;

const newId = (): string =>
  typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

export class LiveStore {
  private readonly socket: LiveSocket;
  private snapshot: LiveSnapshot;
  private readonly listeners = new Set<() => void>();
  /** told of every event the state folds, once each, in seq order (after gap handling) */
  private readonly foldListeners = new Set<(e: LiveEvent) => void>();
  /** told after every successful (re)join */
  private readonly joinListeners = new Set<() => void>();
  private readonly pending = new Map<string, Pending>();
  /** events that arrive while a (re)join is in flight; folded after its answer */
  private buffered: LiveEvent[] = [];
  private joining = false;
  private joined = false;
  private rejoinWanted = false;
  private presenceWanted: PresenceInput | null = null;
  private presenceTimer: ReturnType<typeof setTimeout> | null = null;
  private presenceSentAt = 0;
  private disposed = false;
  /** new durable commands wait for the ones a reload left in the outbox, then for each other (order) */
  private outboxChain: Promise<void>;

  constructor(
    readonly meetingId: string,
    opts: { roomToken?: string } = {},
  ) {
    const auth: HandshakeAuth = { protocol: PROTOCOL_VERSION, ...(opts.roomToken ? { roomToken: opts.roomToken } : {}) };
    this.snapshot = {
      connection: 'connecting',
      state: null,
      readOnly: opts.roomToken !== undefined,
      presence: new Map(),
      fatal: null,
      preparationChanges: 0,
      waiting: 0,
      conflicts: [],
    };
    this.outboxChain = opts.roomToken ? Promise.resolve() : this.loadOutbox();
    // WebSocket only: several server processes behind nginx need no stickiness then (HTTP
    // long-polling would need every request of a session on the same process; deploy/nginx.conf)
    this.socket = io({
      transports: ['websocket'],
      withCredentials: true,
      auth,
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      autoConnect: false,
    });

    this.socket.on('connect', () => this.join());
    this.socket.on('disconnect', (reason) => {
      this.joined = false;
      this.joining = false;
      // 'io client disconnect' is ours: offline, or the page is closing
      if (reason !== 'io client disconnect') this.set({ connection: navigator.onLine ? 'reconnecting' : 'offline' });
    });
    this.socket.on('connect_error', (err) => {
      const data = (err as Error & { data?: { code?: string; message?: string } }).data;
      if (data?.code === 'UNAUTHENTICATED' || data?.code === 'PROTOCOL_MISMATCH') {
        // refused by the server's handshake: retrying cannot help
        this.set({ connection: 'offline', fatal: { code: data.code, message: data.message ?? data.code } });
        return;
      }
      this.set({ connection: navigator.onLine ? 'reconnecting' : 'offline' });
    });
    this.socket.on('event', (e) => this.onEvent(e));
    this.socket.on('presence', (p) => this.onPresence(p));
    // revocation (server/realtime/revocation.ts): the session ended (logout elsewhere, password
    // reset, expiry) or this user left the meeting's invitation list: reconnecting cannot help
    this.socket.on('session.ended', (m) => {
      this.set({ connection: 'offline', fatal: { code: 'UNAUTHENTICATED', message: m.reason } });
      this.socket.disconnect();
    });
    this.socket.on('meeting.removed', (m) => {
      if (m.meetingId !== this.meetingId) return;
      this.set({ connection: 'offline', fatal: { code: 'NOT_FOUND', message: 'removed' } });
      this.socket.disconnect();
    });
    // the log moved with an event we may not see (someone's private mark): no gap, just a new head
    this.socket.on('head', (h) => {
      const state = this.snapshot.state;
      if (h.meetingId !== this.meetingId || !this.joined || !state || h.seq !== state.lastSeq + 1) return;
      this.set({ state: { ...state, lastSeq: h.seq } });
    });
    // agenda, members or documents changed over HTTP (server/realtime/meeting-changed.ts)
    this.socket.on('meeting.changed', (m) => {
      if (m.meetingId === this.meetingId) this.set({ preparationChanges: this.snapshot.preparationChanges + 1 });
    });
    window.addEventListener('offline', this.onBrowserOffline);
    window.addEventListener('online', this.onBrowserOnline);
    document.addEventListener('visibilitychange', this.onVisible);
    if (navigator.onLine) this.socket.connect();
    else this.set({ connection: 'offline' });
  }

  // ---- React glue
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LiveSnapshot => this.snapshot;

  private set(patch: Partial<LiveSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }

  // ---- joining and catching up
  private join(): void {
    if (this.disposed || this.joining) return;
    this.joining = true;
    this.rejoinWanted = false;
    const lastSeq = this.snapshot.state?.lastSeq;
    const req = lastSeq !== undefined ? { meetingId: this.meetingId, sinceSeq: lastSeq } : { meetingId: this.meetingId };
    this.socket.timeout(JOIN_TIMEOUT_MS).emit('meeting.join', req, (err: Error | null, ack: JoinAck) => {
      this.joining = false;
      if (this.disposed) return;
      if (err) {
        // no answer: the connection is probably dead; socket.io will reconnect and we join again
        if (this.socket.connected) this.join();
        return;
      }
      if (!ack.ok) {
        this.set({ connection: 'offline', fatal: ack.error });
        this.socket.disconnect();
        return;
      }
      let state = ack.snapshot ?? this.snapshot.state;
      if (!state) {
        // asked for a tail without a base: cannot happen (sinceSeq only with a state), but be whole
        this.snapshot = { ...this.snapshot, state: null };
        this.rejoinFresh();
        return;
      }
      if (ack.events) state = this.fold(state, ack.events);
      // Events the viewer may not see still advance the head: the join was atomic at ack.seq.
      if (state.lastSeq < ack.seq) state = { ...state, lastSeq: ack.seq };
      const buffered = this.buffered;
      this.buffered = [];
      state = this.fold(
        state,
        buffered.filter((e) => e.meetingId === this.meetingId).sort((a, b) => a.seq - b.seq),
      );
      this.joined = true;
      this.set({ state, readOnly: ack.readOnly, connection: 'online', fatal: null });
      for (const l of this.joinListeners) l();
      this.flushPending();
      // the server treats a new socket as following; tell it where we really are
      if (this.presenceWanted) this.sendPresenceNow();
      if (this.rejoinWanted) this.join();
    });
  }

  private rejoinFresh(): void {
    this.joining = false;
    this.join();
  }

  private onEvent(e: LiveEvent): void {
    if (e.meetingId !== this.meetingId) return;
    const state = this.snapshot.state;
    if (!this.joined || !state) {
      this.buffered.push(e);
      return;
    }
    if (e.seq <= state.lastSeq) return; // a duplicate of something a catch-up already gave us
    if (e.seq > state.lastSeq + 1) {
      // A gap: something was lost on the way. Ask for everything after what we hold, then fold this.
      this.buffered.push(e);
      this.joined = false;
      if (this.joining) this.rejoinWanted = true;
      else this.join();
      return;
    }
    this.set({ state: this.fold(state, [e]) });
  }

  /** Folds events (in seq order) into the state; each one taken is passed on to the fold listeners. */
  private fold(state: MeetingState, events: readonly LiveEvent[]): MeetingState {
    for (const e of events) {
      if (e.seq <= state.lastSeq) continue; // already folded (a catch-up and a live copy of one event)
      state = applyEvent(state, e);
      for (const l of this.foldListeners) l(e);
    }
    return state;
  }

  // ---- for features that keep their own state (annotations: client/src/annotations)
  /**
   * Every event the meeting state folds, once, in seq order: live events, and the ones a rejoin
   * after a gap or a reconnect caught up on. Never the raw socket stream, where an event can be
   * missing (a gap) or repeated. A rejoin answered with a snapshot folds no events: onJoined.
   */
  onFolded(fn: (e: LiveEvent) => void): () => void {
    this.foldListeners.add(fn);
    return () => {
      this.foldListeners.delete(fn);
    };
  }

  /** After every successful (re)join, including one that refetched the state while staying online. */
  onJoined(fn: () => void): () => void {
    this.joinListeners.add(fn);
    return () => {
      this.joinListeners.delete(fn);
    };
  }

  /** someone else's stroke in progress, batch by batch (one packet carries a server turn's batches as its arguments) */
  onInk(fn: (p: InkProgressMessage) => void): () => void {
    const each = (...batches: InkProgressMessage[]) => {
      for (const b of batches) fn(b);
    };
    this.socket.on('ink.progress', each);
    return () => {
      this.socket.off('ink.progress', each);
    };
  }

  /** volatile: skipped while offline or congested; the committed stroke is the record */
  sendInk(p: InkProgress): void {
    if (this.joined && this.socket.connected) this.socket.volatile.emit('ink.progress', p);
  }

  private onPresence(p: PresenceMessage): void {
    if (p.meetingId !== this.meetingId) return;
    this.set({ presence: new Map(p.users.map((u) => [u.userId, u])) });
  }

  // ---- commands
  /** Sends a command and resolves with its ack. The same id is re-sent after a reconnect until answered. */
  sendCommand<T extends CommandType>(type: T, payload: CommandPayloads[T]): Promise<LiveAck> {
    if (DURABLE(type) && !this.snapshot.readOnly && offlineDb()) {
      return new Promise((resolve) => {
        const id = newId();
        const q: QueuedCommand = { id, meetingId: this.meetingId, type, payload, at: new Date().toISOString() };
        this.outboxChain = this.outboxChain.then(async () => {
          const store = offlineDb();
          const key = store ? await store.then((db) => db.add('outbox', q)).catch(() => null) : null;
          if (key === null) {
            resolve(await this.sendVolatile(type, payload));
            return;
          } // no store: as before
          this.queueDurable(q, key, resolve);
        });
      });
    }
    return this.sendVolatile(type, payload);
  }

  /**
   * What the meeting page knows and this store does not (the documents' versions): a code when a queued
   * command the server accepted still needs a word to its author (SUPERSEDED: its document has a newer
   * version), null otherwise. Asked after the command was answered (it may read the meeting afresh).
   */
  private acceptedNotice: ((q: { type: string; payload: unknown }) => Promise<string | null>) | null = null;
  setAcceptedNotice(fn: ((q: { type: string; payload: unknown }) => Promise<string | null>) | null): void {
    this.acceptedNotice = fn;
  }

  /** The queued commands of this meeting not answered yet, in order (the annotation layer draws their strokes). */
  queued(): readonly { id: string; type: string; payload: unknown }[] {
    return [...this.pending.values()].filter((p) => p.durable);
  }

  private queueDurable(q: QueuedCommand, key: number, settle: (ack: LiveAck) => void): void {
    // made without a connection (or kept from before a reload): the meeting may have moved on meanwhile
    const madeOffline = !(this.joined && this.socket.connected);
    const entry: Pending = {
      id: q.id,
      type: q.type,
      payload: q.payload,
      timer: null,
      durable: { key, settle },
      resolve: (ack) => {
        if (!ack.ok && RETRY_LATER.has(ack.error.code)) {
          // not now: stays queued, sent again after a moment (or at the next join)
          setTimeout(() => {
            if (this.pending.get(q.id) === entry && this.joined && this.socket.connected) this.emitCommand(entry);
          }, 2000);
          return;
        }
        this.pending.delete(q.id);
        const store = offlineDb();
        if (store) void store.then((db) => db.delete('outbox', key)).catch(() => undefined);
        // refused for good: kept and shown, never dropped without a word; accepted, but where its author
        // did not expect (the meeting ended, or the document was replaced by a new version while they
        // were offline): saved, and said so
        const keep = (code: string) => {
          const c: Conflict = {
            id: q.id,
            meetingId: q.meetingId,
            type: q.type,
            payload: q.payload,
            code,
            message: ack.ok ? '' : ack.error.message,
            at: new Date().toISOString(),
          };
          if (store) void store.then((db) => db.put('conflicts', c)).catch(() => undefined);
          this.set({ conflicts: [...this.snapshot.conflicts, c] });
        };
        if (!ack.ok) keep(ack.error.code);
        else if (!madeOffline) {
          /* sent at once: nothing its author did not see */
        } else if (this.snapshot.state?.status === 'ended') keep('MEETING_ENDED');
        else if (this.acceptedNotice)
          void this.acceptedNotice(q).then(
            (code) => {
              if (code) keep(code);
            },
            () => undefined,
          );
        this.setWaiting();
        settle(ack);
      },
    };
    this.pending.set(q.id, entry);
    this.setWaiting();
    if (this.joined && this.socket.connected) this.emitCommand(entry);
  }

  private setWaiting(): void {
    let n = 0;
    for (const p of this.pending.values()) if (p.durable) n++;
    if (n !== this.snapshot.waiting) this.set({ waiting: n });
    offlineChanged();
  }

  /** The commands a reload (or a closed tab) left in the outbox go first, in the order they were made. */
  private async loadOutbox(): Promise<void> {
    const store = offlineDb();
    if (!store) return;
    try {
      const db = await store;
      const tx = db.transaction('outbox');
      const rows: { key: number; q: QueuedCommand }[] = [];
      for (let c = await tx.store.index('byMeeting').openCursor(IDBKeyRange.only(this.meetingId)); c; c = await c.continue()) {
        rows.push({ key: c.primaryKey, q: c.value });
      }
      rows.sort((a, b) => a.key - b.key);
      const conflicts = (await db.getAll('conflicts')).filter((c) => c.meetingId === this.meetingId);
      if (this.disposed) return;
      if (conflicts.length) this.set({ conflicts });
      for (const r of rows) if (!this.pending.has(r.q.id)) this.queueDurable(r.q, r.key, () => undefined);
    } catch {
      // no store: nothing was queued
    }
  }

  /** The user has seen a refused change: it leaves the list (and the device). */
  dismissConflict(id: string): void {
    const store = offlineDb();
    if (store) void store.then((db) => db.delete('conflicts', id)).catch(() => undefined);
    this.set({ conflicts: this.snapshot.conflicts.filter((c) => c.id !== id) });
  }

  private sendVolatile<T extends CommandType>(type: T, payload: CommandPayloads[T]): Promise<LiveAck> {
    return new Promise((resolve) => {
      const id = newId();
      const entry: Pending = {
        id,
        type,
        payload,
        resolve: (ack) => {
          if (entry.timer) clearTimeout(entry.timer);
          this.pending.delete(id);
          resolve(ack);
        },
        timer: setTimeout(
          () => entry.resolve({ ok: false, error: { code: 'TIMEOUT', message: 'No connection to the server' } }),
          COMMAND_TIMEOUT_MS,
        ),
      };
      this.pending.set(id, entry);
      if (this.joined && this.socket.connected) this.emitCommand(entry);
    });
  }

  private emitCommand(p: Pending): void {
    this.socket.emit('command', { id: p.id, meetingId: this.meetingId, type: p.type, payload: p.payload }, (ack: CommandAck) => {
      if (this.pending.get(p.id) === p) p.resolve(ack);
    });
  }

  private flushPending(): void {
    for (const p of this.pending.values()) this.emitCommand(p);
  }

  // ---- presence (volatile)
  updatePresence(p: PresenceInput): void {
    const prev = this.presenceWanted;
    this.presenceWanted = p;
    if (prev && prev.following === p.following && prev.documentId === p.documentId && prev.page === p.page) return;
    if (this.presenceTimer) return;
    const wait = Math.max(0, this.presenceSentAt + PRESENCE_THROTTLE_MS - Date.now());
    this.presenceTimer = setTimeout(() => {
      this.presenceTimer = null;
      this.sendPresenceNow();
    }, wait);
  }

  private sendPresenceNow(): void {
    const p = this.presenceWanted;
    if (!p || !this.joined || this.snapshot.readOnly) return;
    this.presenceSentAt = Date.now();
    this.socket.volatile.emit('presence.update', {
      meetingId: this.meetingId,
      following: p.following,
      documentId: p.documentId,
      page: p.page,
    });
  }

  // ---- check-in code for the QR (room screen, officers)
  checkInToken(): Promise<CheckInTokenAck> {
    return new Promise((resolve) => {
      if (!this.socket.connected) {
        resolve({ ok: false, error: { code: 'INTERNAL', message: 'offline' } });
        return;
      }
      this.socket
        .timeout(JOIN_TIMEOUT_MS)
        .emit('checkin.token', { meetingId: this.meetingId }, (err: Error | null, ack: CheckInTokenAck) => {
          resolve(err ? { ok: false, error: { code: 'INTERNAL', message: 'timeout' } } : ack);
        });
    });
  }

  // ---- connectivity: the browser knows about Wi-Fi before any ping times out
  private readonly onBrowserOffline = () => {
    this.set({ connection: 'offline' });
    this.socket.disconnect();
  };

  private readonly onBrowserOnline = () => {
    if (this.disposed || this.snapshot.fatal) return;
    this.set({ connection: 'reconnecting' });
    if (!this.socket.connected) this.socket.connect();
  };

  private readonly onVisible = () => {
    if (
      document.visibilityState === 'visible' &&
      navigator.onLine &&
      !this.socket.connected &&
      !this.snapshot.fatal &&
      !this.disposed
    ) {
      this.socket.connect();
    }
  };

  /** Try again after a fatal refusal (e.g. after logging in again). */
  retry(): void {
    this.set({ fatal: null, connection: 'connecting' });
    if (!this.socket.connected) this.socket.connect();
  }

  dispose(): void {
    this.disposed = true;
    window.removeEventListener('offline', this.onBrowserOffline);
    window.removeEventListener('online', this.onBrowserOnline);
    document.removeEventListener('visibilitychange', this.onVisible);
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    // a queued mark stays in the outbox for the next page; only its caller is let go
    for (const p of this.pending.values()) {
      if (p.durable) p.durable.settle({ ok: false, error: { code: 'TIMEOUT', message: 'closed' } });
      else p.resolve({ ok: false, error: { code: 'TIMEOUT', message: 'closed' } });
    }
    this.pending.clear();
    this.socket.disconnect();
    this.listeners.clear();
  }
}

// ---- one store (one socket) per tab
let current: { key: string; store: LiveStore; refs: number; closeTimer: ReturnType<typeof setTimeout> | null } | null = null;

/**
 * The tab's store for a meeting. Reference counted, and closed a moment after the last user lets
 * go, so React StrictMode's mount-unmount-mount does not open two sockets.
 */
export function acquireLiveStore(meetingId: string, roomToken?: string): { store: LiveStore; release: () => void } {
  const key = `${meetingId}|${roomToken ?? ''}`;
  if (current && current.key !== key) {
    if (current.closeTimer) clearTimeout(current.closeTimer);
    current.store.dispose();
    current = null;
  }
  if (!current) current = { key, store: new LiveStore(meetingId, roomToken ? { roomToken } : {}), refs: 0, closeTimer: null };
  const entry = current;
  if (entry.closeTimer) {
    clearTimeout(entry.closeTimer);
    entry.closeTimer = null;
  }
  entry.refs++;
  let released = false;
  return {
    store: entry.store,
    release: () => {
      if (released) return;
      released = true;
      entry.refs--;
      if (entry.refs > 0) return;
      entry.closeTimer = setTimeout(() => {
        if (current === entry && entry.refs === 0) {
          entry.store.dispose();
          current = null;
        }
      }, 1000);
    },
  };
}
