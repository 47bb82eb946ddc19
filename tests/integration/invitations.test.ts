// The giấy mời (issue 15): officers issue it (a signed Decree 30 PDF, stored as a version, on the
// log), invitees are notified in the app and by e-mail (a real SMTP server in this process), reply
// over the live socket (absent with a reason, substitute, proxy), the secretary sees replies live,
// the chair sees expected attendance and quorum; a change of place is a new version that says what
// changed; calendars as .ics and a personal feed, read back with an independent parser (ical.js).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, max } from 'drizzle-orm';
import ICAL from 'ical.js';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session, type Session } from '../helpers/http';
import { barrier, command, connect, join, until, type LiveSocket } from '../helpers/live-client';
import { flat, pdfsig, pdftotext, writeTemp } from '../helpers/poppler';
import { parseMail, startSmtp, type TestSmtp } from '../helpers/smtp';

let smtp: TestSmtp;
let t: TestApp;
let mid: string;
const s = {} as Record<'admin' | 'chair' | 'secretary' | 'd1' | 'd2' | 'd3' | 'd4' | 'd5', Session>;
const sockets: LiveSocket[] = [];
/** The meeting's head seq as stored, through the Store (runs on either database). */
const headSeq = async () => {
  const [row] = await t.app.database.read((q, tt) =>
    q
      .select({ n: max(tt.meetingEvents.seq) })
      .from(tt.meetingEvents)
      .where(eq(tt.meetingEvents.meetingId, mid)),
  );
  return row?.n ?? 0;
};

