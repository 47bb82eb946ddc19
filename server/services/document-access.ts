// The one way to reach a single document on someone's behalf. Every document route (record, file,
// marks, export, changes, publish, versions, readers), the room screen and the live marks ask here,
// so "a member never sees a draft, nor a confidential document's text" is not a check each route
// must remember (a merge once lost it on one). The rules are in policies/document-policy.ts; the
// raw getter (services/documents.getStoredDocumentUnchecked) is for this file and trusted jobs only.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { Query, Tables } from '../db/store';
import { perDb } from '../db/prepared';
import { documents } from '../db/schema';
import { notFound } from '../errors';
import { meetingAccess, type Actor, type MeetingAccess } from '../policies/meeting-policy';
import { documentRefusal, draftsVisibleTo, type DocumentPurpose } from '../policies/document-policy';
import { getStoredDocumentUnchecked, nextVersionOf, type StoredDocument } from './documents';

export type { DocumentPurpose } from '../policies/document-policy';

// asked by every live mark a member adds (live/annotation-commands.ts): prepared once per database
const factsOf = perDb((db) =>
  db
    .select({ meetingId: documents.meetingId, publishedAt: documents.publishedAt, confidentiality: documents.confidentiality })
    .from(documents)
    .where(eq(documents.id, sql.placeholder('id')))
    .prepare(),
);

/**
 * assertDocumentIdFor on the SQLite connection with a statement prepared once: every live mark asks
 * (live/hot-reads.ts; the Store's builder costs 54 µs against 4.8 µs here).
 */
export function assertDocumentIdForSync(db: Db, access: MeetingAccess, documentId: string, purpose: DocumentPurpose): void {
  const row = factsOf(db).get({ id: documentId });
  if (!row || row.meetingId !== access.meetingId) throw notFound('Document');
  const refusal = documentRefusal(access, row, purpose);
  if (refusal) throw refusal;
}

/** The document `documentId` for `actor` and `purpose`, on the Store: `q` a read or a write transaction, `t` its tables. */
export async function documentFor(
  q: Query,
  t: Tables,
  actor: Actor,
  documentId: string,
  purpose: DocumentPurpose,
): Promise<{ doc: StoredDocument; access: MeetingAccess }> {
  const doc = await getStoredDocumentUnchecked(q, t, documentId);
  const access = await meetingAccess(q, t, actor, doc.meetingId);
  const refusal = documentRefusal(access, doc, purpose);
  if (refusal) throw refusal;
  return { doc: { ...doc, nextVersionId: await nextVersionOf(q, t, doc.id, { drafts: draftsVisibleTo(access) }) }, access };
}

/** A document the room screen of `meetingId` may show (one of that meeting's, sent to the members). */
export async function roomDocumentFor(q: Query, t: Tables, meetingId: string, documentId: string): Promise<StoredDocument> {
  const doc = await getStoredDocumentUnchecked(q, t, documentId);
  if (doc.meetingId !== meetingId || doc.publishedAt === null) throw notFound('Document');
  return doc;
}

/**
 * NOT_FOUND unless the caller (already known to be in the meeting: a live command) may `purpose`
 * the document `documentId` of that meeting. A live command names a document by id.
 */
export async function assertDocumentIdFor(
  q: Query,
  t: Tables,
  access: MeetingAccess,
  documentId: string,
  purpose: DocumentPurpose,
): Promise<void> {
  const [row] = await q
    .select({
      meetingId: t.documents.meetingId,
      publishedAt: t.documents.publishedAt,
      confidentiality: t.documents.confidentiality,
    })
    .from(t.documents)
    .where(eq(t.documents.id, documentId));
  if (!row || row.meetingId !== access.meetingId) throw notFound('Document');
  const refusal = documentRefusal(access, row, purpose);
  if (refusal) throw refusal;
}

/**
 * The meeting a document belongs to, to lock a write on it (Store.write's key); NOT_FOUND for an
 * unknown id. Tells nothing to the caller: the write then checks access with documentFor.
 */
export async function meetingOfDocument(q: Query, t: Tables, documentId: string): Promise<string> {
  const [row] = await q.select({ meetingId: t.documents.meetingId }).from(t.documents).where(eq(t.documents.id, documentId));
  if (!row) throw notFound('Document');
  return row.meetingId;
}
