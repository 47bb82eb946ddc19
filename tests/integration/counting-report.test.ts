// The vote-counting minutes (biên bản kiểm phiếu) of an election, end to end on a real server:
// a secret strike-out election on sockets, the chair names the counting committee, each member
// signs in turn over HTTP; the downloaded file is read with pdftotext (exact Vietnamese) and
// pdfsig (three valid signatures, the last covering the whole file). Refusals change nothing.
import { execFileSync } from 'node:child_process';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { api, httpLogin, until } from '../helpers/live-client';
import { votingMeeting, type VotingMeeting } from '../helpers/vote-fixture';
import { flat, pdfsig, pdftotext, writeTemp } from '../helpers/poppler';
import type { CommandAck } from '../../shared/events';
import type { CountingReportView } from '../../shared/counting-report';

let t: TestApp;
let v: VotingMeeting;
const cookies: Record<string, string> = {};
let electionId = '';
let plainVoteId = '';
let openElectionId = '';
let file = '';

const ok = (a: CommandAck) => {
  if (!a.ok) throw new Error(`refused: ${a.error.code} ${a.error.message}`);
  return a;
};
async function create(payload: Record<string, unknown>): Promise<string> {
  const a = ok(await v.cmd('chair', 'vote.create', payload));
  await until(() => v.s.chair!.events.some((e) => e.seq === a.seq));
  return (v.s.chair!.events.find((e) => e.seq === a.seq)!.payload as { voteId: string }).voteId;
}
const path = (voteId: string, rest = '') => `/api/meetings/${v.meetingId}/votes/${voteId}/counting-report${rest}`;
const call = <T = unknown>(user: string, method: string, p: string, body?: unknown) =>
  api<T>(t.url, cookies[user]!, method, p, body);
// through the Store, so the same test runs on PostgreSQL: how many reports, and their current hashes
const reportRows = async () => {
  const rows = await t.app.database.read((q, tt) =>
    q.select({ h: tt.countingReports.currentSha256 }).from(tt.countingReports).orderBy(asc(tt.countingReports.voteId)),
  );
  return { n: rows.length, h: rows.length ? rows.map((r) => r.h).join(',') : null };
};

beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  v = await votingMeeting(t, 0); // chair + delegate1..5: 6 voting members
  for (const u of ['chair', 'secretary', 'delegate1', 'delegate2', 'delegate3', 'delegate4', 'guest1'])
    cookies[u] = await httpLogin(t.url, u);
  ok(await v.cmd('chair', 'meeting.start', {}));
  for (const u of v.voters) ok(await v.cmd('secretary', 'attendance.mark', { userId: v.id[u]!, status: 'present' }));
  electionId = await create({
    question: 'Bầu 2 Ủy viên Ban kiểm tra nhiệm kỳ 2026–2031',
    secret: true,
    choices: ['Nguyễn Thị Hồng Nhung', 'Trần Quốc Việt', 'Lê Thị Ánh Tuyết'],
    election: { seats: 2, form: 'strike' },
    rule: { kind: 'majority_of_members' },
  });
  ok(await v.cmd('chair', 'vote.open', { voteId: electionId }));
  // kept: {Nhung, Việt} ×3, {Nhung, Tuyết} ×1, {Nhung} ×1, blank ×1 → Nhung 5/6, Việt 3/6, Tuyết 1/6
  const plan: [string, string[]][] = [
    ['chair', ['c3']],
    ['delegate1', ['c3']],
    ['delegate2', ['c3']],
    ['delegate3', ['c2']],
    ['delegate4', ['c2', 'c3']],
    ['delegate5', ['c1', 'c2', 'c3']],
  ];
  for (const [u, marks] of plan) ok(await v.cmd(u, 'ballot.cast', { voteId: electionId, marks }));
  ok(await v.cmd('chair', 'vote.close', { voteId: electionId }));
  plainVoteId = await create({ question: 'Thông qua chương trình', secret: false, rule: { kind: 'majority_of_members' } });
  ok(await v.cmd('chair', 'vote.open', { voteId: plainVoteId }));
  ok(await v.cmd('chair', 'vote.close', { voteId: plainVoteId }));
  openElectionId = await create({
    question: 'Bầu Trưởng ban',
    secret: true,
    choices: ['A', 'B'],
    election: { seats: 1, form: 'choose' },
    rule: { kind: 'majority_of_members' },
  });
  ok(await v.cmd('chair', 'vote.open', { voteId: openElectionId }));
});
afterAll(async () => {
  v.close();
  await t.close();
});

