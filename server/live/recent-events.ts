// Each meeting's most recent committed events, kept in memory already serialised, so that a client
// reconnecting after a short absence is caught up without reading the log again and without
// parsing and re-serialising every payload (the catch-up was mostly that: bench/reconnect.ts).
//
// Correctness rests on two rules, checked here rather than trusted to the callers:
// - only committed events enter (LiveService adds them after their commit, MeetingRuntime's
//   catch-up folds add what other processes committed, a catch-up's own read of the log adds what
//   it read), and an event's text never changes once committed (the log is append-only);
// - a meeting's entry is ONE contiguous run of seqs. An event that does not follow the run (this
//   process did not see the ones between: another process appended them, or memory was rebuilt)
//   starts a new run. A catch-up is answered from memory only when the run holds every seq it
//   needs up to the head the join just read from the log; anything else reads the log, as before.
// Bounded: at most `maxEvents` per meeting (a catch-up further behind gets a snapshot anyway) and
// `maxBytes` over all meetings (the meetings used least recently go first).
import type { LiveEvent } from '../../shared/events';
import { audienceOf, type Audience } from './visibility';

export interface RecentEvent {
  seq: number;
  /** the event as JSON, exactly the value `JSON.stringify(event)` denotes */
  json: string;
  audience: Audience;
}

interface Run {
  /**
   * The run is events[start..]: contiguous, events[start + i].seq === events[start].seq + i. The
   * oldest are dropped by moving `start` (a splice per committed event shifted the whole array
   * once a meeting held its maximum), and the dropped slots are cut off now and then (compact).
   */
  events: RecentEvent[];
  start: number;
  bytes: number;
}

/** Cut the dropped slots off once they are this many and at least half the array. */
const COMPACT_AT = 256;

function compact(run: Run): void {
  if (run.start < COMPACT_AT || run.start * 2 < run.events.length) return;
  run.events = run.events.slice(run.start);
  run.start = 0;
}

const firstSeq = (run: Run) => run.events[run.start]!.seq;
const lastSeq = (run: Run) => run.events[run.events.length - 1]!.seq;

/**
 * The event as JSON text. `payloadText` is the payload as the log stores it (canonical JSON,
 * server/live/canonical-json.ts), spliced in instead of serialising the payload again; an
 * unreadable stored payload (the event then has none) is left out, as JSON.stringify would.
 */
export function eventJson(e: LiveEvent, payloadText?: string): string {
  if (payloadText === undefined || e.payload === undefined) return JSON.stringify(e);
  return (
    `{"meetingId":${JSON.stringify(e.meetingId)},"seq":${e.seq},"type":${JSON.stringify(e.type)},` +
    `"actor":${JSON.stringify(e.actor)},"at":${JSON.stringify(e.at)},"payload":${payloadText}}`
  );
}

export const recentEvent = (e: LiveEvent, payloadText?: string): RecentEvent => ({
  seq: e.seq,
  json: eventJson(e, payloadText),
  audience: audienceOf(e),
});

// a string's UTF-16 code units, plus the entry's own overhead: close enough for a memory bound
const sizeOf = (r: RecentEvent) => r.json.length * 2 + 64;

export class RecentEvents {
  /** insertion order = least recently used first */
  private readonly runs = new Map<string, Run>();
  private bytes = 0;

  constructor(private readonly limits: { maxEvents: number; maxBytes: number }) {}

  private get enabled(): boolean {
    return this.limits.maxEvents > 0 && this.limits.maxBytes > 0;
  }

  /** A committed event, in seq order with the others this process learns of. */
  add(meetingId: string, event: RecentEvent): void {
    const run = this.enabled ? this.runs.get(meetingId) : undefined;
    if (run && event.seq === lastSeq(run) + 1) {
      // the common case, once per committed event: the next seq of the run
      this.runs.delete(meetingId); // re-inserted: most recently used
      this.runs.set(meetingId, run);
      run.events.push(event);
      const b = sizeOf(event);
      run.bytes += b;
      this.bytes += b;
      this.trim(meetingId, run);
      return;
    }
    this.addRun(meetingId, [event]);
  }

