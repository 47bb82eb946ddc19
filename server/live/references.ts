// Lookups that commands use to check that what they name belongs to this meeting.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { perDb } from '../db/prepared';
import { agendaItems, documents, meetingMembers } from '../db/schema';
import { AppError } from '../errors';
import type { MeetingRole } from '../../shared/roles';

export function requireAgendaItem(db: Db, meetingId: string, itemId: string): void {
  const row = db
    .select({ id: agendaItems.id })
    .from(agendaItems)
    .where(and(eq(agendaItems.id, itemId), eq(agendaItems.meetingId, meetingId)))
    .get();
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

export function requireDocument(
  db: Db,
  meetingId: string,
  documentId: string,
): { pageCount: number; publishedAt: string | null } {
  const row = documentOf(db).get({ documentId, meetingId });
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
export function requireShowableDocument(db: Db, meetingId: string, documentId: string): { pageCount: number } {
  const row = requireDocument(db, meetingId, documentId);
  if (row.publishedAt === null)
    throw new AppError('DOCUMENT_DRAFT', 'This document is a draft the members cannot open: publish it before showing it');
  return row;
}

export function requireMember(db: Db, meetingId: string, userId: string): MeetingRole {
  const row = db
    .select({ role: meetingMembers.role })
    .from(meetingMembers)
    .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, userId)))
    .get();
  if (!row) throw new AppError('NOT_FOUND', 'This person is not a member of the meeting');
  return row.role;
}
