// Who may receive an event. Every broadcast and every catch-up goes through here, so later private
// annotations and secret ballots can never reach another socket by accident.
import type { LiveEvent } from '../../shared/events';
import type { MeetingRole } from '../../shared/roles';
import { OFFICER_ROLES } from '../../shared/roles';

export type Audience =
  | { to: 'meeting' } // every member socket and the room screen
  | { to: 'members' } // every member socket, not the room screen
  | { to: 'officers' } // chair, secretary, admins
  | { to: 'users'; userIds: string[] }; // e.g. a private annotation: its author only

export interface Viewer {
  userId: string | null;
  role: MeetingRole | null;
  isAdmin: boolean;
  roomScreen: boolean;
}

type AudienceRule = (e: LiveEvent) => Audience;

/**
 * Per event type; anything not listed is for the whole meeting. Later: `stroke.add` on a private
 * layer → { to: 'users', userIds: [actor] }; secret ballots → officers get counts only, etc.
 */
const RULES: Partial<Record<string, AudienceRule>> = {};

export const audienceOf = (e: LiveEvent): Audience => RULES[e.type]?.(e) ?? { to: 'meeting' };

export function isVisibleTo(a: Audience, v: Viewer): boolean {
  switch (a.to) {
    case 'meeting': return true;
    case 'members': return !v.roomScreen;
    case 'officers': return !v.roomScreen && (v.isAdmin || (v.role !== null && OFFICER_ROLES.includes(v.role)));
    case 'users': return v.userId !== null && a.userIds.includes(v.userId);
  }
}

/** Socket.IO room names; the realtime layer joins sockets to these and broadcasts by Audience. */
export const rooms = {
  meeting: (meetingId: string) => `m:${meetingId}`,
  members: (meetingId: string) => `m:${meetingId}:members`,
  officers: (meetingId: string) => `m:${meetingId}:officers`,
  user: (meetingId: string, userId: string) => `m:${meetingId}:u:${userId}`,
};

export function roomsFor(meetingId: string, v: Viewer): string[] {
  const list = [rooms.meeting(meetingId)];
  if (!v.roomScreen) list.push(rooms.members(meetingId));
  if (isVisibleTo({ to: 'officers' }, v)) list.push(rooms.officers(meetingId));
  if (v.userId !== null) list.push(rooms.user(meetingId, v.userId));
  return list;
}

/** The rooms that together make up an audience (a socket in several gets the event once). */
export function roomsOf(meetingId: string, a: Audience): string[] {
  switch (a.to) {
    case 'meeting': return [rooms.meeting(meetingId)];
    case 'members': return [rooms.members(meetingId)];
    case 'officers': return [rooms.officers(meetingId)];
    case 'users': return a.userIds.map((u) => rooms.user(meetingId, u));
  }
}

/**
 * The part of the meeting state a viewer may hold. Today all of it is public; private annotation
 * layers and secret-ballot details will be cut out here, in the same place as event delivery.
 */
export function projectState<S>(state: S, _viewer: Viewer): S {
  return state;
}
