// Seeds an empty database with the demo accounts and meeting of the public contract (README,
// the demo accounts). Never runs in production (see config.seedDemo).
import { count } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import type { DocumentStore } from '../services/document-store';
import { createUserSync } from '../services/users';
import { createMeeting } from '../services/meetings';
import { addMember } from '../services/members';
import { attachDocument, createAgendaItem } from '../services/agenda';
import { recordDocument } from '../services/documents';
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

/** Returns true when it seeded (the database had no users). */
export async function seedDemo(db: Db, store: DocumentStore, log: (msg: string) => void): Promise<boolean> {
  const existing = db.select({ n: count() }).from(users).get();
  if ((existing?.n ?? 0) > 0) return false;

  const made = [];
  for (const a of ACCOUNTS) made.push({ ...a, user: await createUserSync(db, { ...a, password: DEMO_PASSWORD }) });
  const admin = made[0]!.user;
  const chair = made[1]!.user;

  const startsAt = new Date();
  startsAt.setUTCHours(1, 30, 0, 0); // 08:30 in Vietnam (UTC+7)
  const meeting = createMeeting(db, admin, {
    title: DEMO_MEETING_TITLE,
    kind: 'briefing',
    startsAt: startsAt.toISOString(),
    location: 'Phòng họp số 1, tầng 3, trụ sở Văn phòng',
    organization: 'Văn phòng Ủy ban nhân dân tỉnh',
  });
  for (const a of made) if (a.role) addMember(db, meeting.id, a.username, a.role);

  const titles = [
    'Báo cáo kết quả công tác tháng 11 và nhiệm vụ tháng 12',
    'Thảo luận Dự thảo Kế hoạch chuyển đổi số năm 2027',
    'Xem xét Tờ trình phê duyệt dự toán kinh phí họp không giấy tờ',
  ];
  // pdf-lib and fontkit load only when a database is seeded, never in a server that does not seed
  const { DEMO_DOCUMENTS, makeDemoDocument } = await import('./demo-documents');
  for (const [i, spec] of DEMO_DOCUMENTS.entries()) {
    const bytes = await makeDemoDocument(spec);
    const { sha256, size } = await store.putBytes(bytes);
    const doc = recordDocument(db, {
      meetingId: meeting.id,
      sha256,
      size,
      filename: spec.filename,
      title: spec.title,
      pageCount: spec.pages,
      uploadedBy: admin.id,
      // circulated to the members already: the demo shows a meeting ready to hold
      publishedAt: new Date().toISOString(),
    });
    const item = createAgendaItem(db, meeting.id, {
      title: titles[i]!,
      presenterId: i === 1 ? made[3]!.user.id : chair.id,
      durationMinutes: 20,
    });
    attachDocument(db, meeting.id, item.id, doc.id);
  }

  log(
    `Demo data seeded: meeting "${DEMO_MEETING_TITLE}". Accounts (password "${DEMO_PASSWORD}"): ${ACCOUNTS.map((a) => a.username).join(', ')}`,
  );
  return true;
}
