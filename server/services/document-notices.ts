// Who is told about a circulated document, and what (issue 15): on publishing, every member but
// the officer who published; a reminder, the members who have not opened it. The notification
// service (server/notifications) stores, pushes and e-mails; this only picks people and params.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { meetingMembers, meetings } from '../db/schema';
import type { NotifyInput } from '../notifications/notification-service';
import type { DocumentInfo, DocumentReads } from '../../shared/api';

const meetingTitle = (db: Db, meetingId: string) =>
  db.select({ title: meetings.title }).from(meetings).where(eq(meetings.id, meetingId)).get()?.title ?? '';

const params = (db: Db, doc: DocumentInfo) => ({
  title: doc.title ?? doc.filename,
  meeting: meetingTitle(db, doc.meetingId),
  version: doc.version,
});
const link = (doc: DocumentInfo) => `/meetings/${doc.meetingId}`;

/** The notice that `doc` was published: every member of its meeting but `publisherId`. */
export function publishedNotice(db: Db, doc: DocumentInfo, publisherId: string): NotifyInput {
  const userIds = db
    .select({ userId: meetingMembers.userId })
    .from(meetingMembers)
    .where(eq(meetingMembers.meetingId, doc.meetingId))
    .all()
    .map((m) => m.userId)
    .filter((id) => id !== publisherId);
  return { userIds, kind: 'document.published', meetingId: doc.meetingId, params: params(db, doc), link: link(doc) };
}

/** The reminder to the members who have not opened `doc` yet (never the one who sends it). */
export function reminderNotice(db: Db, doc: DocumentInfo, reads: DocumentReads, senderId: string): NotifyInput {
  const userIds = reads.readers.filter((r) => r.pagesViewed === 0 && r.userId !== senderId).map((r) => r.userId);
  return { userIds, kind: 'document.reminder', meetingId: doc.meetingId, params: params(db, doc), link: link(doc) };
}
