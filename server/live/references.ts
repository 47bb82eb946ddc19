// Lookups that commands use to check that what they name belongs to this meeting.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { perDb } from '../db/prepared';
import * as sqliteSchema from '../db/schema';
import { documents } from '../db/schema';
import type { Query, Tables } from '../db/store';
import { AppError } from '../errors';
import type { MeetingRole } from '../../shared/roles';

export async function requireAgendaItem(q: Query, t: Tables, meetingId: string, itemId: string): Promise<void> {
  const [row] = await q
    .select({ id: t.agendaItems.id })
    .from(t.agendaItems)
    .where(and(eq(t.agendaItems.id, itemId), eq(t.agendaItems.meetingId, meetingId)));
  if (!row) throw new AppError('NOT_FOUND', 'Agenda item not found in this meeting');
}

// every stroke.add asks: prepared once per database (server/db/prepared.ts)
const documentOf = perDb((db) =>
  db
    .select({ pageCount: documents.pageCount, publishedAt: documents.publishedAt })
    .from(documents)
    .where(and(eq(documents.id, sql.placeholder('documentId')), eq(documents.meetingId, sql.placeholder('meetingId'))))
    .prepare(),
);

export async function requireDocument(
  q: Query,
  t: Tables,
  meetingId: string,
  documentId: string,
): Promise<{ pageCount: number; publishedAt: string | null }> {
  // on SQLite the statement prepared once (t is schema.ts, q a better-sqlite3 handle)
  const [row] =
    t === (sqliteSchema as Tables)
      ? [documentOf(q as unknown as Db).get({ documentId, meetingId })]
      : await q
          .select({ pageCount: t.documents.pageCount, publishedAt: t.documents.publishedAt })
          .from(t.documents)
          .where(and(eq(t.documents.id, documentId), eq(t.documents.meetingId, meetingId)));
  if (!row) throw new AppError('NOT_FOUND', 'Document not found in this meeting');
  return row;
}

/**
 * A document shown live must be one every follower may open: a draft (not yet sent to the members)
 * is refused with DOCUMENT_DRAFT rather than published on the spot. Publishing is its own act, with
 * the date sent and the members' notifications (services/document-publication.ts); the chair
 * publishes from the Prepare panel and shows it then. Showing it anyway would put members on a
 * document they get NOT_FOUND for.
 */
export async function requireShowableDocument(
  q: Query,
  t: Tables,
  meetingId: string,
  documentId: string,
): Promise<{ pageCount: number }> {
  const row = await requireDocument(q, t, meetingId, documentId);
  if (row.publishedAt === null)
    throw new AppError('DOCUMENT_DRAFT', 'This document is a draft the members cannot open: publish it before showing it');
  return row;
}

export async function requireMember(q: Query, t: Tables, meetingId: string, userId: string): Promise<MeetingRole> {
  const [row] = await q
    .select({ role: t.meetingMembers.role })
    .from(t.meetingMembers)
    .where(and(eq(t.meetingMembers.meetingId, meetingId), eq(t.meetingMembers.userId, userId)));
  if (!row) throw new AppError('NOT_FOUND', 'This person is not a member of the meeting');
  return row.role;
}
