// "May this user do that in this meeting?" answered in one place. Routes and socket handlers ask
// here; the client only mirrors these answers to hide buttons.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { perDb } from '../db/prepared';
import { meetingMembers, meetings } from '../db/schema';
import { AppError } from '../errors';
import type { MeetingAbilities } from '../../shared/api';
import type { MeetingRole } from '../../shared/roles';

export interface Actor {
  id: string;
  isAdmin: boolean;
}

/**
 * Creating a meeting comes before anyone has a role in it, so it is an account-level ability: an
 * administrator, or an account an administrator made an organiser. The creator then holds an
 * officer role in the meeting it made (services/meetings.createMeeting).
 */
export function mayCreateMeeting(user: { isAdmin: boolean; isOrganiser: boolean }): boolean {
  return user.isAdmin || user.isOrganiser;
}

export interface MeetingAccess {
  meetingId: string;
  userId: string;
  isAdmin: boolean;
  /** the role in this meeting, or null for an admin who is not a member */
  role: MeetingRole | null;
}

export type MeetingAction =
  | 'read'
  | 'update'
  | 'delete'
  | 'manageMembers'
  | 'editAgenda'
  | 'uploadDocument'
  | 'readEventLog'
  // live meeting (server/live/commands): who may issue which command
  | 'controlMeeting'
  | 'markAttendance'
  | 'checkIn'
  | 'issueRoomToken';

const RULES: Record<MeetingAction, (a: MeetingAccess) => boolean> = {
  read: () => true,
  update: (a) => a.isAdmin || a.role === 'chair' || a.role === 'secretary',
  delete: (a) => a.isAdmin,
  // the meeting's chair and secretary prepare it end to end, members included (issue 21)
  manageMembers: (a) => a.isAdmin || a.role === 'chair' || a.role === 'secretary',
  editAgenda: (a) => a.isAdmin || a.role === 'chair' || a.role === 'secretary',
  uploadDocument: (a) => a.isAdmin || a.role === 'chair' || a.role === 'secretary',
  readEventLog: (a) => a.isAdmin || a.role === 'chair' || a.role === 'secretary',
  // start/pause/end, open items, show documents, turn pages, name the presenter: the chair leads
  controlMeeting: (a) => a.role === 'chair',
  markAttendance: (a) => a.role === 'chair' || a.role === 'secretary',
  // everyone who attends checks in (quorum counts only voting members); observers are read-only
  checkIn: (a) => a.role !== null && a.role !== 'observer',
  issueRoomToken: (a) => a.isAdmin || a.role === 'chair' || a.role === 'secretary',
};

/** Showing a document or turning its page: the chair, or the presenter the chair named. */
export function canPresent(access: MeetingAccess, presenterId: string | null): boolean {
  return can(access, 'controlMeeting') || (presenterId !== null && access.userId === presenterId && access.role !== null);
}

// asked by every live command and most requests: prepared once per database (server/db/prepared.ts)
const accessRow = perDb((db) => db
  .select({ id: meetings.id, role: meetingMembers.role })
  .from(meetings)
  .leftJoin(meetingMembers, and(eq(meetingMembers.meetingId, meetings.id), eq(meetingMembers.userId, sql.placeholder('userId'))))
  .where(eq(meetings.id, sql.placeholder('meetingId')))
  .prepare());

/**
 * The caller's standing in a meeting. A meeting the caller may not see answers NOT_FOUND, exactly
 * like one that does not exist, so ids cannot be probed.
 */
export function meetingAccess(db: Db, actor: Actor, meetingId: string): MeetingAccess {
  const row = accessRow(db).get({ userId: actor.id, meetingId });
  if (!row || (!row.role && !actor.isAdmin)) throw new AppError('NOT_FOUND', 'Meeting not found');
  return { meetingId, userId: actor.id, isAdmin: actor.isAdmin, role: row.role ?? null };
}

export function can(access: MeetingAccess, action: MeetingAction): boolean {
  return RULES[action](access);
}

/** The abilities the meeting page shows controls for (MeetingDetail.abilities). */
export function abilitiesOf(access: MeetingAccess): MeetingAbilities {
  return {
    update: can(access, 'update'),
    manageMembers: can(access, 'manageMembers'),
    editAgenda: can(access, 'editAgenda'),
    uploadDocument: can(access, 'uploadDocument'),
    createAccounts: access.isAdmin,
  };
}

/** meetingAccess + can, throwing FORBIDDEN when the member may not do it. */
export function authorize(db: Db, actor: Actor, meetingId: string, action: MeetingAction): MeetingAccess {
  const access = meetingAccess(db, actor, meetingId);
  if (!can(access, action)) throw new AppError('FORBIDDEN', `Your role may not ${action} in this meeting`);
  return access;
}
