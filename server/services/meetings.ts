// Meetings on the asynchronous Store (server/db/store.ts): the same queries on SQLite and PostgreSQL.
// Every function takes `(q, t, …)`: `q` a read handle or a write transaction, `t` its tables.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Query, Tables } from '../db/store';
import type { meetings } from '../db/schema';
import { newId, nowIso } from '../ids';
import { notFound } from '../errors';
import type { Meeting } from '../../shared/api';
import type { MeetingKind, MeetingRole } from '../../shared/roles';
import type { Actor } from '../policies/meeting-policy';

type MeetingRow = typeof meetings.$inferSelect;

export const toMeeting = (m: MeetingRow, role: MeetingRole | null): Meeting => ({
  id: m.id,
  title: m.title,
  kind: m.kind,
  status: m.status,
  startsAt: m.startsAt,
  location: m.location,
  organization: m.organization,
  role,
  createdAt: m.createdAt,
});

/**
 * The meetings the actor belongs to; every meeting for an admin. Latest start first, meetings with
 * no start time last on both databases (PostgreSQL puts NULLs first under DESC), then the newest
 * created, then the id: a total order, so both databases list the same.
 */
export async function listMeetings(q: Query, t: Tables, actor: Actor): Promise<Meeting[]> {
  const { meetings: m, meetingMembers: mm } = t;
  const rows = await q
    .select({ m, role: mm.role })
    .from(m)
    .leftJoin(mm, and(eq(mm.meetingId, m.id), eq(mm.userId, actor.id)))
    .orderBy(sql`${m.startsAt} IS NULL`, desc(m.startsAt), desc(m.createdAt), asc(m.id));
  return rows.filter((r) => actor.isAdmin || r.role).map((r) => toMeeting(r.m, r.role ?? null));
}

export async function getMeeting(q: Query, t: Tables, id: string, role: MeetingRole | null): Promise<Meeting> {
  const [m] = await q.select().from(t.meetings).where(eq(t.meetings.id, id));
  if (!m) throw notFound('Meeting');
  return toMeeting(m, role);
}

export interface MeetingInput {
  title?: string;
  kind?: MeetingKind;
  startsAt?: string | null;
  location?: string | null;
  organization?: string | null;
}

/**
 * A new meeting, inside the caller's write transaction. `creatorRole` makes the creator a member
 * with that officer role in the same transaction, so an organiser who is not an administrator never
 * makes a meeting it cannot then see or prepare.
 */
export async function createMeeting(
  tx: Query,
  t: Tables,
  actor: Actor,
  input: MeetingInput & { title: string },
  creatorRole: 'chair' | 'secretary' | null = null,
): Promise<Meeting> {
  const now = nowIso();
  const row: MeetingRow = {
    id: newId(),
    title: input.title.trim(),
    kind: input.kind ?? 'regular',
    status: 'scheduled',
    startsAt: input.startsAt ?? null,
    location: input.location ?? null,
    organization: input.organization ?? null,
    createdBy: actor.id,
    createdAt: now,
    updatedAt: now,
  };
  await tx.insert(t.meetings).values(row);
  if (creatorRole)
    await tx.insert(t.meetingMembers).values({ meetingId: row.id, userId: actor.id, role: creatorRole, addedAt: now });
  return toMeeting(row, creatorRole);
}

export async function updateMeeting(
  tx: Query,
  t: Tables,
  id: string,
  input: MeetingInput,
  role: MeetingRole | null,
): Promise<Meeting> {
  const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  await tx
    .update(t.meetings)
    .set({ ...patch, updatedAt: nowIso() })
    .where(eq(t.meetings.id, id));
  return getMeeting(tx, t, id, role);
}

/** Deletes the meeting; its members, agenda, documents' rows and log go with it (ON DELETE CASCADE). */
export async function deleteMeeting(tx: Query, t: Tables, id: string): Promise<void> {
  const gone = await tx.delete(t.meetings).where(eq(t.meetings.id, id)).returning({ id: t.meetings.id });
  if (gone.length === 0) throw notFound('Meeting');
}
