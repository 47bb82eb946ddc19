// The reads every live command makes (the member's standing, the document it names), fast on
// SQLite. The Store's asynchronous meetingAccess / assertDocumentIdFor build their query with
// Drizzle on each call: measured here 156 µs and 54 µs a call, against 4.4 µs and 4.8 µs for the
// statements the *Sync versions prepare once (the group-committed stroke rate fell to a quarter).
// On SQLite `q` is a better-sqlite3 handle (the open write's connection, or the read connection)
// and `t` is schema.ts itself, so the prepared versions run on it, same rules, same answers; on
// PostgreSQL the asynchronous ones. One place to change when the foundation functions get their
// own prepared SQLite path (perStore) and the *Sync ones go.
import type { Db } from '../db/client';
import * as sqliteSchema from '../db/schema';
import type { Query, Tables } from '../db/store';
import { meetingAccess, meetingAccessSync, type Actor, type MeetingAccess } from '../policies/meeting-policy';
import { assertDocumentIdFor, assertDocumentIdForSync } from '../services/document-access';
import type { DocumentPurpose } from '../policies/document-policy';

const onSqlite = (t: Tables) => t === (sqliteSchema as Tables);

export function accessFor(q: Query, t: Tables, actor: Actor, meetingId: string): Promise<MeetingAccess> {
  if (onSqlite(t)) {
    try {
      return Promise.resolve(meetingAccessSync(q as unknown as Db, actor, meetingId));
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return meetingAccess(q, t, actor, meetingId);
}

export function documentAllowed(
  q: Query,
  t: Tables,
  access: MeetingAccess,
  documentId: string,
  purpose: DocumentPurpose,
): Promise<void> {
  if (onSqlite(t)) {
    try {
      assertDocumentIdForSync(q as unknown as Db, access, documentId, purpose);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return assertDocumentIdFor(q, t, access, documentId, purpose);
}
