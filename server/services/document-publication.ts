// Documents circulated in advance (issue 15): an upload is a draft that only the meeting's officers
// (those who may upload: chair, secretary, an administrator) see, until an officer publishes it to
// the members; the time it was sent is kept (ngày gửi). Every read of one document goes through
// services/document-access.documentFor (rules: policies/document-policy.ts), so a draft is
// NOT_FOUND for a member, exactly like a document that does not exist; lists ask draftsVisibleTo.
import { and, eq } from 'drizzle-orm';
import type { Query, Tables } from '../db/store';
import { AppError, notFound } from '../errors';
import { nowIso } from '../ids';
import type { DocumentInfo } from '../../shared/api';
import { nextVersionOf, toDocument } from './documents';

/**
 * Publishes a draft of meeting `meetingId` to its members, now. ALREADY_PUBLISHED for one that is
 * out already (the date sent does not move). The caller has checked the officer's right.
 */
export async function publishDocument(
  tx: Query,
  t: Tables,
  meetingId: string,
  documentId: string,
  at = nowIso(),
): Promise<DocumentInfo> {
  const [row] = await tx
    .select()
    .from(t.documents)
    .where(and(eq(t.documents.id, documentId), eq(t.documents.meetingId, meetingId)));
  if (!row) throw notFound('Document');
  if (row.publishedAt !== null) throw new AppError('ALREADY_PUBLISHED', 'The document was already sent to the members');
  await tx.update(t.documents).set({ publishedAt: at }).where(eq(t.documents.id, documentId));
  return toDocument({ ...row, publishedAt: at }, await nextVersionOf(tx, t, documentId, { drafts: true }));
}
