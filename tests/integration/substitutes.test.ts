// Substitutes (cử người dự thay, issue 15) on the real app with real sockets and a real SMTP server:
// the chair or secretary approves or refuses the person a member names; the substitute and the member
// are told in the app and by e-mail (nobody else, nobody twice); a refused substitute still sees
// nothing and the member replies again. Quorum counts one seat: the approved substitute in place of
// the member, who keeps reading as an observer without a vote — even if both of them check in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session, type Session } from '../helpers/http';
import { command, connect, join, until, type LiveSocket } from '../helpers/live-client';
import { parseMail, startSmtp, type TestSmtp } from '../helpers/smtp';

let smtp: TestSmtp;
let t: TestApp;
let mid: string;
const s = {} as Record<'admin' | 'chair' | 'secretary' | 'd3' | 'd4' | 'deputy' | 'head', Session>;
const sockets: LiveSocket[] = [];
let sec: LiveSocket, d3: LiveSocket, d4: LiveSocket;

const notes = async (who: Session) =>
  (await who.get('/api/me/notifications?limit=20')).json().items as {
    kind: string;
    link: string;
    params: Record<string, unknown>;
  }[];
const mailsTo = (addr: string) => smtp.received.filter((m) => m.to.includes(addr));
const sock = async (who: Session) => {
  const so = await connect(t.url, { cookie: who.cookie });
  sockets.push(so);
  await join(so, mid);
  return so;
};
const code = (ack: { ok: boolean; error?: { code: string } }) => (ack.ok ? 'ok' : ack.error!.code);

beforeAll(async () => {
  smtp = await startSmtp();
  t = await buildTestApp({
    listen: true,
    config: { smtpUrl: smtp.url, publicUrl: 'https://hop.example.test', mailPollMs: 60_000 },
  });
  for (const k of ['admin', 'chair', 'secretary'] as const) s[k] = await session(t.app, k);
  s.d3 = await session(t.app, 'delegate3');
  s.d4 = await session(t.app, 'delegate4');
  for (const [username, fullName] of [
    ['pho.phong', 'Phạm Văn Phó'],
    ['truong.phong', 'Lý Thị Trưởng'],
  ]) {
    expect(
      (await s.admin.post('/api/users', { username, fullName, password: 'matkhau123', email: `${username}@example.test` }))
        .statusCode,
    ).toBe(201);
  }
  s.deputy = await session(t.app, 'pho.phong', 'matkhau123');
  s.head = await session(t.app, 'truong.phong', 'matkhau123');
  await s.admin.patch(`/api/users/${s.d3.userId}`, { email: 'delegate3@example.test' });
  await s.admin.patch(`/api/users/${s.d4.userId}`, { email: 'delegate4@example.test' });
  mid = (await s.secretary.get('/api/meetings')).json()[0].id;
  expect(
    (await s.secretary.patch(`/api/meetings/${mid}`, { startsAt: '2026-12-10T01:30:00.000Z', location: 'Phòng họp số 1' }))
      .statusCode,
  ).toBe(200);
  expect((await s.secretary.post(`/api/meetings/${mid}/invitations`, { number: '15/GM-UBND' })).statusCode).toBe(201);
  sec = await sock(s.secretary);
  d3 = await sock(s.d3);
  d4 = await sock(s.d4);
  expect(
    code(
      await command(d3, mid, 'invitation.reply', {
        status: 'substitute',
        substituteUsername: 'pho.phong',
        reason: 'Bận tiếp khách',
      }),
    ),
  ).toBe('ok');
  expect(code(await command(d4, mid, 'invitation.reply', { status: 'substitute', substituteUsername: 'truong.phong' }))).toBe(
    'ok',
  );
  await until(() => smtp.received.length >= 2); // the invitation's own mails to delegate3 and delegate4
}, 60_000);
afterAll(async () => {
  for (const so of sockets) so.close();
  await t?.close();
  await smtp?.close();
});

