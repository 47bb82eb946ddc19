// Who is told about a circulated document, and what (issue 15): on publishing, every member but
// the officer who published; a reminder, the members who have not opened it. The notification
// service (server/notifications) stores, pushes and e-mails; this only picks people and params.
import { eq } from 'drizzle-orm';
import type { Query, Tables } from '../db/store';
import type { NotifyInput } from '../notifications/notification-service';
import type { DocumentInfo, DocumentReads } from '../../shared/api';

async function params(q: Query, t: Tables, doc: DocumentInfo) {
  const [m] = await q.select({ title: t.meetings.title }).from(t.meetings).where(eq(t.meetings.id, doc.meetingId));
  return { title: doc.title ?? doc.filename, meeting: m?.title ?? '', version: doc.version };
}
const link = (doc: DocumentInfo) => `/meetings/${doc.meetingId}`;

/** The notice that `doc` was published: every member of its meeting but `publisherId`. */
export async function publishedNotice(q: Query, t: Tables, doc: DocumentInfo, publisherId: string): Promise<NotifyInput> {
  const members = await q
    .select({ userId: t.meetingMembers.userId })
    .from(t.meetingMembers)
    .where(eq(t.meetingMembers.meetingId, doc.meetingId))
    .orderBy(t.meetingMembers.userId);
  const userIds = members.map((m) => m.userId).filter((id) => id !== publisherId);
  return { userIds, kind: 'document.published', meetingId: doc.meetingId, params: await params(q, t, doc), link: link(doc) };
}

/** The reminder to the members who have not opened `doc` yet (never the one who sends it). */
export async function reminderNotice(
  q: Query,
  t: Tables,
  doc: DocumentInfo,
  reads: DocumentReads,
  senderId: string,
): Promise<NotifyInput> {
  const userIds = reads.readers.filter((r) => r.pagesViewed === 0 && r.userId !== senderId).map((r) => r.userId);
  return { userIds, kind: 'document.reminder', meetingId: doc.meetingId, params: await params(q, t, doc), link: link(doc) };
}
