// Who may receive an event. Every broadcast and every catch-up goes through here, so later private
// annotations and secret ballots can never reach another socket by accident.
import type { LiveEvent } from '../../shared/events';
import type { MeetingRole } from '../../shared/roles';
import { OFFICER_ROLES } from '../../shared/roles';
import type { MeetingState } from '../../shared/meeting-state';

export type Audience =
  | { to: 'meeting' } // every member socket and the room screen
  | { to: 'members' } // every member socket, not the room screen
  | { to: 'officers' } // chair, secretary, admins
  | { to: 'users'; userIds: string[]; officers?: boolean }; // e.g. a private annotation: its author only; a proxy: both members and the officers

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

/** Marks on the private layer go to their author only (every stroke.* payload carries its layer). */
const strokeAudience: AudienceRule = (e) =>
  (e.payload as { layer?: unknown } | null)?.layer === 'shared' ||
  (e.payload as { layer?: unknown } | null)?.layer === 'presenter'
    ? { to: 'meeting' }
    : { to: 'users', userIds: [e.actor] }; // private, or anything unexpected: fail closed
for (const t of ['stroke.add', 'stroke.erase', 'stroke.undo', 'stroke.redo']) RULES[t] = strokeAudience;

/** A proxy is seen by the chair and the secretary, the member who gave it and the holder. */
const proxyAudience: AudienceRule = (e) => {
  const p = e.payload as { fromUserId?: unknown; toUserId?: unknown } | null;
  const ids = [p?.fromUserId, p?.toUserId, e.actor].filter((x): x is string => typeof x === 'string');
  return { to: 'users', userIds: [...new Set(ids)], officers: true };
};
for (const t of ['proxy.grant', 'proxy.revoke']) RULES[t] = proxyAudience;

/** The minutes draft is for the members, not for the projector in the room. */
for (const t of ['minutes.update', 'minutes.finalize', 'minutes.sign', 'minutes.revise']) RULES[t] = () => ({ to: 'members' });

/**
 * A reply (its reason is personal) reaches the officers, the member who replied and their
 * substitute; an approval the same, the substitute included. The issued invitation is for everyone.
 */
const replyAudience: AudienceRule = (e) => {
  const p = e.payload as { memberId?: unknown; substituteUserId?: unknown } | null;
  const ids = [p?.memberId, p?.substituteUserId, e.actor].filter((x): x is string => typeof x === 'string');
  return { to: 'users', userIds: [...new Set(ids)], officers: true };
};
for (const t of ['invitation.reply', 'invitation.approveSubstitute', 'invitation.refuseSubstitute']) RULES[t] = replyAudience;

export const audienceOf = (e: LiveEvent): Audience => RULES[e.type]?.(e) ?? { to: 'meeting' };

export function isVisibleTo(a: Audience, v: Viewer): boolean {
  switch (a.to) {
    case 'meeting':
      return true;
    case 'members':
      return !v.roomScreen;
    case 'officers':
      return !v.roomScreen && (v.isAdmin || (v.role !== null && OFFICER_ROLES.includes(v.role)));
    case 'users':
      return (v.userId !== null && a.userIds.includes(v.userId)) || (a.officers === true && isVisibleTo({ to: 'officers' }, v));
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
    case 'meeting':
      return [rooms.meeting(meetingId)];
    case 'members':
      return [rooms.members(meetingId)];
    case 'officers':
      return [rooms.officers(meetingId)];
    case 'users':
      return [...a.userIds.map((u) => rooms.user(meetingId, u)), ...(a.officers ? [rooms.officers(meetingId)] : [])];
  }
}

/**
 * The part of the meeting state a viewer may hold. Today all of it is public; private annotation
 * layers and secret-ballot details will be cut out here, in the same place as event delivery.
 */
export function projectState<S>(state: S, viewer: Viewer): S {
  const projected = projectReplies(projectProxies(state as S & MeetingState, viewer), viewer);
  // the room screen gets no minutes draft (its events are for members only)
  return viewer.roomScreen && projected.minutes ? { ...projected, minutes: { ...projected.minutes, fields: {} } } : projected;
}

/** Proxies: officers see them all; anyone else only those they gave or hold (also in each vote's frozen copy). */
function projectProxies<S extends MeetingState>(state: S, v: Viewer): S {
  if (!state.proxies || isVisibleTo({ to: 'officers' }, v)) return state;
  const mine = (p: Record<string, string>) =>
    Object.fromEntries(Object.entries(p).filter(([from, to]) => v.userId !== null && (from === v.userId || to === v.userId)));
  const byId = Object.fromEntries(
    Object.entries(state.votes.byId).map(([id, vote]) => [id, { ...vote, proxies: mine(vote.proxies) }]),
  );
  return { ...state, proxies: mine(state.proxies), votes: { ...state.votes, byId } };
}

/** Replies to the invitation: officers see them all; anyone else only their own. */
function projectReplies<S extends MeetingState>(state: S, v: Viewer): S {
  if (!state.invitation || isVisibleTo({ to: 'officers' }, v)) return state;
  const own = Object.fromEntries(
    Object.entries(state.invitation.replies).filter(([member, r]) => member === v.userId || r.substituteUserId === v.userId),
  );
  return { ...state, invitation: { ...state.invitation, replies: own } };
}
