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
import { meetingAccess, meetingAccessSync, type Actor, type MeetingAccess } from '../policies/meeting-policy';
import { documentRefusal, draftsVisibleTo, type DocumentPurpose } from '../policies/document-policy';
import {
  getStoredDocumentUnchecked,
  getStoredDocumentUncheckedSync,
  nextVersionOf,
  nextVersionOfSync,
  type StoredDocument,
} from './documents';

export type { DocumentPurpose } from '../policies/document-policy';

/**
 * The document `documentId` for `actor` and `purpose`, with the caller's standing in its meeting.
 * NOT_FOUND: no such document, a meeting the caller is not in, or a draft a member may not see;
 * FORBIDDEN: `manage` by a member who is not an officer; CONFIDENTIAL_DOCUMENT: the text or an
 * export of a confidential document by a member. `nextVersionId` is the next version the caller may see.
 */
export function documentForSync(
  db: Db,
  actor: Actor,
  documentId: string,
  purpose: DocumentPurpose,
): { doc: StoredDocument; access: MeetingAccess } {
  const doc = getStoredDocumentUncheckedSync(db, documentId);
  const access = meetingAccessSync(db, actor, doc.meetingId);
  const refusal = documentRefusal(access, doc, purpose);
  if (refusal) throw refusal;
  return { doc: { ...doc, nextVersionId: nextVersionOfSync(db, doc.id, { drafts: draftsVisibleTo(access) }) }, access };
}

/**
 * A document for the room screen of meeting `meetingId`: one of that meeting's, sent to the members
 * (the room shows what the members see, never a draft). What it may show of a confidential one is
 * the room route's rule (only while the chair shows it, watermarked).
 */
export function roomDocumentForSync(db: Db, meetingId: string, documentId: string): StoredDocument {
  const doc = getStoredDocumentUncheckedSync(db, documentId);
  if (doc.meetingId !== meetingId || doc.publishedAt === null) throw notFound('Document');
  return doc;
}

// asked by every live mark a member adds (live/annotation-commands.ts): prepared once per database
const factsOf = perDb((db) =>
  db
    .select({ meetingId: documents.meetingId, publishedAt: documents.publishedAt, confidentiality: documents.confidentiality })
    .from(documents)
    .where(eq(documents.id, sql.placeholder('id')))
    .prepare(),
);

/**
 * NOT_FOUND unless the caller (already known to be in the meeting: a live command) may `purpose`
 * the document `documentId` of that meeting. A live command names a document by id.
 */
export function assertDocumentIdForSync(db: Db, access: MeetingAccess, documentId: string, purpose: DocumentPurpose): void {
  const row = factsOf(db).get({ id: documentId });
  if (!row || row.meetingId !== access.meetingId) throw notFound('Document');
  const refusal = documentRefusal(access, row, purpose);
  if (refusal) throw refusal;
}

// The asynchronous twins on the Store (server/db/store.ts); the *Sync versions above serve the code
// not yet converted (docs/scale-out.md) and go with it.

/** documentForSync on the Store: `q` a read or a write transaction, `t` its tables. */
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

/** roomDocumentForSync on the Store. */
export async function roomDocumentFor(q: Query, t: Tables, meetingId: string, documentId: string): Promise<StoredDocument> {
  const doc = await getStoredDocumentUnchecked(q, t, documentId);
  if (doc.meetingId !== meetingId || doc.publishedAt === null) throw notFound('Document');
  return doc;
}

/** assertDocumentIdForSync on the Store. */
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
