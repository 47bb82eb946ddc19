// Per-meeting state in memory, folded from the log with the shared reducer. After a restart a
// meeting is rebuilt lazily, the first time anyone touches it, from its rows in meeting_events.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { meetingMembers } from '../db/schema';
import { applyEvent, applyEvents, initialMeetingState, type MeetingState } from '../../shared/meeting-state';
import type { LiveEvent } from '../../shared/events';
import { VOTING_ROLES } from '../../shared/roles';
import { headOf, readEvents } from './event-log';

interface Entry {
  state: MeetingState;
  headHash: string;
}

export class MeetingRuntime {
  private readonly meetings = new Map<string, Entry>();

  constructor(private readonly db: Db) {}

  private entry(meetingId: string): Entry {
    let e = this.meetings.get(meetingId);
    if (!e) {
      const state = applyEvents(initialMeetingState(meetingId, this.votingMembers(meetingId)), readEvents(this.db, meetingId));
      e = { state, headHash: headOf(this.db, meetingId).hash };
      this.meetings.set(meetingId, e);
    }
    return e;
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
    return this.db.select({ userId: meetingMembers.userId }).from(meetingMembers)
      .where(and(eq(meetingMembers.meetingId, meetingId), inArray(meetingMembers.role, [...VOTING_ROLES])))
      .orderBy(meetingMembers.userId).all().map((r) => r.userId);
  }
}
