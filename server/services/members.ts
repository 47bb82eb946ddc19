import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { meetingMembers, users } from '../db/schema';
import { AppError, notFound } from '../errors';
import { nowIso } from '../ids';
import type { Member, MemberCandidate } from '../../shared/api';
import { OFFICER_ROLES, VOTING_ROLES, type MeetingRole } from '../../shared/roles';
import type { MeetingAccess } from '../policies/meeting-policy';
import { findUserByUsernameSync } from './users';

export function listMembers(db: Db, meetingId: string): Member[] {
  return db
    .select({
      userId: users.id,
      username: users.username,
      fullName: users.fullName,
      role: meetingMembers.role,
      unit: users.unit,
      position: users.position,
    })
    .from(meetingMembers)
    .innerJoin(users, eq(users.id, meetingMembers.userId))
    .where(eq(meetingMembers.meetingId, meetingId))
    .orderBy(users.username)
    .all();
}

/**
 * The accounts an organiser may add (or, already members, give another role): name and username
 * only, never the account flags the administrators' list shows.
 */
export function listMemberCandidates(db: Db): MemberCandidate[] {
  return db
    .select({ id: users.id, username: users.username, fullName: users.fullName })
    .from(users)
    .orderBy(users.username)
    .all();
}

/** What the change is made under: who makes it, and whether a vote of the meeting is open. */
export interface MembershipChange {
  by: MeetingAccess;
  voteOpen: boolean;
}

const roleOf = (db: Db, meetingId: string, userId: string): MeetingRole | null =>
  db
    .select({ role: meetingMembers.role })
    .from(meetingMembers)
    .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, userId)))
    .get()?.role ?? null;

/**
 * The rules a membership change keeps beyond "may manage members" (the policy):
 * - a chair or secretary who is not an administrator manages delegates, guests and observers; they
 *   may fill an officer seat nobody holds (the secretary who prepares a meeting invites its chair),
 *   but never remove, demote or replace a sitting chair or secretary: only an administrator may, so
 *   a meeting's officers cannot take it from one another;
 * - while a vote is open nobody changes who holds a vote: the base of the vote would move under it.
 */
function checkChange(
  db: Db,
  meetingId: string,
  userId: string,
  from: MeetingRole | null,
  to: MeetingRole | null,
  c: MembershipChange,
): void {
  if (c.voteOpen && [from, to].some((r) => r !== null && VOTING_ROLES.includes(r)) && from !== to) {
    throw new AppError('CONFLICT', 'Who holds a vote cannot change while a vote is open');
  }
  if (c.by.isAdmin) return;
  if (from !== null && OFFICER_ROLES.includes(from) && from !== to) {
    throw new AppError('FORBIDDEN', "Only an administrator removes or changes the meeting's chair or secretary");
  }
  if (to !== null && OFFICER_ROLES.includes(to) && from !== to) {
    const held = db
      .select({ userId: meetingMembers.userId })
      .from(meetingMembers)
      .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.role, to)))
      .get();
    if (held && held.userId !== userId) throw new AppError('FORBIDDEN', 'Only an administrator gives a second member this role');
  }
}

/** Adds a member, or changes the role of one already there. A meeting has one chair. */
export function addMember(db: Db, meetingId: string, username: string, role: MeetingRole, change?: MembershipChange): Member {
  const user = findUserByUsernameSync(db, username);
  if (!user) throw notFound(`User ${username}`);
  return db.transaction((tx) => {
    if (change)
      checkChange(tx as unknown as Db, meetingId, user.id, roleOf(tx as unknown as Db, meetingId, user.id), role, change);
    if (role === 'chair') {
      const chair = tx
        .select()
        .from(meetingMembers)
        .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.role, 'chair')))
        .get();
      if (chair && chair.userId !== user.id) throw new AppError('CONFLICT', 'This meeting already has a chair');
    }
    tx.insert(meetingMembers)
      .values({ meetingId, userId: user.id, role, addedAt: nowIso() })
      .onConflictDoUpdate({ target: [meetingMembers.meetingId, meetingMembers.userId], set: { role } })
      .run();
    return { userId: user.id, username: user.username, fullName: user.fullName, role };
  });
}

export function removeMember(db: Db, meetingId: string, userId: string, change?: MembershipChange): void {
  if (change) {
    const from = roleOf(db, meetingId, userId);
    if (from === null) throw notFound('Member');
    checkChange(db, meetingId, userId, from, null, change);
  }
  const r = db
    .delete(meetingMembers)
    .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, userId)))
    .run();
  if (r.changes === 0) throw notFound('Member');
}
