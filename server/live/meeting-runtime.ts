// Per-meeting state in memory, folded from the log with the shared reducer. After a restart a
// meeting is rebuilt lazily, the first time anyone touches it, from its rows in meeting_events.
// The state is a cache of the log: when other processes share the database (docs/scale-out.md),
// `catchUp` folds in what they appended since.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { meetingMembers } from '../db/schema';
import { applyEvent, applyEvents, initialMeetingState, type MeetingState } from '../../shared/meeting-state';
import type { LiveEvent } from '../../shared/events';
import { VOTING_ROLES } from '../../shared/roles';
import { GENESIS_HASH, readAppended, type Appended } from './event-log';
import { perDb } from '../db/prepared';

interface Entry {
  state: MeetingState;
  headHash: string;
  /** PRAGMA data_version when the entry last read the log: unchanged, no other process committed */
  dataVersion: number;
}

// Changes only when another connection (another process) commits: the catch-up skips its read of
// the log on the command path unless someone else wrote (server/db/prepared.ts: prepared once).
const dataVersionOf = perDb((db) => {
  const stmt = db.$client.prepare('PRAGMA data_version').pluck();
  return () => stmt.get() as number;
});

export class MeetingRuntime {
  private readonly meetings = new Map<string, Entry>();

  /** `onCaughtUp`: told which events another process appended, for caches kept beside this one */
  constructor(
    private readonly db: Db,
    private readonly onCaughtUp?: (meetingId: string, missed: Appended[]) => void,
  ) {}

  private entry(meetingId: string): Entry {
    let e = this.meetings.get(meetingId);
    if (!e) {
      // one read: the head hash is the last event's, even if another process appends meanwhile
      const dataVersion = dataVersionOf(this.db)();
      const log = readAppended(this.db, meetingId);
      const state = applyEvents(
        initialMeetingState(meetingId, this.votingMembers(meetingId)),
        log.map((a) => a.event),
      );
      e = { state, headHash: log.at(-1)?.hash ?? GENESIS_HASH, dataVersion };
      this.meetings.set(meetingId, e);
    }
    return e;
  }

  /**
   * Folds in the events another process appended after the head held here (one indexed read,
   * normally empty) and returns them. Inside a write transaction it makes the head current for
   * the append; elsewhere it makes a join's head current. A meeting not built yet is built, and
   * nothing is returned (the build read the whole log).
   */
  catchUp(meetingId: string): Appended[] {
    const e = this.meetings.get(meetingId);
    if (!e) {
      this.entry(meetingId);
      return [];
    }
    // read before the log: a commit landing in between makes the next call read again (never skip)
    const dataVersion = dataVersionOf(this.db)();
    if (dataVersion === e.dataVersion) return [];
    e.dataVersion = dataVersion;
    const missed = readAppended(this.db, meetingId, e.state.lastSeq);
    for (const a of missed) {
      e.state = applyEvent(e.state, a.event);
      e.headHash = a.hash;
    }
    if (missed.length > 0) this.onCaughtUp?.(meetingId, missed);
    return missed;
  }

  /** Another process appended `seq`: catch up now if this process holds the meeting and is behind. */
  behind(meetingId: string, seq: number): void {
    const e = this.meetings.get(meetingId);
    if (e && e.state.lastSeq < seq) this.catchUp(meetingId);
  }

  /** The state as the log stands now (reads that must not answer from a stale cache: HTTP, minutes). */
  current(meetingId: string): MeetingState {
    this.catchUp(meetingId);
    return this.state(meetingId);
  }

  state(meetingId: string): MeetingState {
    return this.entry(meetingId).state;
  }

  headHash(meetingId: string): string {
    return this.entry(meetingId).headHash;
  }

  /** The head of the log as of the last event applied (what the next append chains onto). */
  head(meetingId: string): { seq: number; hash: string } {
    const e = this.entry(meetingId);
    return { seq: e.state.lastSeq, hash: e.headHash };
  }

  /** Called right after the event is durable, before it is broadcast. */
  apply(event: LiveEvent, hash: string): MeetingState {
    const e = this.entry(event.meetingId);
    // a gap: another process appended in between; applying this one alone would skip those for
    // good (the reducer moves lastSeq past them). The log holds them and this one, in order.
    if (event.seq > e.state.lastSeq + 1) {
      this.catchUp(event.meetingId);
      return e.state;
    }
    // the entry may have been built from the log that already holds this event: applyEvent skips it
    e.state = applyEvent(e.state, event);
    e.headHash = hash;
    return e.state;
  }

  /** Membership changes outside the log; refresh the quorum input whenever a snapshot is handed out. */
  refreshMembers(meetingId: string): MeetingState {
    const e = this.entry(meetingId);
    e.state = { ...e.state, votingMemberIds: this.votingMembers(meetingId) };
    return e.state;
  }

  /** Drops the cached state (tests, or a meeting deleted). */
  forget(meetingId: string): void {
    this.meetings.delete(meetingId);
  }

  private votingMembers(meetingId: string): string[] {
    return this.db
      .select({ userId: meetingMembers.userId })
      .from(meetingMembers)
      .where(and(eq(meetingMembers.meetingId, meetingId), inArray(meetingMembers.role, [...VOTING_ROLES])))
      .orderBy(meetingMembers.userId)
      .all()
      .map((r) => r.userId);
  }
}
