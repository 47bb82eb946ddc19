// The marks of one open document on the client: loaded over HTTP (GET …/annotations, the set the
// server lets this user see, with the log's seq), then kept current with the stroke.* events and
// live ink previews from the meeting's socket (client/src/live). Stroke events come from the meeting
// store after its ordering and gap handling (each once, in seq order, including the ones a rejoin
// caught up on), and after every (re)join the marks reload, so a gap, a reconnect or a snapshot
// rejoin always ends with exactly the server's set. Plain TypeScript; React reads it with
// useSyncExternalStore.
import type { LiveEvent } from '../../../shared/events';
import {
  applyAnnotationEvent,
  emptyAnnotationState,
  isStrokeEvent,
  type AnnotationState,
  type DocumentAnnotations,
  type InkPoint,
  type InkProgressMessage,
  type Stroke,
  type StoredStroke,
} from '../../../shared/annotations';
import type { LiveStore } from '../live/live-store';
import { keepAnnotations, keptAnnotations } from '../offline/offline-cache';

export interface LivePreview extends Omit<Stroke, 'text'> {
  userId: string;
  updatedAt: number;
}

export interface AnnotationSnapshot {
  loaded: boolean;
  /** bumps whenever the visible marks change */
  version: number;
  strokes: ReadonlyMap<string, StoredStroke>;
  previews: ReadonlyMap<string, LivePreview>;
  canUndo: boolean;
  canRedo: boolean;
}

/** previews with no batch for this long are dropped (the author's pen lifted without a commit) */
const PREVIEW_TTL_MS = 5000;

export class AnnotationStore {
  private state: AnnotationState = emptyAnnotationState();
  private baseSeq = 0;
  private loadedOnce = false;
  private buffered: LiveEvent[] = [];
  private loading = false;
  /** a join happened while a reload was in flight: its answer may predate what the join skipped */
  private reloadAgain = false;
  private disposed = false;
  private previews = new Map<string, LivePreview>();
  private serverCanUndo = false;
  private serverCanRedo = false;
  private snapshot: AnnotationSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly offs: (() => void)[] = [];
  private sweep: ReturnType<typeof setInterval>;
  /** ids of strokes this tab committed and is waiting to see confirmed */
  readonly pendingOwn = new Map<string, StoredStroke>();

