// The live meeting's state and the one pure reducer that builds it from the event log. The server
// folds the log through it (and rebuilds after a restart); the client applies events after a
// snapshot with the very same function, so both sides always agree.
import type { AttendanceStatus, EventType, KnownEvent, LiveEvent, PageView } from './events';
import type { MeetingStatus } from './roles';
import { computeQuorum, type QuorumInfo } from './quorum';
import { applyFloorEvent, FLOOR_EVENT_TYPES, initialFloorState, type FloorState } from './floor';
import { applyVotingEvent, initialVotesState, VOTE_EVENT_TYPES, type VotesState } from './votes';
import { applyMinutesEvent, initialMinutesState, MINUTES_EVENT_TYPES, type MinutesDraftState } from './minutes-draft';
import {
  applyInvitationEvent,
  initialInvitationState,
  INVITATION_EVENT_TYPES,
  type InvitationEvent,
  type InvitationState,
} from './invitations';

/** Where the chair (or the presenter) is: what followers show. */
export interface FollowState {
  documentId: string | null;
  page: number;
  view: PageView | null;
}

export interface AttendanceEntry {
  status: AttendanceStatus;
  reason: string | null;
  at: string;
  /** who recorded it: the member themselves for a check-in, else the officer */
  by: string;
  via: 'mark' | 'app' | 'qr';
}

export interface MeetingState {
  meetingId: string;
  status: MeetingStatus;
  startedAt: string | null;
  endedAt: string | null;
  currentItemId: string | null;
  follow: FollowState;
  presenterId: string | null;
  attendance: Record<string, AttendanceEntry>;
  /**
   * Quorum input. Membership is managed outside the log (admin API), so the server fills this in
   * from the members table whenever it hands out a snapshot; the reducer never changes it.
   */
  votingMemberIds: string[];
  /** who speaks, who waits (shared/floor.ts) */
  floor: FloorState;
  /** votes of this meeting (shared/votes.ts); secret votes never hold choices before their close */
  votes: VotesState;
  /** standing proxies: member → holder; a viewer's snapshot holds only those it may see */
  proxies: Record<string, string>;
  /** the minutes as the secretary writes them, and their finalise/sign status (shared/minutes-draft.ts) */
  minutes: MinutesDraftState;
  /** the giấy mời issued so far and the replies to it (shared/invitations.ts) */
  invitation: InvitationState;
  /** seq of the last event folded in; 0 for an empty log */
  lastSeq: number;
}

export function initialMeetingState(meetingId: string, votingMemberIds: string[] = []): MeetingState {
  return {
    meetingId,
    status: 'scheduled',
    startedAt: null,
    endedAt: null,
    currentItemId: null,
    follow: { documentId: null, page: 1, view: null },
    presenterId: null,
    attendance: {},
    votingMemberIds,
    floor: initialFloorState(),
    votes: initialVotesState(),
    proxies: {},
    minutes: initialMinutesState(),
    invitation: initialInvitationState(),
    lastSeq: 0,
  };
}

const KNOWN: ReadonlySet<string> = new Set<EventType>([
  'meeting.start',
  'meeting.pause',
  'meeting.resume',
  'meeting.end',
  'agenda.open',
  'document.show',
  'page.set',
  'presenter.set',
  'attendance.mark',
  'attendance.checkIn',
]);

/**
 * Folds one event into the state and returns the new state (the input is not changed).
 * An event at or before `lastSeq` is ignored, so applying a duplicate (a broadcast that raced a
 * catch-up) is harmless. Unknown types only advance `lastSeq`: an older client survives newer events.
 */
export function applyEvent(state: MeetingState, event: LiveEvent): MeetingState {
  if (event.seq <= state.lastSeq) return state;
  const next: MeetingState = { ...state, lastSeq: event.seq };
  if (FLOOR_EVENT_TYPES.has(event.type))
    return { ...next, floor: applyFloorEvent(state.floor, event as Parameters<typeof applyFloorEvent>[1]) };
  if (VOTE_EVENT_TYPES.has(event.type)) {
    return {
      ...next,
      ...applyVotingEvent({ votes: state.votes, proxies: state.proxies }, event as Parameters<typeof applyVotingEvent>[1]),
    };
  }
  if (MINUTES_EVENT_TYPES.has(event.type)) {
    return {
      ...next,
      minutes: applyMinutesEvent(state.minutes ?? initialMinutesState(), event as Parameters<typeof applyMinutesEvent>[1]),
    };
  }
  if (INVITATION_EVENT_TYPES.has(event.type)) {
    return {
      ...next,
      invitation: applyInvitationEvent(state.invitation ?? initialInvitationState(), event as unknown as InvitationEvent),
    };
  }
  if (!KNOWN.has(event.type)) return next;
  const e = event as KnownEvent;
  switch (e.type) {
    case 'meeting.start':
      return { ...next, status: 'running', startedAt: state.startedAt ?? e.at };
    case 'meeting.pause':
      return { ...next, status: 'paused' };
    case 'meeting.resume':
      return { ...next, status: 'running' };
    case 'meeting.end':
      return { ...next, status: 'ended', endedAt: e.at };
    case 'agenda.open':
      return { ...next, currentItemId: e.payload.itemId };
    case 'document.show':
      return { ...next, follow: { documentId: e.payload.documentId, page: 1, view: null } };
    case 'page.set':
      return {
        ...next,
        follow: {
          documentId: e.payload.documentId,
          page: e.payload.page,
          // a page turn on the same document keeps the chair's view unless it sends a new one
          view: e.payload.view ?? (state.follow.documentId === e.payload.documentId ? state.follow.view : null),
        },
      };
    case 'presenter.set':
      return { ...next, presenterId: e.payload.userId };
    case 'attendance.mark':
      return {
        ...next,
        attendance: {
          ...state.attendance,
          [e.payload.userId]: { status: e.payload.status, reason: e.payload.reason ?? null, at: e.at, by: e.actor, via: 'mark' },
        },
      };
    case 'attendance.checkIn':
      return {
        ...next,
        attendance: {
          ...state.attendance,
          [e.payload.userId]: { status: 'present', reason: null, at: e.at, by: e.actor, via: e.payload.via },
        },
      };
    // marks live in their own state (shared/annotations.ts), not in the small MeetingState
    case 'stroke.add':
    case 'stroke.erase':
    case 'stroke.undo':
    case 'stroke.redo':
      return next;
    // floor, votes, ballots and proxies: folded above
    case 'floor.request':
    case 'floor.withdraw':
    case 'floor.grant':
    case 'floor.end':
    case 'floor.reorder':
    case 'vote.create':
    case 'vote.open':
    case 'vote.close':
    case 'vote.discard':
    case 'ballot.cast':
    case 'ballot.record':
    case 'vote.paperTally':
    case 'proxy.grant':
    case 'proxy.revoke':
    case 'minutes.update':
    case 'minutes.finalize':
    case 'minutes.sign':
    case 'minutes.revise':
    case 'invitation.issue':
    case 'invitation.reply':
    case 'invitation.approveSubstitute':
    case 'invitation.refuseSubstitute':
      return next;
  }
}

/** Folds a list of events (already in seq order). */
export const applyEvents = (state: MeetingState, events: readonly LiveEvent[]): MeetingState => events.reduce(applyEvent, state);

export const quorumOf = (state: MeetingState): QuorumInfo => computeQuorum(state.votingMemberIds, state.attendance);