describe('refusing a substitute', () => {
  it('is for the chair and the secretary; bad payloads are INVALID; nothing is recorded or sent', async () => {
    const mails = smtp.received.length;
    expect(code(await command(d4, mid, 'invitation.refuseSubstitute', { memberId: s.d4.userId }))).toBe('FORBIDDEN');
    for (const bad of [
      {},
      { memberId: s.d4.userId, reason: '' },
      { memberId: s.d4.userId, reason: 'x'.repeat(501) },
      { memberId: s.d4.userId, extra: 1 },
    ]) {
      expect(code(await command(sec, mid, 'invitation.refuseSubstitute', bad as never)), JSON.stringify(bad)).toBe('INVALID');
    }
    // a member who named nobody
    expect(code(await command(sec, mid, 'invitation.refuseSubstitute', { memberId: s.chair.userId }))).toBe('CONFLICT');
    expect((await notes(s.head)).filter((n) => n.kind.startsWith('substitute.'))).toEqual([]);
    expect(smtp.received.length).toBe(mails);
  });

  it('tells the substitute and the member (app and e-mail); the member replies again; the substitute still sees nothing', async () => {
    expect(
      code(await command(sec, mid, 'invitation.refuseSubstitute', { memberId: s.d4.userId, reason: 'Không cùng đơn vị' })),
    ).toBe('ok');
    const [toSub] = (await notes(s.head)).filter((n) => n.kind.startsWith('substitute.'));
    expect(toSub).toMatchObject({
      kind: 'substitute.refused',
      link: '/',
      params: { member: 'Vũ Thị Giang', reason: 'Không cùng đơn vị' },
    });
    const toMember = (await notes(s.d4)).filter((n) => n.kind.startsWith('substitute.'));
    expect(toMember).toHaveLength(1);
    expect(toMember[0]).toMatchObject({
      kind: 'substitute.refused.member',
      link: `/meetings/${mid}`,
      params: { substitute: 'Lý Thị Trưởng' },
    });
    await until(() => mailsTo('truong.phong@example.test').length === 1 && mailsTo('delegate4@example.test').length === 2);
    const mail = await parseMail(mailsTo('truong.phong@example.test')[0]!.raw);
    expect(mail.subject).toContain('Không được duyệt dự họp thay');
    expect(mail.text).toContain('Lý do: Không cùng đơn vị');
    // the reply is cleared: the member has to reply again
    const o = (await s.secretary.get(`/api/meetings/${mid}/invitations`)).json();
    expect(o.replies.find((r: { userId: string }) => r.userId === s.d4.userId)).toMatchObject({
      status: null,
      substituteName: null,
    });
    expect((await s.head.get(`/api/meetings/${mid}`)).statusCode).toBe(404);
    // refused once: not again, and not approved after
    expect(code(await command(sec, mid, 'invitation.refuseSubstitute', { memberId: s.d4.userId }))).toBe('CONFLICT');
    expect(code(await command(sec, mid, 'invitation.approveSubstitute', { memberId: s.d4.userId }))).toBe('CONFLICT');
    expect(code(await command(d4, mid, 'invitation.reply', { status: 'attending' }))).toBe('ok');
  });
});

describe('approving a substitute', () => {
  it('tells the substitute and the member, once each, in the app and by e-mail', async () => {
    const before = smtp.received.length;
    expect(code(await command(sec, mid, 'invitation.approveSubstitute', { memberId: s.d3.userId }))).toBe('ok');
    const toSub = (await notes(s.deputy)).filter((n) => n.kind.startsWith('substitute.'));
    expect(toSub).toHaveLength(1);
    expect(toSub[0]).toMatchObject({
      kind: 'substitute.approved',
      link: `/meetings/${mid}`,
      params: { member: 'Hoàng Văn Em', location: 'Phòng họp số 1' },
    });
    expect((await notes(s.d3)).filter((n) => n.kind.startsWith('substitute.')).map((n) => n.kind)).toEqual([
      'substitute.approved.member',
    ]);
    // nobody else is told
    expect(
      (await notes(s.d4)).filter((n) => n.kind === 'substitute.approved' || n.kind === 'substitute.approved.member'),
    ).toEqual([]);
    await until(() => smtp.received.length === before + 2);
    expect(
      smtp.received
        .slice(before)
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(['delegate3@example.test', 'pho.phong@example.test']);
    expect((await parseMail(mailsTo('pho.phong@example.test')[0]!.raw)).subject).toContain('Được duyệt dự họp thay');
    // the substitute is a participant now; the member reads on as an observer
    expect((await s.deputy.get(`/api/meetings/${mid}`)).json().meeting.role).toBe('participant');
    expect((await s.d3.get(`/api/meetings/${mid}`)).json().meeting.role).toBe('observer');
  });

  it('quorum counts the seat once: expected before the meeting, and in the room even if both check in', async () => {
    // voting seats: the chair and five delegates; delegate3's seat is held by the substitute
    const o = (await s.chair.get(`/api/meetings/${mid}/invitations`)).json();
    expect(o.expected).toMatchObject({ members: 6, substitute: 1 });
    expect(o.expected.quorum).toMatchObject({ members: 6, present: 2 }); // delegate3's seat (by substitute) and delegate4
    const chair = await sock(s.chair);
    expect(code(await command(chair, mid, 'meeting.start', {}))).toBe('ok');
    for (const userId of [s.d3.userId, s.deputy.userId]) {
      expect(code(await command(sec, mid, 'attendance.mark', { userId, status: 'present' }))).toBe('ok');
    }
    await t.app.database.read((q, tt) => t.app.live.runtime.refreshMembers(q, tt, mid));
    expect(t.app.live.quorum(mid)).toMatchObject({ members: 6, present: 1 });
    expect(code(await command(sec, mid, 'attendance.mark', { userId: s.chair.userId, status: 'present' }))).toBe('ok');
    expect(t.app.live.quorum(mid)).toMatchObject({ members: 6, present: 2 });
  });
});
