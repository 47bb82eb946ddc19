// Seeds an empty database with the demo accounts and meeting of the public contract (README,
// the demo accounts). Never runs in production (see config.seedDemo).
//
// On the asynchronous Store (server/db/store.ts), SQLite and PostgreSQL alike, in two phases:
//  1. the slow work outside any transaction: the password hashes (scrypt) and the demo PDFs
//     (pdf-lib, written to the content-addressed file store; a file left by a crash is harmless:
//     the next run writes the same bytes under the same name);
//  2. ONE write transaction that checks again that there are no accounts and inserts everything:
//     the accounts, the meeting, its members, the documents' rows and the agenda. A crash or an
//     error rolls all of it back, so there is never a half-seeded demo, and a database that has
//     any account (seeded or a real one) is never touched. Two processes starting at once on one
//     PostgreSQL database: the writes share the global lock key (null), so the second one waits,
//     then finds the accounts and does nothing.
import { count } from 'drizzle-orm';
import { type Query, type Store, type Tables } from '../db/store';
import type { DocumentStore } from '../services/document-store';
import { hashPassword } from '../services/passwords';
import { createMeeting } from '../services/meetings';
import { addMember } from '../services/members';
import { attachDocument, createAgendaItem } from '../services/agenda';
import { newId, nowIso } from '../ids';
import type { MeetingRole } from '../../shared/roles';

export const DEMO_PASSWORD = 'demo1234';
export const DEMO_MEETING_TITLE = 'Họp giao ban tháng 11';

// the chair and the secretary are organisers: they prepare meetings of their own (issue 21)
const ACCOUNTS: { username: string; fullName: string; role: MeetingRole | null; isAdmin?: boolean; isOrganiser?: boolean }[] = [
  { username: 'admin', fullName: 'Quản trị hệ thống', role: null, isAdmin: true },
  { username: 'chair', fullName: 'Nguyễn Văn An', role: 'chair', isOrganiser: true },
  { username: 'secretary', fullName: 'Trần Thị Bình', role: 'secretary', isOrganiser: true },
  { username: 'delegate1', fullName: 'Lê Văn Cường', role: 'participant' },
  { username: 'delegate2', fullName: 'Phạm Thị Dung', role: 'participant' },
  { username: 'delegate3', fullName: 'Hoàng Văn Em', role: 'participant' },
  { username: 'delegate4', fullName: 'Vũ Thị Giang', role: 'participant' },
  { username: 'delegate5', fullName: 'Đặng Văn Hùng', role: 'participant' },
];

const AGENDA_TITLES = [
  'Báo cáo kết quả công tác tháng 11 và nhiệm vụ tháng 12',
  'Thảo luận Dự thảo Kế hoạch chuyển đổi số năm 2027',
  'Xem xét Tờ trình phê duyệt dự toán kinh phí họp không giấy tờ',
];

const hasAccounts = async (q: Query, t: Tables) => ((await q.select({ n: count() }).from(t.users))[0]?.n ?? 0) > 0;

/** Returns true when it seeded (the database had no users). */
export async function seedDemo(database: Store, files: DocumentStore, log: (msg: string) => void): Promise<boolean> {
  if (await database.read(hasAccounts)) return false;

  // 1. the slow work, outside any transaction
  const accounts = await Promise.all(
    ACCOUNTS.map(async (a) => ({
      ...a,
      id: newId(),
      isAdmin: a.isAdmin ?? false,
      isOrganiser: a.isOrganiser ?? false,
      passwordHash: await hashPassword(DEMO_PASSWORD),
    })),
  );
  // pdf-lib and fontkit load only when a database is seeded, never in a server that does not seed
  const { DEMO_DOCUMENTS, makeDemoDocument } = await import('./demo-documents');
  const docs: { spec: (typeof DEMO_DOCUMENTS)[number]; sha256: string; size: number }[] = [];
  for (const spec of DEMO_DOCUMENTS) docs.push({ spec, ...(await files.putBytes(await makeDemoDocument(spec))) });

  const startsAt = new Date();
  startsAt.setUTCHours(1, 30, 0, 0); // 08:30 in Vietnam (UTC+7)

  // 2. everything in the database at once, or nothing
  const seeded = await database.write(null, async (tx, t) => {
    if (await hasAccounts(tx, t)) return false; // another process seeded meanwhile
    const now = nowIso();
    // the rows services/users.createUser would write (owner: accounts), with the hashes made above
    await tx.insert(t.users).values(
      accounts.map((a) => ({
        id: a.id,
        username: a.username,
        fullName: a.fullName,
        passwordHash: a.passwordHash,
        isAdmin: a.isAdmin,
        isOrganiser: a.isOrganiser,
        createdAt: now,
      })),
    );
    const admin = accounts[0]!;
    const chair = accounts[1]!;
    const meeting = await createMeeting(tx, t, admin, {
      title: DEMO_MEETING_TITLE,
      kind: 'briefing',
      startsAt: startsAt.toISOString(),
      location: 'Phòng họp số 1, tầng 3, trụ sở Văn phòng',
      organization: 'Văn phòng Ủy ban nhân dân tỉnh',
    });
    for (const a of accounts) if (a.role) await addMember(tx, t, meeting.id, a.username, a.role);
    for (const [i, { spec, sha256, size }] of docs.entries()) {
      // the row services/documents.recordDocument would write (owner: documents)
      const documentId = newId();
      await tx.insert(t.documents).values({
        id: documentId,
        meetingId: meeting.id,
        sha256,
        size,
        filename: spec.filename,
        title: spec.title,
        pageCount: spec.pages,
        uploadedBy: admin.id,
        createdAt: now,
        // circulated to the members already: the demo shows a meeting ready to hold
        publishedAt: now,
      });
      const item = await createAgendaItem(tx, t, meeting.id, {
        title: AGENDA_TITLES[i]!,
        presenterId: i === 1 ? accounts[3]!.id : chair.id,
        durationMinutes: 20,
      });
      await attachDocument(tx, t, meeting.id, item.id, documentId);
    }
    return true;
  });
  if (seeded)
    log(
      `Demo data seeded: meeting "${DEMO_MEETING_TITLE}". Accounts (password "${DEMO_PASSWORD}"): ${ACCOUNTS.map((a) => a.username).join(', ')}`,
    );
  return seeded;
}
