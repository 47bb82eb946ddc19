// Documents circulated in advance (issue 15): an upload is a draft that only the meeting's officers
// (those who may upload: chair, secretary, an administrator) see, until an officer publishes it to
// the members; the time it was sent is kept (ngày gửi). Every read of a document by a member goes
// through documentVisibleTo / draftsVisibleTo, so a draft is NOT_FOUND for them, exactly like a
// document that does not exist.
import { and, eq, sql } from 'drizzle-orm';
import { perDb } from '../db/prepared';
import type { Db } from '../db/client';
import { documents } from '../db/schema';
import { AppError, notFound } from '../errors';
import { nowIso } from '../ids';
import { can, type MeetingAccess } from '../policies/meeting-policy';
import type { DocumentInfo } from '../../shared/api';
import { nextVersionOf, toDocument } from './documents';

/** Whether this member sees the meeting's drafts: the officers, who prepare and publish them. */
export const draftsVisibleTo = (access: MeetingAccess): boolean => can(access, 'uploadDocument');

/** NOT_FOUND unless the caller may see this document (a published one, or any for an officer). */
export function assertDocumentVisible(access: MeetingAccess, doc: { publishedAt: string | null }): void {
  if (doc.publishedAt === null && !draftsVisibleTo(access)) throw notFound('Document');
}

// asked by every live mark a member adds (live/annotation-commands.ts): prepared once per database
const publishedAtOf = perDb((db) => db.select({ publishedAt: documents.publishedAt }).from(documents)
  .where(eq(documents.id, sql.placeholder('id'))).prepare());

/** NOT_FOUND for a member marking a draft they may not see (a live command names a document by id). */
export function assertDocumentIdVisible(db: Db, access: MeetingAccess, documentId: string): void {
  if (draftsVisibleTo(access)) return;
  const row = publishedAtOf(db).get({ id: documentId });
  if (!row || row.publishedAt === null) throw notFound('Document');
}

/**
 * Publishes a draft of meeting `meetingId` to its members, now. ALREADY_PUBLISHED for one that is
 * out already (the date sent does not move). The caller has checked the officer's right.
 */
export function publishDocument(db: Db, meetingId: string, documentId: string, at = nowIso()): DocumentInfo {
  const row = db.select().from(documents).where(and(eq(documents.id, documentId), eq(documents.meetingId, meetingId))).get();
  if (!row) throw notFound('Document');
  if (row.publishedAt !== null) throw new AppError('ALREADY_PUBLISHED', 'The document was already sent to the members');
  db.update(documents).set({ publishedAt: at }).where(eq(documents.id, documentId)).run();
  return toDocument({ ...row, publishedAt: at }, nextVersionOf(db, documentId, { drafts: true }));
}
