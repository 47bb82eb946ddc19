// A meeting's members on the asynchronous Store (server/db/store.ts), SQLite and PostgreSQL alike.
// A change reads what it decides on (the current roles) inside its own write transaction.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { Query, Tables } from '../db/store';
import { meetingMembers, users } from '../db/schema';
import { AppError, notFound } from '../errors';
import { nowIso } from '../ids';
import type { Member, MemberCandidate } from '../../shared/api';
import { OFFICER_ROLES, VOTING_ROLES, type MeetingRole } from '../../shared/roles';
import type { MeetingAccess } from '../policies/meeting-policy';

export async function listMembers(q: Query, t: Tables, meetingId: string): Promise<Member[]> {
  const { meetingMembers: mm, users: u } = t;
  return q
    .select({ userId: u.id, username: u.username, fullName: u.fullName, role: mm.role, unit: u.unit, position: u.position })
    .from(mm)
    .innerJoin(u, eq(u.id, mm.userId))
    .where(eq(mm.meetingId, meetingId))
    .orderBy(asc(u.username), asc(u.id));
}

/**
 * The accounts an organiser may add (or, already members, give another role): name and username
 * only, never the account flags the administrators' list shows.
 */
export async function listMemberCandidates(q: Query, t: Tables): Promise<MemberCandidate[]> {
  const { users: u } = t;
  return q.select({ id: u.id, username: u.username, fullName: u.fullName }).from(u).orderBy(asc(u.username), asc(u.id));
}

/** The account of a username, normalised as the login does (services/users.findUserByUsername). */
export async function memberCandidateByUsername(q: Query, t: Tables, username: string): Promise<MemberCandidate | undefined> {
  const { users: u } = t;
  const [row] = await q
    .select({ id: u.id, username: u.username, fullName: u.fullName })
    .from(u)
    .where(eq(u.username, username.trim().toLowerCase()));
  return row;
}

/** What the change is made under: who makes it, and whether a vote of the meeting is open. */
export interface MembershipChange {
  by: MeetingAccess;
  voteOpen: boolean;
}

async function roleOf(q: Query, t: Tables, meetingId: string, userId: string): Promise<MeetingRole | null> {
  const { meetingMembers: mm } = t;
  const [row] = await q
    .select({ role: mm.role })
    .from(mm)
    .where(and(eq(mm.meetingId, meetingId), eq(mm.userId, userId)));
  return row?.role ?? null;
}

/** Who holds `role` in the meeting (the first by user id, should there ever be two). */
async function holderOf(q: Query, t: Tables, meetingId: string, role: MeetingRole): Promise<string | null> {
  const { meetingMembers: mm } = t;
  const [row] = await q
    .select({ userId: mm.userId })
    .from(mm)
    .where(and(eq(mm.meetingId, meetingId), eq(mm.role, role)))
    .orderBy(asc(mm.userId))
    .limit(1);
  return row?.userId ?? null;
}

/**
 * The rules a membership change keeps beyond "may manage members" (the policy):
 * - a chair or secretary who is not an administrator manages delegates, guests and observers; they
 *   may fill an officer seat nobody holds (the secretary who prepares a meeting invites its chair),
 *   but never remove, demote or replace a sitting chair or secretary: only an administrator may, so
 *   a meeting's officers cannot take it from one another;
 * - while a vote is open nobody changes who holds a vote: the base of the vote would move under it.
 */
async function checkChange(
  q: Query,
  t: Tables,
  meetingId: string,
  userId: string,
  from: MeetingRole | null,
  to: MeetingRole | null,
  c: MembershipChange,
): Promise<void> {
  if (c.voteOpen && [from, to].some((r) => r !== null && VOTING_ROLES.includes(r)) && from !== to) {
    throw new AppError('CONFLICT', 'Who holds a vote cannot change while a vote is open');
  }
  if (c.by.isAdmin) return;
  if (from !== null && OFFICER_ROLES.includes(from) && from !== to) {
    throw new AppError('FORBIDDEN', "Only an administrator removes or changes the meeting's chair or secretary");
  }
  if (to !== null && OFFICER_ROLES.includes(to) && from !== to) {
    const held = await holderOf(q, t, meetingId, to);
    if (held && held !== userId) throw new AppError('FORBIDDEN', 'Only an administrator gives a second member this role');
  }
}

/**
 * Adds a member, or changes the role of one already there, inside the caller's write transaction
 * (lock key: the meeting). A meeting has one chair. `change` absent: the seed's own additions.
 */
export async function addMember(
  tx: Query,
  t: Tables,
  meetingId: string,
  username: string,
  role: MeetingRole,
  change?: MembershipChange,
): Promise<Member> {
  const user = await memberCandidateByUsername(tx, t, username);
  if (!user) throw notFound(`User ${username}`);
  if (change) await checkChange(tx, t, meetingId, user.id, await roleOf(tx, t, meetingId, user.id), role, change);
  if (role === 'chair') {
    const chair = await holderOf(tx, t, meetingId, 'chair');
    if (chair && chair !== user.id) throw new AppError('CONFLICT', 'This meeting already has a chair');
  }
  const { meetingMembers: mm } = t;
  await tx
    .insert(mm)
    .values({ meetingId, userId: user.id, role, addedAt: nowIso() })
    .onConflictDoUpdate({ target: [mm.meetingId, mm.userId], set: { role } });
  return { userId: user.id, username: user.username, fullName: user.fullName, role };
}

/** Removes a member inside the caller's write transaction (lock key: the meeting). */
export async function removeMember(
  tx: Query,
  t: Tables,
  meetingId: string,
  userId: string,
  change?: MembershipChange,
): Promise<void> {
  const from = await roleOf(tx, t, meetingId, userId);
  if (from === null) throw notFound('Member');
  if (change) await checkChange(tx, t, meetingId, userId, from, null, change);
  const { meetingMembers: mm } = t;
  await tx.delete(mm).where(and(eq(mm.meetingId, meetingId), eq(mm.userId, userId)));
}

// ---- Legacy synchronous twins, for callers of other owners not converted yet (docs/scale-out.md):
// elections, opinions, minutes, invitations, live's room route (listMembersSync) and the tests'
// vote fixture (addMemberSync). They go when nothing calls them.

export function listMembersSync(db: Db, meetingId: string): Member[] {
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

/** Adds a member with no organiser's rules (tests' fixtures); a meeting still has one chair. */
export function addMemberSync(db: Db, meetingId: string, username: string, role: MeetingRole): Member {
  const user = db.select().from(users).where(eq(users.username, username.trim().toLowerCase())).get();
  if (!user) throw notFound(`User ${username}`);
  return db.transaction((tx) => {
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