function parseIcs(text: string) {
  const comp = new ICAL.Component(ICAL.parse(text));
  return comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

beforeAll(async () => {
  smtp = await startSmtp();
  t = await buildTestApp({
    listen: true,
    config: { smtpUrl: smtp.url, publicUrl: 'https://hop.example.test', mailPollMs: 60_000, minutesPlaceName: 'Ninh Bình' },
  });
  s.admin = await session(t.app, 'admin');
  s.chair = await session(t.app, 'chair');
  s.secretary = await session(t.app, 'secretary');
  for (const i of [1, 2, 3, 4, 5] as const) s[`d${i}`] = await session(t.app, `delegate${i}`);
  for (const i of [1, 2, 3, 4, 5])
    await s.admin.patch(`/api/users/${s[`d${i}` as 'd1'].userId}`, { email: `delegate${i}@example.test` });
  mid = (await s.secretary.get('/api/meetings')).json()[0].id;
  const upd = await s.secretary.patch(`/api/meetings/${mid}`, {
    startsAt: '2026-12-10T01:30:00.000Z',
    location: 'Phòng họp số 1, tầng 3',
    organization: 'Văn phòng',
  });
  expect(upd.statusCode).toBe(200);
});
afterAll(async () => {
  for (const so of sockets) so.close();
  await t?.close();
  await smtp?.close();
});

const issueBody = {
  number: '15/GM-UBND',
  parentAgency: 'Ủy ban nhân dân tỉnh Ninh Bình',
  contact: 'Đồng chí Lê Thị Văn Thư, điện thoại 0229 3871 234',
};

describe('giấy mời', () => {
  it('refuses anyone but officers, and bad input, changing nothing', async () => {
    const before = await headSeq();
    const d = await s.d1.post(`/api/meetings/${mid}/invitations`, issueBody);
    expect(d.statusCode).toBe(403);
    expect(d.json().error.code).toBe('FORBIDDEN');
    for (const body of [
      { number: '15/BB-UBND' },
      { number: '' },
      {},
      { ...issueBody, extra: 1 },
      { ...issueBody, contact: 'x'.repeat(501) },
    ]) {
      const r = await s.secretary.post(`/api/meetings/${mid}/invitations`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error.code).toBe('INVALID');
    }
    // not a member: the meeting does not exist for them
    const outsider = await (async () => {
      const admin = s.admin;
      const u = await admin.post('/api/users', { username: 'ngoai', fullName: 'Người Ngoài', password: 'matkhau123' });
      expect(u.statusCode).toBe(201);
      return session(t.app, 'ngoai', 'matkhau123');
    })();
    expect((await outsider.post(`/api/meetings/${mid}/invitations`, issueBody)).statusCode).toBe(404);
    expect((await outsider.get(`/api/meetings/${mid}/invitations`)).statusCode).toBe(404);
    // replying before anything was issued is refused with a code
    const so = await connect(t.url, { cookie: s.d1.cookie });
    sockets.push(so);
    await join(so, mid);
    const ack = await command(so, mid, 'invitation.reply', { status: 'attending' });
    expect(ack.ok ? 'ok' : ack.error.code).toBe('INVITATION_NOT_ISSUED');
    expect(await headSeq()).toBe(before);
    expect((await s.d1.get(`/api/meetings/${mid}/invitations/1/pdf`)).statusCode).toBe(404);
  });

  it('issues a signed PDF in the Decree 30 layout, on the log, notifying invitees in the app and by e-mail', async () => {
    const inbox = await connect(t.url, { cookie: s.d2.cookie });
    sockets.push(inbox);
    const pushes: unknown[] = [];
    inbox.on('notification', (m) => pushes.push(m));
    const res = await s.secretary.post(`/api/meetings/${mid}/invitations`, issueBody);
    expect(res.statusCode, res.body).toBe(201);
    const v1 = res.json();
    expect(v1).toMatchObject({ version: 1, number: '15/GM-UBND', location: 'Phòng họp số 1, tầng 3', changes: [] });

    const pdf = await s.d1.get(`/api/meetings/${mid}/invitations/1/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const file = writeTemp(pdf.rawPayload, 'giay-moi.pdf');
    if (process.env.INVITE_PDF_OUT)
      (await import('node:fs')).writeFileSync(`${process.env.INVITE_PDF_OUT}/giay-moi-v1.pdf`, pdf.rawPayload);
    const text = flat(pdftotext(file));
    // the header's two columns, each read on its own (crop boxes in points)
    const leftHead = flat(pdftotext(file, ['-f', '1', '-l', '1', '-x', '0', '-y', '0', '-W', '272', '-H', '140'])).trim();
    expect(leftHead).toBe('ỦY BAN NHÂN DÂN TỈNH NINH BÌNH VĂN PHÒNG Số: 15/GM-UBND');
    const rightHead = flat(pdftotext(file, ['-f', '1', '-l', '1', '-x', '272', '-y', '0', '-W', '323', '-H', '140'])).trim();
    expect(rightHead).toMatch(
      /^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Ninh Bình, ngày \d\d tháng \d+ năm 20\d\d$/,
    );
    for (const phrase of [
      'GIẤY MỜI Họp giao ban tháng 11 Kính gửi: Các thành viên dự họp theo danh sách',
      'Văn phòng trân trọng kính mời tham dự cuộc họp giao ban tháng 11, cụ thể như sau:',
      '1. Thời gian: 08 giờ 30 phút, ngày 10 tháng 12 năm 2026.',
      '2. Địa điểm: Phòng họp số 1, tầng 3.',
      '3. Chủ trì:',
      '4. Thành phần:',
      '5. Nội dung:',
      '6. Tài liệu: gửi trên hệ thống Họp Số',
      'Liên hệ: Đồng chí Lê Thị Văn Thư, điện thoại 0229 3871 234.',
      'Nơi nhận:',
      '- Lưu: VT.',
      'THƯ KÝ',
      '(Ký, ghi rõ họ tên)',
    ])
      expect(text, phrase).toContain(phrase);
    const sig = pdfsig(file);
    expect(sig).toContain('Signature Validation: Signature is Valid.');
    expect(sig).toContain('Total document signed');

    // on the log, for everyone
    const log = (await s.secretary.get(`/api/meetings/${mid}/events`)).json();
    const ev = log.events.find((e: { type: string }) => e.type === 'invitation.issue');
    expect(ev.payload).toMatchObject({ version: 1, number: '15/GM-UBND', sha256: v1.sha256 });
    expect(log.verified).toBe(true);

    // notified: in the app (live), and by e-mail (everyone but the issuer with an address: the five delegates)
    await until(() => pushes.length === 1);
    expect(pushes[0]).toMatchObject({
      notification: { kind: 'invitation.issued', meetingId: mid, link: `/meetings/${mid}`, params: { number: '15/GM-UBND' } },
    });
    expect((await s.secretary.get('/api/me/notifications/unread-count')).json().unread).toBe(0);
    await until(() => smtp.received.length === 5);
    expect(smtp.received.flatMap((m) => m.to).sort()).toEqual([1, 2, 3, 4, 5].map((i) => `delegate${i}@example.test`));
    const mail = await parseMail(smtp.received[0]!.raw);
    expect(mail.subject).toContain('Giấy mời họp:');
    expect(mail.text).toContain(`https://hop.example.test/meetings/${mid}`);
    expect(smtp.received[0]!.raw).not.toMatch(/Content-Disposition: attachment/i);

    // unchanged: no second version
    const again = await s.secretary.post(`/api/meetings/${mid}/invitations`, issueBody);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('INVITATION_UNCHANGED');
  });

  it('takes replies as live commands: the secretary sees them at once, other members do not', async () => {
    const sec = await connect(t.url, { cookie: s.secretary.cookie });
    const d1 = await connect(t.url, { cookie: s.d1.cookie });
    const d2 = await connect(t.url, { cookie: s.d2.cookie });
    sockets.push(sec, d1, d2);
    for (const so of [sec, d1, d2]) await join(so, mid);

    const before = await headSeq();
    for (const bad of [
      { status: 'absent' },
      { status: 'absent', reason: '' },
      { status: 'maybe' },
      { status: 'absent', reason: 'x'.repeat(501) },
      { status: 'attending', reason: 'vì' },
      { status: 'substitute' },
      { status: 'substitute', substituteUsername: 'không có' },
      null,
      'attending',
    ]) {
      const ack = await command(d1, mid, 'invitation.reply', bad as never);
      expect(ack.ok ? 'ok' : ack.error.code, JSON.stringify(bad)).toBe('INVALID');
    }
    const unknown = await command(d1, mid, 'invitation.reply', { status: 'substitute', substituteUsername: 'khongton.tai' });
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('INVALID');
    expect(await headSeq()).toBe(before);

    const ack = await command(d1, mid, 'invitation.reply', { status: 'absent', reason: 'Đi công tác tại Hà Nội' });
    expect(ack.ok).toBe(true);
    await until(() => sec.events.some((e) => e.type === 'invitation.reply'));
    expect(sec.events.find((e) => e.type === 'invitation.reply')!.payload).toMatchObject({
      memberId: s.d1.userId,
      status: 'absent',
      reason: 'Đi công tác tại Hà Nội',
      version: 1,
    });
    await barrier(d2);
    expect(d2.events.filter((e) => e.type === 'invitation.reply')).toEqual([]);
    // a delegate's overview holds their own reply only; the secretary's everyone's
    const mine = (await s.d2.get(`/api/meetings/${mid}/invitations`)).json();
    expect(mine.replies.map((r: { userId: string }) => r.userId)).toEqual([s.d2.userId]);
    expect(mine.expected).toBeNull();
    const all = (await s.secretary.get(`/api/meetings/${mid}/invitations`)).json();
    expect(all.replies.find((r: { userId: string }) => r.userId === s.d1.userId)).toMatchObject({
      status: 'absent',
      reason: 'Đi công tác tại Hà Nội',
    });
  });

  it('a substitute sees nothing until the chair or secretary approves, then attends with the member’s role', async () => {
    expect(
      (await s.admin.post('/api/users', { username: 'pho.phong', fullName: 'Phạm Văn Phó', password: 'matkhau123' })).statusCode,
    ).toBe(201);
    const deputy = await session(t.app, 'pho.phong', 'matkhau123');
    const d3 = await connect(t.url, { cookie: s.d3.cookie });
    const d4 = await connect(t.url, { cookie: s.d4.cookie });
    const sec = await connect(t.url, { cookie: s.secretary.cookie });
    sockets.push(d3, d4, sec);
    for (const so of [d3, d4, sec]) await join(so, mid);
    expect(
      (
        await command(d3, mid, 'invitation.reply', {
          status: 'substitute',
          substituteUsername: 'pho.phong',
          reason: 'Bận tiếp khách',
        })
      ).ok,
    ).toBe(true);
    expect((await deputy.get(`/api/meetings/${mid}`)).statusCode).toBe(404);
    expect((await deputy.get(`/api/meetings/${mid}/invitations/1/pdf`)).statusCode).toBe(404);
    const ds = await connect(t.url, { cookie: deputy.cookie });
    sockets.push(ds);
    const refused = await join(ds, mid);
    expect(refused.ok ? 'ok' : refused.error.code).toBe('NOT_FOUND');
    // only officers approve
    const byMember = await command(d4, mid, 'invitation.approveSubstitute', { memberId: s.d3.userId });
    expect(byMember.ok ? 'ok' : byMember.error.code).toBe('FORBIDDEN');
    expect((await command(sec, mid, 'invitation.approveSubstitute', { memberId: s.d4.userId })).ok).toBe(false);
    expect((await command(sec, mid, 'invitation.approveSubstitute', { memberId: s.d3.userId })).ok).toBe(true);
    const m = await deputy.get(`/api/meetings/${mid}`);
    expect(m.statusCode).toBe(200);
    expect(m.json().meeting.role).toBe('participant');
    // a proxy before the meeting: the room's own command and rules
    expect((await command(d4, mid, 'proxy.grant', { toUserId: s.d2.userId })).ok).toBe(true);
    const d2 = await connect(t.url, { cookie: s.d2.cookie });
    sockets.push(d2);
    await join(d2, mid);
    expect((await command(d2, mid, 'invitation.reply', { status: 'attending' })).ok).toBe(true);
  });

  it('shows the chair the expected attendance and whether the quorum is expected', async () => {
    const o = (await s.chair.get(`/api/meetings/${mid}/invitations`)).json();
    const byId = Object.fromEntries(o.replies.map((r: { userId: string }) => [r.userId, r]));
    expect(byId[s.d1.userId]).toMatchObject({ status: 'absent' });
    expect(byId[s.d3.userId]).toMatchObject({ status: 'substitute', substituteName: 'Phạm Văn Phó', substituteApproved: true });
    expect(byId[s.d4.userId]).toMatchObject({ status: 'proxy' });
    expect(byId[s.d2.userId]).toMatchObject({ status: 'attending' });
    // voting members: chair + 5 delegates (the approved substitute sits in delegate3's seat)
    expect(o.expected).toMatchObject({ members: 6, attending: 1, absent: 1, substitute: 1, proxy: 1, noReply: 2 });
    // coming: delegate2, delegate3 (by substitute), delegate4 (proxy held by delegate2) = 3 of 6, quorum needs 4
    expect(o.expected.quorum).toMatchObject({ members: 6, present: 3, required: 4, reached: false });
    const chairSock = await connect(t.url, { cookie: s.chair.cookie });
    sockets.push(chairSock);
    await join(chairSock, mid);
    expect((await command(chairSock, mid, 'invitation.reply', { status: 'attending' })).ok).toBe(true);
    const o2 = (await s.chair.get(`/api/meetings/${mid}/invitations`)).json();
    expect(o2.expected.quorum).toMatchObject({ present: 4, reached: true });
  });

  it('a change of place is a new version that says what changed; the .ics SEQUENCE follows', async () => {
    const ics1 = await s.d1.get(`/api/meetings/${mid}/calendar.ics`);
    expect(ics1.statusCode).toBe(200);
    expect(ics1.headers['content-type']).toMatch(/^text\/calendar/);
    const [e1] = parseIcs(ics1.body);
    expect(e1!.summary).toBeTruthy();
    expect(e1!.location).toBe('Phòng họp số 1, tầng 3');
    expect(e1!.sequence).toBe(0);
    expect(e1!.startDate.toJSDate().toISOString()).toBe('2026-12-10T01:30:00.000Z');

    const mails = smtp.received.length;
    const seqBefore = await headSeq();
    // the place changed from the meeting's edit form: the change notice goes out by itself (version
    // 2, the same number, signed by the officer who edited), with its notifications and e-mails
    expect((await s.secretary.patch(`/api/meetings/${mid}`, { location: 'Hội trường A' })).statusCode).toBe(200);
    const overview = (await s.secretary.get(`/api/meetings/${mid}/invitations`)).json();
    expect(overview.changedSinceIssue).toEqual([]);
    expect(overview.versions[0]).toMatchObject({
      version: 2,
      number: '15/GM-UBND',
      changes: ['location'],
      location: 'Hội trường A',
    });
    expect(await headSeq()).toBe(seqBefore + 1);
    // the office issuing it by hand as well does not notify twice
    const res = await s.chair.post(`/api/meetings/${mid}/invitations`, { number: '16/GM-UBND' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('INVITATION_UNCHANGED');
    // an edit that changes neither time, place nor title issues nothing
    expect((await s.secretary.patch(`/api/meetings/${mid}`, { organization: 'Văn phòng UBND' })).statusCode).toBe(200);
    expect((await s.secretary.get(`/api/meetings/${mid}/invitations`)).json().versions).toHaveLength(2);
    expect(await headSeq()).toBe(seqBefore + 1);
    const v2pdf = (await s.d2.get(`/api/meetings/${mid}/invitations/2/pdf`)).rawPayload;
    // INVITE_PDF_OUT=dir keeps the issued files for a look (the note's rendered page)
    if (process.env.INVITE_PDF_OUT)
      (await import('node:fs')).writeFileSync(`${process.env.INVITE_PDF_OUT}/giay-moi-v2.pdf`, v2pdf);
    const text = flat(pdftotext(writeTemp(v2pdf)));
    expect(text).toContain('(Thông báo thay đổi địa điểm; thay thế Giấy mời số 15/GM-UBND ngày');
    expect(text).toContain('2. Địa điểm: Hội trường A.');
    expect(text).toContain('THƯ KÝ');
    const list = (await s.d1.get('/api/me/notifications?limit=5')).json();
    expect(list.items[0]).toMatchObject({
      kind: 'invitation.changed',
      params: { number: '15/GM-UBND', changesVi: 'địa điểm', changesEn: 'place' },
    });
    expect(list.items.filter((n: { kind: string }) => n.kind === 'invitation.changed')).toHaveLength(1);
    await until(() => smtp.received.length === mails + 5);
    const changed = await parseMail(smtp.received.at(-1)!.raw);
    expect(changed.subject).toContain('Thông báo thay đổi giấy mời');
    expect(changed.text).toContain('Thay đổi: địa điểm');
    const [e2] = parseIcs((await s.d1.get(`/api/meetings/${mid}/calendar.ics`)).body);
    expect(e2!.sequence).toBe(1);
    expect(e2!.uid).toBe(e1!.uid);
  });

  it('a personal feed: secret URL, calendar data only, rotated and revoked', async () => {
    expect((await s.d1.get('/api/me/calendar-feed')).json()).toEqual({ active: false, createdAt: null });
    const made = (await s.d1.post('/api/me/calendar-feed')).json();
    expect(made.url).toMatch(/^https:\/\/hop\.example\.test\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const path = new URL(made.url).pathname;
    const feed = await t.app.inject({ method: 'GET', url: path }); // no cookie: the token is the credential
    expect(feed.statusCode).toBe(200);
    const events = parseIcs(feed.body);
    expect(events.map((e) => e.location)).toContain('Hội trường A');
    expect(events.every((e) => e.uid.endsWith('@hop.example.test'))).toBe(true);
    // calendar data only: no reasons, replies or members' names
    expect(feed.body).not.toContain('Đi công tác');
    expect(feed.body).not.toContain('Phạm Văn Phó');
    // the token opens nothing else
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/meetings/${mid}`,
          headers: { authorization: `Bearer ${path.slice(14, -4)}` },
        })
      ).statusCode,
    ).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: path })).statusCode).toBe(404);
    // bad and unknown tokens
    expect((await t.app.inject({ method: 'GET', url: '/api/calendar/short.ics' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/api/calendar/${'A'.repeat(43)}.ics` })).statusCode).toBe(404);
    // rotated: the old URL stops working
    const next = (await s.d1.post('/api/me/calendar-feed')).json();
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    const nextPath = new URL(next.url).pathname;
    expect((await t.app.inject({ method: 'GET', url: nextPath })).statusCode).toBe(200);
    expect((await s.d1.del('/api/me/calendar-feed')).json()).toEqual({ active: false, createdAt: null });
    expect((await t.app.inject({ method: 'GET', url: nextPath })).statusCode).toBe(404);
  });

  it('closes replies once the meeting starts', async () => {
    const chairSock = await connect(t.url, { cookie: s.chair.cookie });
    const d5 = await connect(t.url, { cookie: s.d5.cookie });
    sockets.push(chairSock, d5);
    await join(chairSock, mid);
    await join(d5, mid);
    expect((await command(chairSock, mid, 'meeting.start', {})).ok).toBe(true);
    const ack = await command(d5, mid, 'invitation.reply', { status: 'attending' });
    expect(ack.ok ? 'ok' : ack.error.code).toBe('CONFLICT');
    expect((await s.secretary.post(`/api/meetings/${mid}/invitations`, { number: '17/GM-UBND' })).statusCode).toBe(409);
  });
});
