import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { meetingMembers, users } from '../db/schema';
import { AppError, notFound } from '../errors';
import { nowIso } from '../ids';
import type { Member, MemberCandidate } from '../../shared/api';
import type { MeetingRole } from '../../shared/roles';
import { findUserByUsername } from './users';

export function listMembers(db: Db, meetingId: string): Member[] {
  return db
    .select({ userId: users.id, username: users.username, fullName: users.fullName, role: meetingMembers.role })
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
  return db.select({ id: users.id, username: users.username, fullName: users.fullName }).from(users).orderBy(users.username).all();
}

/** Adds a member, or changes the role of one already there. A meeting has one chair. */
export function addMember(db: Db, meetingId: string, username: string, role: MeetingRole): Member {
  const user = findUserByUsername(db, username);
  if (!user) throw notFound(`User ${username}`);
  return db.transaction((tx) => {
    if (role === 'chair') {
      const chair = tx.select().from(meetingMembers)
        .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.role, 'chair'))).get();
      if (chair && chair.userId !== user.id) throw new AppError('CONFLICT', 'This meeting already has a chair');
    }
    tx.insert(meetingMembers)
      .values({ meetingId, userId: user.id, role, addedAt: nowIso() })
      .onConflictDoUpdate({ target: [meetingMembers.meetingId, meetingMembers.userId], set: { role } })
      .run();
    return { userId: user.id, username: user.username, fullName: user.fullName, role };
  });
}

export function removeMember(db: Db, meetingId: string, userId: string): void {
  const r = db.delete(meetingMembers)
    .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, userId))).run();
  if (r.changes === 0) throw notFound('Member');
}