describe('drawing up the vote-counting minutes', () => {
  it('refuses non-officers, plain votes, open elections, bad committees; nothing is stored', async () => {
    const committee = [v.id.delegate1!, v.id.delegate2!, v.id.delegate3!];
    expect((await call('delegate1', 'POST', path(electionId), { committee })).json).toMatchObject({
      error: { code: 'FORBIDDEN' },
    });
    expect((await call('guest1', 'POST', path(electionId), { committee })).json).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await call('chair', 'POST', path(plainVoteId), { committee })).json).toMatchObject({ error: { code: 'INVALID' } });
    expect((await call('chair', 'POST', path(openElectionId), { committee })).json).toMatchObject({
      error: { code: 'CONFLICT' },
    });
    expect((await call('chair', 'POST', path('no-such-vote'), { committee })).json).toMatchObject({
      error: { code: 'NOT_FOUND' },
    });
    expect((await call('chair', 'POST', path(electionId), { committee: [v.id.delegate1!, v.id.delegate1!] })).json).toMatchObject(
      { error: { code: 'INVALID' } },
    );
    expect((await call('chair', 'POST', path(electionId), { committee: [v.id.guest1!] })).json).toMatchObject({
      error: { code: 'INVALID' },
    });
    expect((await call('chair', 'POST', path(electionId), { committee: [] })).status).toBe(400);
    expect((await call('chair', 'POST', path(electionId), { committee, extra: 1 })).status).toBe(400);
    expect((await reportRows()).n).toBe(0);
    expect((await call('delegate1', 'GET', path(electionId, '.pdf'))).status).toBe(404);
    expect(await call('delegate1', 'GET', path(electionId))).toEqual({ status: 200, json: null });
    expect((await call('delegate1', 'GET', path('no-such-vote'))).json).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('the chair names the committee (head first); a second drawing-up is refused', async () => {
    const r = await call<CountingReportView>('chair', 'POST', path(electionId), {
      committee: [v.id.delegate1!, v.id.delegate2!, v.id.delegate3!],
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      complete: false,
      committee: [
        { userId: v.id.delegate1, fullName: 'Lê Văn Cường', head: true, signedAt: null },
        { userId: v.id.delegate2, fullName: 'Phạm Thị Dung', head: false, signedAt: null },
        { userId: v.id.delegate3, fullName: 'Hoàng Văn Em', head: false, signedAt: null },
      ],
    });
    expect((await call('secretary', 'POST', path(electionId), { committee: [v.id.delegate4!] })).json).toMatchObject({
      error: { code: 'CONFLICT' },
    });
    expect((await reportRows()).n).toBe(1);
  });
});