  /**
   * Committed events with consecutive seqs (a read of the log, or a fold of it). Merged into the
   * meeting's run when they touch it; a newer run that does not touch it replaces it; an older one
   * that does not touch it, or one that is not contiguous, is ignored.
   */
  addRun(meetingId: string, events: readonly RecentEvent[]): void {
    if (!this.enabled || events.length === 0) return;
    for (let i = 1; i < events.length; i++) if (events[i]!.seq !== events[0]!.seq + i) return;
    const first = events[0]!.seq;
    const last = events.at(-1)!.seq;
    let run = this.runs.get(meetingId);
    if (run) {
      this.runs.delete(meetingId); // re-inserted below: most recently used
      const heldFirst = firstSeq(run);
      const heldLast = lastSeq(run);
      if (first > heldLast + 1) {
        this.bytes -= run.bytes; // a gap: what is held can no longer be extended
        run = undefined;
      } else if (last < heldFirst - 1) {
        this.runs.set(meetingId, run); // older and apart: nothing to gain
        return;
      } else {
        const before = events.filter((e) => e.seq < heldFirst);
        const after = events.filter((e) => e.seq > heldLast);
        if (before.length > 0) {
          run.events = [...before, ...run.events.slice(run.start)];
          run.start = 0;
        }
        if (after.length > 0) run.events.push(...after);
        const added = [...before, ...after].reduce((n, e) => n + sizeOf(e), 0);
        run.bytes += added;
        this.bytes += added;
      }
    }
    if (!run) {
      run = { events: [...events], start: 0, bytes: events.reduce((n, e) => n + sizeOf(e), 0) };
      this.bytes += run.bytes;
    }
    this.runs.set(meetingId, run);
    this.trim(meetingId, run);
  }

  /** Oldest events of this meeting beyond its count, then whole meetings used least recently beyond the bytes. */
  private trim(meetingId: string, run: Run): void {
    const drop = (n: number) => {
      let b = 0;
      for (let i = run.start; i < run.start + n; i++) b += sizeOf(run.events[i]!);
      run.events.fill(undefined as unknown as RecentEvent, run.start, run.start + n); // let them be collected
      run.start += n;
      run.bytes -= b;
      this.bytes -= b;
      compact(run);
    };
    const held = run.events.length - run.start;
    if (held > this.limits.maxEvents) drop(held - this.limits.maxEvents);
    for (const [id, other] of this.runs) {
      if (this.bytes <= this.limits.maxBytes || id === meetingId) break;
      this.runs.delete(id);
      this.bytes -= other.bytes;
    }
    // this meeting alone is over the budget: its oldest events go (all of them: the entry goes)
    let k = 0;
    let over = this.bytes - this.limits.maxBytes;
    const count = run.events.length - run.start;
    while (over > 0 && k < count) over -= sizeOf(run.events[run.start + k++]!);
    if (k === count) this.forget(meetingId);
    else if (k > 0) drop(k);
  }

  /**
   * The events with seq in (sinceSeq, head] if every one of them is held, else null (read the log).
   * `head` is the log's head as the join just read it: a run ending before it would be a stale tail.
   */
  range(meetingId: string, sinceSeq: number, head: number): RecentEvent[] | null {
    if (head <= sinceSeq) return [];
    const run = this.runs.get(meetingId);
    if (!run) return null;
    const first = firstSeq(run);
    const last = lastSeq(run);
    if (sinceSeq + 1 < first || head > last) return null;
    return run.events.slice(run.start + sinceSeq + 1 - first, run.start + head + 1 - first);
  }

  /** Drops a meeting's events (a meeting deleted, tests). */
  forget(meetingId: string): void {
    const run = this.runs.get(meetingId);
    if (!run) return;
    this.bytes -= run.bytes;
    this.runs.delete(meetingId);
  }

  /** Bytes held over all meetings (approximate: for the bound and its test). */
  get heldBytes(): number {
    return this.bytes;
  }
}
