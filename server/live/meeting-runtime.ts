// Per-meeting state in memory, folded from the log with the shared reducer. After a restart a
// meeting is rebuilt lazily, the first time anyone touches it, from its rows in meeting_events.
// The state is a cache of the log: when other processes share the database (docs/scale-out.md),
// `catchUp` folds in what they appended since.
//
// On the asynchronous Store (server/db/store.ts): building and catching up read through a `Query`
// (inside a command's write transaction: the decision is made on the log as committed, across
// processes). The `*Sync` methods are the old synchronous reads on the SQLite writer connection,
// kept for the services that still call them (minutes, invitations, elections, members, week)
// until they are converted.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { meetingMembers } from '../db/schema';
import type { Query, Store, Tables } from '../db/store';
import { applyEvent, applyEvents, initialMeetingState, type MeetingState } from '../../shared/meeting-state';
import type { LiveEvent } from '../../shared/events';
import { VOTING_ROLES } from '../../shared/roles';
import { GENESIS_HASH, readAppended, readAppendedSync, type Appended } from './event-log';
import { perDb } from '../db/prepared';

interface Entry {
  state: MeetingState;
  headHash: string;
  /**
   * PRAGMA data_version of the SQLite WRITER connection when the entry last read the log there:
   * unchanged, no other process committed (data_version is per connection: only compared on it).
   * null: unknown (built elsewhere, or PostgreSQL): the next catch-up reads.
   */
  dataVersion: number | null;
}

// Changes only when another connection (another process) commits: the catch-up skips its read of
// the log on the command path unless someone else wrote (server/db/prepared.ts: prepared once).
const dataVersionOf = perDb((db) => {
  const stmt = db.$client.prepare('PRAGMA data_version').pluck();
  return () => stmt.get() as number;
});

export class MeetingRuntime {
  private readonly meetings = new Map<string, Entry>();

  /**
   * `writer`: the SQLite writer connection (null on PostgreSQL): its data_version lets the command
   * path skip the catch-up read, and the `*Sync` methods read on it.
   * `onCaughtUp`: told which events another process appended, for caches kept beside this one.
   */
  constructor(
    private readonly store: Store,
    private readonly writer: Db | null,
    private readonly onCaughtUp?: (meetingId: string, missed: Appended[]) => void,
  ) {}

  /** Is `q` the SQLite writer connection (the one whose data_version the entries hold)? */
  private onWriter(q: Query | Db): boolean {
    return this.writer !== null && (q as unknown) === this.writer;
  }

  private async build(q: Query, t: Tables, meetingId: string): Promise<Entry> {
    // one read: the head hash is the last event's, even if another process appends meanwhile
    const dataVersion = this.onWriter(q) ? dataVersionOf(this.writer!)() : null;
    const log = await readAppended(q, t, meetingId);
    const members = await votingMembers(q, t, meetingId);
    return {
      state: applyEvents(
        initialMeetingState(meetingId, members),
        log.map((a) => a.event),
      ),
      headHash: log.at(-1)?.hash ?? GENESIS_HASH,
      dataVersion,
    };
  }

  /** Keeps whichever of two builds of one meeting is further along (two reads raced). */
  private keep(meetingId: string, e: Entry): Entry {
    const held = this.meetings.get(meetingId);
    if (held && held.state.lastSeq >= e.state.lastSeq) return held;
    this.meetings.set(meetingId, e);
    return e;
  }

  /** Builds the meeting's entry if this process does not hold it yet (no read when it does). */
  async load(q: Query, t: Tables, meetingId: string): Promise<void> {
    if (!this.meetings.has(meetingId)) this.keep(meetingId, await this.build(q, t, meetingId));
  }

  /**
   * Folds in the events another process appended after the head held here (one indexed read,
   * normally empty) and returns them. Inside a write transaction it makes the head current for
   * the append; elsewhere it makes a join's head current. A meeting not built yet is built, and
   * nothing is returned (the build read the whole log).
   */
  async catchUp(q: Query, t: Tables, meetingId: string): Promise<Appended[]> {
    const e = this.meetings.get(meetingId);
    if (!e) {
      this.keep(meetingId, await this.build(q, t, meetingId));
      return [];
    }
    // read before the log: a commit landing in between makes the next call read again (never skip)
    let dataVersion: number | null = null;
    if (this.onWriter(q)) {
      dataVersion = dataVersionOf(this.writer!)();
      if (dataVersion === e.dataVersion) return [];
    }
    const missed = await readAppended(q, t, meetingId, e.state.lastSeq);
    return this.fold(meetingId, e, missed, dataVersion);
  }

  private fold(meetingId: string, e: Entry, missed: Appended[], dataVersion: number | null): Appended[] {
    // the entry may have moved while the read was awaited (a commit applied): skip what it holds
    const fresh = missed.filter((a) => a.event.seq > e.state.lastSeq);
    for (const a of fresh) {
      e.state = applyEvent(e.state, a.event);
      e.headHash = a.hash;
    }
    if (dataVersion !== null) e.dataVersion = dataVersion;
    if (fresh.length > 0) this.onCaughtUp?.(meetingId, fresh);
    return fresh;
  }

