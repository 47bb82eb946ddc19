// Documents circulated in advance (issue 15): an upload is a draft that only the meeting's officers
// (those who may upload: chair, secretary, an administrator) see, until an officer publishes it to
// the members; the time it was sent is kept (ngày gửi). Every read of one document goes through
// services/document-access.documentForSync (rules: policies/document-policy.ts), so a draft is
// NOT_FOUND for a member, exactly like a document that does not exist; lists ask draftsVisibleTo.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { documents } from '../db/schema';
import { AppError, notFound } from '../errors';
import { nowIso } from '../ids';
import type { DocumentInfo } from '../../shared/api';
import { nextVersionOfSync, toDocument } from './documents';

/**
 * Publishes a draft of meeting `meetingId` to its members, now. ALREADY_PUBLISHED for one that is
 * out already (the date sent does not move). The caller has checked the officer's right.
 */
export function publishDocument(db: Db, meetingId: string, documentId: string, at = nowIso()): DocumentInfo {
  const row = db
    .select()
    .from(documents)
    .where(and(eq(documents.id, documentId), eq(documents.meetingId, meetingId)))
    .get();
  if (!row) throw notFound('Document');
  if (row.publishedAt !== null) throw new AppError('ALREADY_PUBLISHED', 'The document was already sent to the members');
  db.update(documents).set({ publishedAt: at }).where(eq(documents.id, documentId)).run();
  return toDocument({ ...row, publishedAt: at }, nextVersionOfSync(db, documentId, { drafts: true }));
}