describe('signing by the counting committee', () => {
  it('only committee members sign, once each; each signature is recorded', async () => {
    const before = (await reportRows()).h;
    expect((await call('chair', 'POST', path(electionId, '/sign'))).json).toMatchObject({ error: { code: 'NOT_A_SIGNER' } });
    expect((await call('delegate4', 'POST', path(electionId, '/sign'))).json).toMatchObject({ error: { code: 'NOT_A_SIGNER' } });
    expect((await reportRows()).h).toBe(before);
    for (const [i, u] of ['delegate2', 'delegate1', 'delegate3'].entries()) {
      const r = await call<CountingReportView>(u, 'POST', path(electionId, '/sign'));
      expect(r.status).toBe(200);
      expect(r.json.committee.filter((m) => m.signedAt !== null)).toHaveLength(i + 1);
      expect(r.json.complete).toBe(i === 2);
    }
    const after = (await reportRows()).h;
    expect((await call('delegate2', 'POST', path(electionId, '/sign'))).json).toMatchObject({
      error: { code: 'ALREADY_SIGNED' },
    });
    expect((await reportRows()).h).toBe(after);
  });

  it('any member downloads the signed PDF: the Vietnamese text is exact', async () => {
    const r = await fetch(`${t.url}${path(electionId, '.pdf')}`, { headers: { cookie: cookies.delegate4! } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    file = writeTemp(new Uint8Array(await r.arrayBuffer()), 'bien-ban-kiem-phieu.pdf');
    const text = flat(pdftotext(file));
    for (const phrase of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'BIÊN BẢN KIỂM PHIẾU',
      'Về việc kết quả bầu 2 Ủy viên Ban kiểm tra nhiệm kỳ 2026–2031',
      '1. Lê Văn Cường - Trưởng ban;',
      '2. Phạm Thị Dung - Thành viên;',
      '3. Hoàng Văn Em - Thành viên;',
      'Hình thức: bỏ phiếu kín, gạch tên người không bầu; số người được bầu: 2.',
      'Tổng số thành viên: 6; có mặt: 6.',
      'Số phiếu thu về: 6; số phiếu hợp lệ: 6; số phiếu không hợp lệ: 0; phiếu trắng (không bầu ai): 1.',
      'Nguyễn Thị Hồng Nhung 5/6 83,33% Trúng cử',
      'Trần Quốc Việt 3/6 50,00% Không trúng cử',
      'Lê Thị Ánh Tuyết 1/6 16,67% Không trúng cử',
      'đã tiến hành kiểm phiếu bầu 2 Ủy viên Ban kiểm tra nhiệm kỳ 2026–2031.',
      'Căn cứ quy định (quá nửa tổng số thành viên bầu), những người sau đây trúng cử: Nguyễn Thị Hồng Nhung.',
      'Số người trúng cử còn thiếu so với số lượng cần bầu: 1/2.',
      'BAN KIỂM PHIẾU',
      'TRƯỞNG BAN',
      'THÀNH VIÊN',
    ])
      expect(text).toContain(phrase);
  });

  it('pdfsig: three signatures, all valid, the last covering the whole document; a changed byte is caught', () => {
    const blocks = pdfsig(file)
      .split(/Signature #\d+:/)
      .slice(1);
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toContain('Signer Certificate Common Name: Phạm Thị Dung');
    expect(blocks[1]).toContain('Signer Certificate Common Name: Lê Văn Cường');
    expect(blocks[2]).toContain('Signer Certificate Common Name: Hoàng Văn Em');
    for (const b of blocks) expect(b).toContain('Signature Validation: Signature is Valid.');
    expect(blocks[2]).toContain('Total document signed');
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '2', file, '/work/notes/vote16-counting-report']);
    const bytes = Buffer.from(execFileSync('cat', [file]));
    const at = bytes.indexOf('Trúng cử') > 0 ? bytes.indexOf('/Producer') : Math.floor(bytes.length / 3);
    bytes[at + 2] = bytes[at + 2]! ^ 1;
    expect(pdfsig(writeTemp(bytes, 'tampered.pdf'))).not.toContain('Signature is Valid');
  });
});

describe('the meeting minutes name the elected, not "passed"', () => {
  it('the preview of the minutes shows the election with its candidates and who is elected', async () => {
    const r = await fetch(`${t.url}/api/meetings/${v.meetingId}/minutes/preview.pdf`, { headers: { cookie: cookies.chair! } });
    expect(r.status).toBe(200);
    const text = flat(pdftotext(writeTemp(new Uint8Array(await r.arrayBuffer()), 'minutes-preview.pdf')));
    expect(text).toContain('Người ứng cử');
    expect(text).toContain('Căn cứ quy định (quá nửa tổng số thành viên bầu), trúng cử: Nguyễn Thị Hồng Nhung.');
    expect(text).toContain('Nguyễn Thị Hồng Nhung 5/6 83,33%');
    // the plain vote keeps its wording
    expect(text).toContain('Căn cứ quy định (quá nửa tổng số thành viên tán thành), nội dung biểu quyết không được thông qua.');
  });
});