  /** catchUp on the legacy synchronous handle (SQLite only): for the `*Sync` readers. */
  private catchUpSync(meetingId: string): void {
    const db = this.requireWriter();
    const e = this.meetings.get(meetingId);
    if (!e) {
      this.entrySync(meetingId);
      return;
    }
    const dataVersion = dataVersionOf(db)();
    if (dataVersion === e.dataVersion) return;
    this.fold(meetingId, e, readAppendedSync(db, meetingId, e.state.lastSeq), dataVersion);
  }

  private requireWriter(): Db {
    if (!this.writer) throw new Error('MeetingRuntime: a synchronous read needs the SQLite connection');
    return this.writer;
  }

  private entrySync(meetingId: string): Entry {
    let e = this.meetings.get(meetingId);
    if (!e) {
      const db = this.requireWriter();
      const dataVersion = dataVersionOf(db)();
      const log = readAppendedSync(db, meetingId);
      const state = applyEvents(
        initialMeetingState(meetingId, votingMembersSync(db, meetingId)),
        log.map((a) => a.event),
      );
      e = { state, headHash: log.at(-1)?.hash ?? GENESIS_HASH, dataVersion };
      this.meetings.set(meetingId, e);
    }
    return e;
  }

  /** Another process appended `seq`: catch up now if this process holds the meeting and is behind. */
  async behind(meetingId: string, seq: number): Promise<void> {
    const e = this.meetings.get(meetingId);
    if (e && e.state.lastSeq < seq) await this.store.read((q, t) => this.catchUp(q, t, meetingId));
  }

  /** The state as the log stands now (reads that must not answer from a stale cache: HTTP, minutes). */
  async current(meetingId: string): Promise<MeetingState> {
    return this.store.read(async (q, t) => {
      await this.catchUp(q, t, meetingId);
      return this.state(meetingId);
    });
  }

  /**
   * The state held in memory. After `load`, `catchUp` or `current` of the meeting; a meeting not
   * held yet is built synchronously on SQLite (the services not converted yet), and on PostgreSQL
   * starts empty (the next catch-up builds it).
   */
  state(meetingId: string): MeetingState {
    const e = this.meetings.get(meetingId);
    if (e) return e.state;
    if (this.writer) return this.entrySync(meetingId).state;
    return initialMeetingState(meetingId, []);
  }

  /** Is the meeting held in memory (its state can be read without a database read)? */
  holds(meetingId: string): boolean {
    return this.meetings.has(meetingId);
  }

  headHash(meetingId: string): string {
    const e = this.meetings.get(meetingId) ?? (this.writer ? this.entrySync(meetingId) : undefined);
    return e?.headHash ?? GENESIS_HASH;
  }

  /** The head of the log as of the last event applied (what the next append chains onto). Held after catchUp. */
  head(meetingId: string): { seq: number; hash: string } {
    const e = this.meetings.get(meetingId);
    if (!e) throw new Error(`meeting ${meetingId} is not loaded`);
    return { seq: e.state.lastSeq, hash: e.headHash };
  }

  /** Called right after the event is durable, before it is broadcast. */
  apply(event: LiveEvent, hash: string): MeetingState | null {
    const e = this.meetings.get(event.meetingId);
    // not held: built from the log (which holds this event) when next used
    if (!e) return null;
    // a gap: another process appended in between; applying this one alone would skip those for
    // good (the reducer moves lastSeq past them). Dropped: the next use rebuilds from the log,
    // which holds them and this one, in order.
    if (event.seq > e.state.lastSeq + 1) {
      this.meetings.delete(event.meetingId);
      this.onCaughtUp?.(event.meetingId, []);
      return null;
    }
    // the entry may have been built from the log that already holds this event: applyEvent skips it
    e.state = applyEvent(e.state, event);
    e.headHash = hash;
    return e.state;
  }

  /** Membership changes outside the log; refresh the quorum input whenever a snapshot is handed out. */
  async refreshMembers(q: Query, t: Tables, meetingId: string): Promise<MeetingState> {
    await this.load(q, t, meetingId);
    const members = await votingMembers(q, t, meetingId);
    const e = this.meetings.get(meetingId);
    if (!e) return { ...initialMeetingState(meetingId, members) };
    e.state = { ...e.state, votingMemberIds: members };
    return e.state;
  }

  /** The next catch-up reads the log whatever data_version says (an append failed: maybe a stale head). */
  suspect(meetingId: string): void {
    const e = this.meetings.get(meetingId);
    if (e) e.dataVersion = null;
  }

  /** Drops the cached state (tests, or a meeting deleted). */
  forget(meetingId: string): void {
    this.meetings.delete(meetingId);
  }
}

async function votingMembers(q: Query, t: Tables, meetingId: string): Promise<string[]> {
  const rows = await q
    .select({ userId: t.meetingMembers.userId })
    .from(t.meetingMembers)
    .where(and(eq(t.meetingMembers.meetingId, meetingId), inArray(t.meetingMembers.role, [...VOTING_ROLES])))
    .orderBy(t.meetingMembers.userId);
  return rows.map((r) => r.userId);
}

function votingMembersSync(db: Db, meetingId: string): string[] {
  return db
    .select({ userId: meetingMembers.userId })
    .from(meetingMembers)
    .where(and(eq(meetingMembers.meetingId, meetingId), inArray(meetingMembers.role, [...VOTING_ROLES])))
    .orderBy(meetingMembers.userId)
    .all()
    .map((r) => r.userId);
}
