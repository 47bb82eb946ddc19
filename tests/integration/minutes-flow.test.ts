// The minutes end to end on a real server, real sockets and real poppler: the secretary writes while
// the meeting runs (readers see it live, stale edits are refused), attendance, speakers and two votes
// (one secret) fill in by themselves, the secretary finalises after the end, signs, the chair signs;
// pdftotext/pdfsig/pdffonts/pdfinfo on the file a delegate downloads; tampering is caught by pdfsig
// and by the verification endpoints; every refusal has its own code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { api, httpLogin, until } from '../helpers/live-client';
import { votingMeeting, type VotingMeeting } from '../helpers/vote-fixture';
import { flat, pdfsig, pdftotext, run, writeTemp } from '../helpers/poppler';
import { flipByteInSignedRange } from '../helpers/minutes-signing';
import { signaturePng } from '../helpers/signature-png';
import type { CommandAck, LiveEvent } from '../../shared/events';
import type { MinutesDraft, MinutesVerification, MinutesVersion } from '../../shared/minutes-api';

let t: TestApp;
let v: VotingMeeting;
const cookies: Record<string, string> = {};

const ok = (a: CommandAck) => {
  if (!a.ok) throw new Error(`refused: ${a.error.code} ${a.error.message}`);
  return a;
};
const code = (a: CommandAck) => (a.ok ? 'OK' : a.error.code);
const last = (user: string, type: string): LiveEvent | undefined => [...v.s[user]!.events].reverse().find((e) => e.type === type);
const minutesUrl = (suffix = '') => `/api/meetings/${v.meetingId}/minutes${suffix}`;
const as = (user: string) => cookies[user]!;

async function fetchPdf(user: string, path: string): Promise<{ status: number; bytes: Uint8Array; headers: Headers }> {
  const r = await fetch(`${t.url}${path}`, { headers: { cookie: as(user) } });
  return { status: r.status, bytes: new Uint8Array(await r.arrayBuffer()), headers: r.headers };
}

async function draft(user = 'secretary'): Promise<MinutesDraft> {
  const r = await api<MinutesDraft>(t.url, as(user), 'GET', minutesUrl());
  expect(r.status).toBe(200);
  return r.json;
}

/** The secretary's edit of one field against the version she last saw. */
async function write(user: string, payload: { field: string; itemId?: string; requestId?: string; text: string }) {
  const d = await draft('secretary');
  const key =
    payload.field === 'speaker'
      ? `speaker:${payload.requestId}`
      : payload.itemId
        ? `item:${payload.itemId}:${payload.field}`
        : payload.field;
  return v.cmd(user, 'minutes.update', { ...payload, baseVersion: d.fields[key]?.version ?? 0 });
}

let items: string[] = [];

beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  v = await votingMeeting(t, 0); // chair + delegate1..5 vote: 6 members; guest1, observer1
  for (const u of ['chair', 'secretary', 'delegate1', 'delegate2', 'observer1', 'admin']) cookies[u] = await httpLogin(t.url, u);
  items = (await api<{ agenda: { id: string }[] }>(t.url, as('chair'), 'GET', `/api/meetings/${v.meetingId}`)).json.agenda.map(
    (i) => i.id,
  );
}, 60_000);
afterAll(async () => {
  v?.close();
  await t?.close();
});

