import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { meetingMembers, meetings } from '../db/schema';
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

/** The meetings the actor belongs to; every meeting for an admin. */
export function listMeetings(db: Db, actor: Actor): Meeting[] {
  const rows = db
    .select({ m: meetings, role: meetingMembers.role })
    .from(meetings)
    .leftJoin(meetingMembers, and(eq(meetingMembers.meetingId, meetings.id), eq(meetingMembers.userId, actor.id)))
    .orderBy(desc(meetings.startsAt), desc(meetings.createdAt))
    .all();
  return rows.filter((r) => actor.isAdmin || r.role).map((r) => toMeeting(r.m, r.role ?? null));
}

export function getMeeting(db: Db, id: string, role: MeetingRole | null): Meeting {
  const m = db.select().from(meetings).where(eq(meetings.id, id)).get();
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
 * A new meeting. `creatorRole` makes the creator a member with that officer role in one transaction,
 * so an organiser who is not an administrator never makes a meeting it cannot then see or prepare.
 */
export function createMeeting(
  db: Db,
  actor: Actor,
  input: MeetingInput & { title: string },
  creatorRole: 'chair' | 'secretary' | null = null,
): Meeting {
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
  db.transaction((tx) => {
    tx.insert(meetings).values(row).run();
    if (creatorRole)
      tx.insert(meetingMembers).values({ meetingId: row.id, userId: actor.id, role: creatorRole, addedAt: now }).run();
  });
  return toMeeting(row, creatorRole);
}

export function updateMeeting(db: Db, id: string, input: MeetingInput, role: MeetingRole | null): Meeting {
  const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  db.update(meetings)
    .set({ ...patch, updatedAt: nowIso() })
    .where(eq(meetings.id, id))
    .run();
  return getMeeting(db, id, role);
}

export function deleteMeeting(db: Db, id: string): void {
  db.delete(meetings).where(eq(meetings.id, id)).run();
}