  /** `url`: where the marks load from; the room screen passes its /api/room/… variant (room cookie) */
  constructor(
    private readonly live: LiveStore,
    readonly documentId: string,
    readonly userId: string,
    private readonly url = `/api/documents/${encodeURIComponent(documentId)}/annotations`,
  ) {
    this.snapshot = this.build();
    this.offs.push(live.onFolded((e) => this.onEvent(e)));
    this.offs.push(live.onInk((p) => this.onInk(p)));
    // reload after every (re)join, also one made while staying online (a gap): the server's set is the truth
    this.offs.push(live.onJoined(() => void this.reload()));
    // the strokes waiting in the outbox (made offline, maybe before a reload) are drawn as pending
    let waiting = live.getSnapshot().waiting;
    this.offs.push(
      live.subscribe(() => {
        const now = live.getSnapshot().waiting;
        if (now !== waiting) {
          waiting = now;
          this.emit();
        }
      }),
    );
    if (live.getSnapshot().connection === 'online') void this.reload();
    else void this.loadKept();
    this.sweep = setInterval(() => this.dropStalePreviews(), 1000);
  }

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  };
  getSnapshot = () => this.snapshot;

  private emit(): void {
    this.snapshot = this.build();
    for (const l of this.listeners) l();
  }

  private build(): AnnotationSnapshot {
    const strokes = new Map(this.state.strokes);
    for (const [id, st] of this.pendingOwn) if (!strokes.has(id)) strokes.set(id, st);
    for (const q of this.live.queued()) {
      const p = q.payload as Partial<StoredStroke>;
      if (q.type !== 'stroke.add' || p.documentId !== this.documentId || !p.strokeId || strokes.has(p.strokeId)) continue;
      strokes.set(p.strokeId, {
        ...(p as StoredStroke),
        authorId: this.userId,
        seq: Number.MAX_SAFE_INTEGER,
        at: new Date().toISOString(),
      });
    }
    const h = this.state.history.get(`${this.userId}|${this.documentId}`);
    return {
      loaded: this.loadedOnce,
      version: (this.snapshot?.version ?? 0) + 1,
      strokes,
      previews: new Map(this.previews),
      canUndo: (h ? h.done.length > 0 : false) || this.serverCanUndo,
      canRedo: (h ? h.undone.length > 0 : false) || this.serverCanRedo,
    };
  }

  async reload(): Promise<void> {
    if (this.loading) {
      this.reloadAgain = true;
      return;
    }
    this.loading = true;
    this.reloadAgain = false;
    this.buffered = [];
    try {
      const r = await fetch(this.url, { credentials: 'same-origin' });
      if (!r.ok) return;
      const data = (await r.json()) as DocumentAnnotations;
      void keepAnnotations(this.documentId, data);
      this.apply(data);
    } catch {
      // offline: show the marks kept on the device; the next join reloads
      await this.loadKept();
    } finally {
      this.loading = false;
      this.buffered = [];
      this.emit();
      if (this.reloadAgain && !this.disposed) void this.reload();
    }
  }

  /** The marks as last loaded on this device (offline), if the server's set has not come yet. */
  private async loadKept(): Promise<void> {
    if (this.loadedOnce) return;
    const kept = await keptAnnotations(this.documentId);
    if (!kept || this.loadedOnce || this.disposed) return;
    this.apply(kept);
    this.emit();
  }

  private apply(data: DocumentAnnotations): void {
    const s = emptyAnnotationState();
    for (const st of data.strokes) s.strokes.set(st.strokeId, st as StoredStroke);
    s.lastSeq = data.seq;
    this.state = s;
    this.baseSeq = data.seq;
    this.serverCanUndo = data.canUndo;
    this.serverCanRedo = data.canRedo;
    this.loadedOnce = true;
    const later = this.buffered.filter((e) => e.seq > this.baseSeq).sort((a, b) => a.seq - b.seq);
    for (const e of later) this.fold(e);
  }

  private fold(e: LiveEvent): void {
    applyAnnotationEvent(this.state, e);
    const p = e.payload as { strokeId?: string; documentId?: string };
    if (p.strokeId) {
      this.previews.delete(p.strokeId);
      this.pendingOwn.delete(p.strokeId);
    }
    // once this tab has its own history for the document, it no longer needs the server's hint
    if (e.actor === this.userId) {
      this.serverCanUndo = false;
      this.serverCanRedo = false;
    }
  }

  private onEvent(e: LiveEvent): void {
    if (!isStrokeEvent(e.type)) return;
    if ((e.payload as { documentId?: string }).documentId !== this.documentId) return;
    if (this.loading) {
      this.buffered.push(e);
      return;
    }
    if (!this.loadedOnce) return;
    this.fold(e);
    this.emit();
  }

  private onInk(p: InkProgressMessage): void {
    if (p.documentId !== this.documentId || p.meetingId !== this.live.meetingId) return;
    if (this.state.strokes.has(p.strokeId)) return; // already committed
    const prev = this.previews.get(p.strokeId);
    const points: InkPoint[] = prev ? prev.points.slice(0, p.from) : [];
    // a dropped batch leaves a hole: join across it rather than stall
    for (const pt of p.points) points.push(pt as InkPoint);
    if (p.end && p.points.length === 0 && !prev) return;
    this.previews.set(p.strokeId, {
      strokeId: p.strokeId,
      documentId: p.documentId,
      page: p.page,
      layer: p.layer,
      tool: p.tool,
      color: p.color,
      width: p.width,
      points,
      userId: p.userId,
      updatedAt: Date.now(),
    });
    this.emit();
  }

  private dropStalePreviews(): void {
    const now = Date.now();
    let changed = false;
    for (const [id, pv] of this.previews)
      if (now - pv.updatedAt > PREVIEW_TTL_MS) {
        this.previews.delete(id);
        changed = true;
      }
    if (changed) this.emit();
  }

  /** Shows the stroke at once while its command is in flight. */
  addPending(st: StoredStroke): void {
    this.pendingOwn.set(st.strokeId, st);
    this.emit();
  }

  dropPending(strokeId: string): void {
    if (this.pendingOwn.delete(strokeId)) this.emit();
  }

  dispose(): void {
    this.disposed = true;
    for (const off of this.offs) off();
    clearInterval(this.sweep);
    this.listeners.clear();
  }
}