describe('writing the minutes during the meeting', () => {
  it('the secretary writes the header fields before the start; others may not', async () => {
    ok(await write('secretary', { field: 'number', text: '15/BB-VP' }));
    ok(await write('secretary', { field: 'place', text: 'Hà Giang' }));
    ok(await write('secretary', { field: 'parentAgency', text: 'UBND tỉnh Hà Giang' }));
    ok(await write('secretary', { field: 'unitName', text: 'Văn phòng' }));
    // "05" is how the PDF prints it: accepted with its leading zero (issue 23)
    ok(await write('secretary', { field: 'copies', text: '05' }));
    ok(await write('secretary', { field: 'copies', text: ' 3 ' }));
    expect(code(await write('delegate1', { field: 'number', text: 'x' }))).toBe('FORBIDDEN');
    expect(code(await write('observer1', { field: 'number', text: 'x' }))).toBe('FORBIDDEN');
    expect(code(await write('chair', { field: 'number', text: 'x' }))).toBe('FORBIDDEN');
    for (const bad of ['ba', '0', '00', '100', '005', '3.5', '-3'])
      expect(code(await write('secretary', { field: 'copies', text: bad }))).toBe('INVALID');
    expect(code(await v.cmd('secretary', 'minutes.update', { field: 'discussion', text: 'no item', baseVersion: 0 }))).toBe(
      'INVALID',
    );
    expect(
      code(await v.cmd('secretary', 'minutes.update', { field: 'discussion', itemId: 'nope', text: 'x', baseVersion: 0 })),
    ).toBe('NOT_FOUND');
  });

  it('a stale edit is refused with CONFLICT and changes nothing; readers get every edit live', async () => {
    const base = (await draft()).fields.number!.version;
    ok(await v.cmd('secretary', 'minutes.update', { field: 'number', text: '16/BB-VP', baseVersion: base }));
    const stale = await v.cmd('secretary', 'minutes.update', { field: 'number', text: 'lost', baseVersion: base });
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect((await draft()).fields.number).toEqual({ text: '16/BB-VP', version: base + 1 });
    await until(() => (last('delegate3', 'minutes.update')?.payload as { text?: string } | undefined)?.text === '16/BB-VP');
    // the room screen (projector) never gets the draft
    expect(v.room.events.some((e) => e.type === 'minutes.update')).toBe(false);
  });

  it('runs a meeting: attendance, a proxy, speakers, discussion, conclusions, a named and a secret vote', async () => {
    ok(await v.cmd('chair', 'meeting.start', {}));
    for (const u of ['chair', 'delegate1', 'delegate2', 'delegate3'])
      ok(await v.cmd('secretary', 'attendance.mark', { userId: v.id[u]!, status: 'present' }));
    ok(
      await v.cmd('secretary', 'attendance.mark', {
        userId: v.id.delegate4!,
        status: 'excused',
        reason: 'đi công tác tại Hà Nội',
      }),
    );
    ok(await v.cmd('secretary', 'attendance.mark', { userId: v.id.delegate5!, status: 'absent' }));
    ok(await v.cmd('secretary', 'proxy.grant', { fromUserId: v.id.delegate5!, toUserId: v.id.delegate1! }));
    ok(await v.cmd('guest1', 'attendance.checkIn', {}));

    ok(await v.cmd('chair', 'agenda.open', { itemId: items[0]! }));
    const req = ok(await v.cmd('delegate2', 'floor.request', { kind: 'speak' }));
    await until(() => v.s.chair!.events.some((e) => e.seq === req.seq));
    const requestId = (v.s.chair!.events.find((e) => e.seq === req.seq)!.payload as { requestId: string }).requestId;
    ok(await v.cmd('chair', 'floor.grant', { requestId }));
    ok(await write('secretary', { field: 'speaker', requestId, text: 'đề nghị bổ sung số liệu so sánh với cùng kỳ năm 2025' }));
    ok(
      await write('secretary', {
        field: 'discussion',
        itemId: items[0]!,
        text: 'Đồng chí Chánh Văn phòng trình bày báo cáo kết quả công tác tháng 11.',
      }),
    );
    // the chair states the conclusion and may write it; the rest is the secretary's
    ok(await write('chair', { field: 'conclusion', itemId: items[0]!, text: 'Thống nhất thông qua báo cáo tháng 11' }));
    expect(code(await write('chair', { field: 'discussion', itemId: items[0]!, text: 'x' }))).toBe('FORBIDDEN');

    ok(await v.cmd('chair', 'agenda.open', { itemId: items[1]! }));
    const q = ok(await v.cmd('delegate3', 'floor.request', { kind: 'question' }));
    await until(() => v.s.chair!.events.some((e) => e.seq === q.seq));
    ok(
      await v.cmd('chair', 'floor.grant', {
        requestId: (v.s.chair!.events.find((e) => e.seq === q.seq)!.payload as { requestId: string }).requestId,
      }),
    );

    // named vote, quá nửa tổng số thành viên: for = chair, delegate1, delegate5 (by proxy), delegate2; against = delegate3
    const named = await createVote({
      question: 'Thông qua Dự thảo Kế hoạch chuyển đổi số năm 2027',
      secret: false,
      rule: { kind: 'majority_of_members' },
    });
    ok(await v.cmd('chair', 'vote.open', { voteId: named }));
    for (const [u, choice] of [
      ['chair', 'for'],
      ['delegate1', 'for'],
      ['delegate2', 'for'],
      ['delegate3', 'against'],
    ] as const)
      ok(await v.cmd(u, 'ballot.cast', { voteId: named, choice }));
    ok(await v.cmd('delegate1', 'ballot.cast', { voteId: named, choice: 'for', onBehalfOf: v.id.delegate5! }));
    ok(await v.cmd('chair', 'vote.close', { voteId: named }));

    // secret vote, hai phần ba: for = chair, delegate1, delegate5 (proxy); against = delegate2; abstain = delegate3 → 3/6 fails
    ok(await v.cmd('chair', 'agenda.open', { itemId: items[2]! }));
    const secret = await createVote({
      question: 'Phê duyệt dự toán kinh phí họp không giấy tờ',
      secret: true,
      rule: { kind: 'two_thirds_of_members' },
    });
    ok(await v.cmd('chair', 'vote.open', { voteId: secret }));
    for (const [u, choice] of [
      ['chair', 'for'],
      ['delegate1', 'for'],
      ['delegate2', 'against'],
      ['delegate3', 'abstain'],
    ] as const)
      ok(await v.cmd(u, 'ballot.cast', { voteId: secret, choice }));
    ok(await v.cmd('delegate1', 'ballot.cast', { voteId: secret, choice: 'for', onBehalfOf: v.id.delegate5! }));
    ok(await v.cmd('chair', 'vote.close', { voteId: secret }));

    ok(
      await write('secretary', {
        field: 'conclusions',
        text: 'Giao Văn phòng hoàn thiện kế hoạch trước ngày 15 tháng 12.\n\nCác đơn vị triển khai họp không giấy tờ từ tháng 01 năm 2027.',
      }),
    );

    // the draft reflects the log without anyone copying it
    const d = await draft('delegate2');
    expect(d.document.attendance).toMatchObject({ membersTotal: 6, present: [{ fullName: 'Nguyễn Văn An' }, {}, {}, {}] });
    expect(d.document.attendance.absent).toContainEqual({ fullName: 'Vũ Thị Giang', reason: 'đi công tác tại Hà Nội' });
    expect(d.document.attendance.proxies).toEqual([{ fromName: 'Đặng Văn Hùng', toName: 'Lê Văn Cường' }]);
    expect(d.document.agendaItems[0]!.speakers).toEqual([
      { fullName: 'Phạm Thị Dung', kind: 'speak', summary: 'đề nghị bổ sung số liệu so sánh với cùng kỳ năm 2025' },
    ]);
    expect(d.document.agendaItems[1]!.speakers).toEqual([{ fullName: 'Hoàng Văn Em', kind: 'question' }]);
    expect(d.document.votes.map((x) => [x.mode, x.passed, x.choices.map((c) => `${c.count} ${c.percent}`)])).toEqual([
      ['named', true, ['4 66,67%', '1 16,67%', '0 0,00%']],
      ['secret', false, ['3 50,00%', '1 16,67%', '1 16,67%']],
    ]);
    expect(d.can).toMatchObject({ edit: false, finalize: false, sign: false });
  }, 60_000);

  it('text with any Unicode never breaks the preview', async () => {
    const nasty =
      'Emoji 👩🏽‍💼🇻🇳 ZWJ\u200d, RTL \u202eabc, NUL\u0000 bell\u0007, lone \ud800 surrogate, tổ hợp "e\u0301", 中文, ﷽, \ttab';
    ok(await write('secretary', { field: 'discussion', itemId: items[2]!, text: nasty }));
    const r = await fetchPdf('secretary', minutesUrl('/preview.pdf'));
    expect(r.status).toBe(200);
    expect(Buffer.from(r.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    expect(flat(pdftotext(writeTemp(r.bytes, 'preview.pdf')))).toContain('tổ hợp "é"');
    ok(
      await write('secretary', {
        field: 'discussion',
        itemId: items[2]!,
        text: 'Đồng chí Kế toán trưởng trình bày Tờ trình dự toán kinh phí.',
      }),
    );
    expect((await fetchPdf('delegate1', minutesUrl('/preview.pdf'))).status).toBe(403);
  });
});

async function createVote(payload: Record<string, unknown>): Promise<string> {
  const before = v.s.chair!.events.length;
  ok(await v.cmd('chair', 'vote.create', payload));
  await until(() => v.s.chair!.events.slice(before).some((e) => e.type === 'vote.create'));
  return (last('chair', 'vote.create')!.payload as { voteId: string }).voteId;
}

describe('finalising and signing', () => {
  let file = '';
  let signed: Uint8Array;

  it('refuses finalising a running meeting, by anyone but the secretary, and signing a draft', async () => {
    expect((await api(t.url, as('secretary'), 'POST', minutesUrl('/finalize'))).json).toMatchObject({
      error: { code: 'MEETING_NOT_ENDED' },
    });
    expect((await api(t.url, as('chair'), 'POST', minutesUrl('/finalize'))).status).toBe(403);
    expect((await api(t.url, as('secretary'), 'POST', minutesUrl('/sign'))).json).toMatchObject({
      error: { code: 'MINUTES_NOT_FINAL' },
    });
    expect((await api(t.url, as('delegate1'), 'GET', `/api/meetings/${v.meetingId}/minutes.pdf`)).json).toMatchObject({
      error: { code: 'MINUTES_NOT_FINAL' },
    });
  });

  it('finalises after the end; the minutes become read-only', async () => {
    ok(await v.cmd('chair', 'meeting.end', {}));
    const r = await api<MinutesVersion>(t.url, as('secretary'), 'POST', minutesUrl('/finalize'));
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ version: 1, status: 'final' });
    const log = await api<{ events: { seq: number; hash: string; type: string }[]; verified: boolean }>(
      t.url,
      as('secretary'),
      'GET',
      `/api/meetings/${v.meetingId}/events`,
    );
    const fin = log.json.events.at(-1)!;
    expect(fin.type).toBe('minutes.finalize');
    // the PDF records the head of the log as it stood before finalising
    expect(r.json.headHash).toBe(log.json.events.at(-2)!.hash);
    expect(code(await write('secretary', { field: 'number', text: 'late edit' }))).toBe('MINUTES_FINALIZED');
    expect((await api(t.url, as('secretary'), 'POST', minutesUrl('/finalize'))).json).toMatchObject({
      error: { code: 'MINUTES_FINALIZED' },
    });
    await until(() => last('delegate2', 'minutes.finalize') !== undefined);
  });

  it('secretary first, then the chair; out of order, twice, or by a non-signer is refused', async () => {
    const sign = (u: string) => api<MinutesVersion | { error: { code: string } }>(t.url, as(u), 'POST', minutesUrl('/sign'));
    expect((await sign('chair')).json).toMatchObject({ error: { code: 'SIGNATURE_ORDER' } });
    expect((await sign('delegate1')).json).toMatchObject({ error: { code: 'NOT_A_SIGNER' } });
    expect((await sign('admin')).json).toMatchObject({ error: { code: 'NOT_A_SIGNER' } });
    // the secretary's own handwritten signature goes into her visible mark
    const png = await fetch(`${t.url}/api/me/signature-image`, {
      method: 'PUT',
      headers: { cookie: as('secretary'), 'content-type': 'image/png' },
      body: Buffer.from(signaturePng()),
    });
    expect(png.status).toBe(200);
    const notPng = await fetch(`${t.url}/api/me/signature-image`, {
      method: 'PUT',
      headers: { cookie: as('chair'), 'content-type': 'image/png' },
      body: Buffer.from('GIF89a not a png at all, really not'),
    });
    expect(notPng.status).toBe(415);
    // two concurrent clicks: one signature
    const [a, b] = await Promise.all([sign('secretary'), sign('secretary')]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect([a.json, b.json]).toContainEqual({ error: expect.objectContaining({ code: 'ALREADY_SIGNED' }) });
    expect((await sign('secretary')).json).toMatchObject({ error: { code: 'ALREADY_SIGNED' } });
    const c = await sign('chair');
    expect(c.status).toBe(200);
    expect(c.json).toMatchObject({ status: 'signed_all' });
    expect((await sign('chair')).json).toMatchObject({ error: { code: 'ALREADY_SIGNED' } });
    await until(() => v.s.delegate2!.events.filter((e) => e.type === 'minutes.sign').length === 2);
  }, 60_000);

  it('any member downloads the signed minutes; the text holds the exact phrases, counts and percentages', async () => {
    const r = await fetchPdf('delegate2', `/api/meetings/${v.meetingId}/minutes.pdf`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('x-minutes-status')).toBe('signed_all');
    signed = r.bytes;
    file = writeTemp(signed, 'minutes-signed.pdf');
    const head = (await api<MinutesVerification>(t.url, as('delegate2'), 'GET', minutesUrl('/verify'))).json.headHash;
    const text = flat(pdftotext(file));
    for (const phrase of [
      'UBND TỈNH HÀ GIANG',
      'VĂN PHÒNG',
      'Số: 16/BB-VP',
      'Hà Giang, ngày',
      'BIÊN BẢN HỌP',
      'Về việc Họp giao ban tháng 11',
      'I. THỜI GIAN, ĐỊA ĐIỂM',
      'Phòng họp số 1, tầng 3, trụ sở Văn phòng',
      'II. THÀNH PHẦN THAM DỰ',
      'Chủ trì: Nguyễn Văn An',
      'Thư ký: Trần Thị Bình',
      'Thành viên có mặt: 4/6 thành viên',
      'Vũ Thị Giang (lý do: đi công tác tại Hà Nội)',
      'Đặng Văn Hùng (không có lý do)',
      'Đặng Văn Hùng ủy quyền cho Lê Văn Cường',
      'Khách mời: Người guest1',
      'III. NỘI DUNG CUỘC HỌP',
      '1. Báo cáo kết quả công tác tháng 11 và nhiệm vụ tháng 12',
      'Phạm Thị Dung (phát biểu): đề nghị bổ sung số liệu so sánh với cùng kỳ năm 2025.',
      'Hoàng Văn Em (chất vấn).',
      'Kết luận của chủ trì: Thống nhất thông qua báo cáo tháng 11.',
      'IV. KẾT QUẢ BIỂU QUYẾT',
      '1. Thông qua Dự thảo Kế hoạch chuyển đổi số năm 2027',
      'Hình thức: biểu quyết công khai (ghi danh). Số thành viên có quyền biểu quyết: 6; số phiếu thu về: 5.',
      'Tán thành 4/6 phiếu (66,67%); Không tán thành 1/6 phiếu (16,67%); Ý kiến khác 0/6 phiếu (0,00%).',
      'Căn cứ quy định (quá nửa tổng số thành viên tán thành), nội dung biểu quyết được thông qua.',
      'Hình thức: bỏ phiếu kín.',
      'Tán thành 3/6 phiếu (50,00%); Không tán thành 1/6 phiếu (16,67%); Ý kiến khác 1/6 phiếu (16,67%).',
      'Căn cứ quy định (từ hai phần ba tổng số thành viên trở lên tán thành), nội dung biểu quyết không được thông qua.',
      'V. KẾT LUẬN',
      'Các đơn vị triển khai họp không giấy tờ từ tháng 01 năm 2027.',
      'được lập thành 03 bản có giá trị như nhau',
      'THƯ KÝ',
      'CHỦ TRÌ',
      head,
    ])
      expect(text).toContain(phrase);
    expect(text).not.toContain('lost');
    // signature stamps carry the time as Vietnamese stamps write it, never raw ISO (issue 23 item 7)
    expect(text).toMatch(/Đã ký số:? \d\d:\d\d:\d\d ngày \d\d\/\d\d\/\d{4}/);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  it('pdfsig: two signatures, both valid, the last covering the whole document; fonts embedded; A4', () => {
    const report = pdfsig(file);
    const blocks = report.split(/Signature #\d+:/).slice(1);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toContain('Signer Certificate Common Name: Trần Thị Bình');
    expect(blocks[0]).toContain('Signature Validation: Signature is Valid.');
    expect(blocks[1]).toContain('Signer Certificate Common Name: Nguyễn Văn An');
    expect(blocks[1]).toContain('Signature Validation: Signature is Valid.');
    expect(blocks[1]).toContain('Total document signed');
    const fonts = run('pdffonts', [file]).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f).toMatch(/\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/); // embedded + subset
    const info = run('pdfinfo', [file]);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
  });

  it('one changed byte: pdfsig reports it invalid, and the verification endpoints agree', async () => {
    const good = (await api<MinutesVerification>(t.url, as('delegate2'), 'GET', minutesUrl('/verify'))).json;
    expect(good).toMatchObject({ intact: true, storedBytesIntact: true, matchesLog: true, status: 'signed_all' });
    expect(good.signatures.map((s) => [s.signerName, s.valid])).toEqual([
      ['Trần Thị Bình', true],
      ['Nguyễn Văn An', true],
    ]);
    expect(good.signatures.map((s) => s.coversWholeDocument)).toEqual([false, true]);

    const tampered = flipByteInSignedRange(signed);
    const report = pdfsig(writeTemp(tampered, 'tampered.pdf'));
    expect(report).not.toContain('Signature is Valid');
    const check = async (bytes: Uint8Array) =>
      (
        await fetch(`${t.url}/api/minutes/verify`, {
          method: 'POST',
          headers: { cookie: as('observer1'), 'content-type': 'application/pdf' },
          body: Buffer.from(bytes),
        })
      ).json() as Promise<{ intact: boolean; signatures: { valid: boolean }[]; knownVersion: unknown }>;
    expect(await check(signed)).toMatchObject({ intact: true, knownVersion: { version: 1, status: 'signed_all' } });
    expect(await check(tampered)).toMatchObject({
      intact: false,
      signatures: [{ valid: false }, { valid: false }],
      knownVersion: null,
    });
  });

  it('a correction is a new version: back to draft, signatures reset, the signed file stays available', async () => {
    expect((await api(t.url, as('chair'), 'POST', minutesUrl('/revise'))).status).toBe(403);
    const r = await api<{ version: number }>(t.url, as('secretary'), 'POST', minutesUrl('/revise'));
    expect(r.json).toEqual({ version: 2 });
    const d = await draft();
    expect(d).toMatchObject({ status: 'draft', version: 2, can: { edit: true, finalize: true, sign: false } });
    expect(d.versions[0]).toMatchObject({ version: 1, status: 'superseded' });
    ok(await write('secretary', { field: 'number', text: '16a/BB-VP' }));
    const f = await api<MinutesVersion>(t.url, as('secretary'), 'POST', minutesUrl('/finalize'));
    expect(f.json).toMatchObject({ version: 2, status: 'final', secretarySignedAt: null });
    expect((await api(t.url, as('chair'), 'POST', minutesUrl('/sign'))).json).toMatchObject({
      error: { code: 'SIGNATURE_ORDER' },
    });
  });
});

describe('an empty meeting', () => {
  it('finalising a meeting that was never held is refused with MINUTES_EMPTY', async () => {
    const m = await api<{ id: string }>(t.url, as('admin'), 'POST', '/api/meetings', { title: 'Họp trống' });
    await api(t.url, as('admin'), 'POST', `/api/meetings/${m.json.id}/members`, { username: 'secretary', role: 'secretary' });
    const r = await api(t.url, as('secretary'), 'POST', `/api/meetings/${m.json.id}/minutes/finalize`);
    expect(r.json).toMatchObject({ error: { code: 'MINUTES_EMPTY' } });
  });
});
