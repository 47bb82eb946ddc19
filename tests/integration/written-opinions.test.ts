// Written opinions (lấy ý kiến bằng văn bản) over HTTP on a real server and SQLite file: creation
// and its refusals, answers and their refusals (not asked, incomplete, after the deadline), a change
// clears the signature, nobody sees another's answers before the result, closing when everybody
// has signed and at the deadline (computed from the database alone, as after a restart), and the
// signed báo cáo tổng hợp ý kiến read with pdftotext and pdfsig.
import { execFileSync } from 'node:child_process';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { api, httpLogin } from '../helpers/live-client';
import { votingMeeting, type VotingMeeting } from '../helpers/vote-fixture';
import { flat, pdfsig, pdftotext, writeTemp } from '../helpers/poppler';
import { OpinionService } from '../../server/opinions/opinion-service';
import { fixture } from '../helpers/fixtures';
import type { OpinionRequestView } from '../../shared/opinions';

let t: TestApp;
let v: VotingMeeting;
const cookies: Record<string, string> = {};
const call = <T = OpinionRequestView>(user: string, method: string, p: string, body?: unknown) =>
  api<T>(t.url, cookies[user]!, method, p, body);
// counted through the Store, so the same test runs on PostgreSQL
const rows = (table: 'opinionRequests' | 'opinionResponses') =>
  t.app.database.read(async (q, tt) => (await q.select({ n: count() }).from(tt[table]))[0]!.n);
const notified = (kind: string, by: { link?: string; userId?: string }) =>
  t.app.database.read(
    async (q, tt) =>
      (
        await q
          .select({ n: count() })
          .from(tt.notifications)
          .where(
            and(
              eq(tt.notifications.kind, kind),
              by.link ? eq(tt.notifications.link, by.link) : undefined,
              by.userId ? eq(tt.notifications.userId, by.userId) : undefined,
            ),
          )
      )[0]!.n,
  );
const hour = () => new Date(Date.now() + 3600_000).toISOString();
let requestId = '';
const QUESTIONS = ['Đồng ý thông qua Kế hoạch chuyển đổi số năm 2027?', 'Đồng ý bố trí kinh phí 2,5 tỷ đồng?'];

beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  v = await votingMeeting(t, 0);
  v.close(); // HTTP only here
  for (const u of ['chair', 'secretary', 'delegate1', 'delegate2', 'delegate3', 'delegate4', 'delegate5', 'guest1'])
    cookies[u] = await httpLogin(t.url, u);
});
afterAll(async () => {
  await t.close();
});

const body = (over: Record<string, unknown> = {}) => ({
  title: 'Tờ trình về Kế hoạch chuyển đổi số năm 2027',
  summary: 'Văn phòng trình xin ý kiến các thành viên.',
  documentIds: [],
  questions: QUESTIONS,
  deadline: hour(),
  rule: { kind: 'majority_of_members' },
  recipientIds: ['chair', 'delegate1', 'delegate2', 'delegate3', 'delegate4'].map((u) => v.id[u]!),
  ...over,
});

describe('the office creates a request', () => {
  it('refuses members who are not the office, past deadlines, guests asked, foreign documents; nothing stored', async () => {
    const url = `/api/meetings/${v.meetingId}/opinions`;
    expect((await call('delegate1', 'POST', url, body())).json).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(
      (await call('secretary', 'POST', url, body({ deadline: new Date(Date.now() - 1000).toISOString() }))).json,
    ).toMatchObject({ error: { code: 'INVALID' } });
    expect((await call('secretary', 'POST', url, body({ recipientIds: [v.id.guest1!] }))).json).toMatchObject({
      error: { code: 'INVALID' },
    });
    expect((await call('secretary', 'POST', url, body({ recipientIds: [v.id.delegate1!, v.id.delegate1!] }))).json).toMatchObject(
      { error: { code: 'INVALID' } },
    );
    expect((await call('secretary', 'POST', url, body({ documentIds: ['nope'] }))).json).toMatchObject({
      error: { code: 'INVALID' },
    });
    expect((await call('secretary', 'POST', url, body({ questions: [] }))).status).toBe(400);
    expect((await call('secretary', 'POST', url, body({ rule: { kind: 'unanimous' } }))).status).toBe(400);
    expect(await rows('opinionRequests')).toBe(0);
  });

  it('the secretary asks five members; each of them is notified', async () => {
    const r = await call<{ id: string }>('secretary', 'POST', `/api/meetings/${v.meetingId}/opinions`, body());
    expect(r.status).toBe(201);
    requestId = r.json.id;
    expect(await notified('opinion.requested', { link: `/opinions/${requestId}` })).toBe(5);
    expect(await notified('opinion.requested', { userId: v.id.delegate5 })).toBe(0);
    const seen = await call('delegate1', 'GET', `/api/opinions/${requestId}`);
    expect(seen.json).toMatchObject({
      status: 'open',
      questions: [
        { id: 'q1', text: QUESTIONS[0] },
        { id: 'q2', text: QUESTIONS[1] },
      ],
      can: { answer: true, seeSummary: false },
      mine: { answers: [], signedAt: null },
      result: null,
    });
  });
});

describe('members answer', () => {
  const A = (c1: string, c2: string, text?: string) => ({
    answers: [
      { questionId: 'q1', choice: c1, ...(text ? { text } : {}) },
      { questionId: 'q2', choice: c2 },
    ],
  });

  it('only the members asked; every question answered; "Ý kiến khác" needs its text', async () => {
    const url = `/api/opinions/${requestId}/answers`;
    expect((await call('delegate5', 'PUT', url, A('agree', 'agree'))).json).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await call('delegate5', 'GET', `/api/opinions/${requestId}`)).json).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await call('secretary', 'PUT', url, A('agree', 'agree'))).json).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await call('delegate1', 'PUT', url, { answers: [{ questionId: 'q1', choice: 'agree' }] })).json).toMatchObject({
      error: { code: 'INVALID' },
    });
    expect((await call('delegate1', 'PUT', url, A('other', 'agree'))).json).toMatchObject({ error: { code: 'INVALID' } });
    expect(
      (
        await call('delegate1', 'PUT', url, {
          answers: [
            { questionId: 'q9', choice: 'agree' },
            { questionId: 'q2', choice: 'agree' },
          ],
        })
      ).json,
    ).toMatchObject({ error: { code: 'INVALID' } });
    expect(
      (
        await call('delegate1', 'PUT', url, {
          answers: [
            { questionId: 'q1', choice: 'maybe' },
            { questionId: 'q2', choice: 'agree' },
          ],
        })
      ).status,
    ).toBe(400);
    expect((await call('delegate1', 'POST', `/api/opinions/${requestId}/sign`)).json).toMatchObject({
      error: { code: 'CONFLICT' },
    }); // nothing saved yet
    expect(await rows('opinionResponses')).toBe(0);
  });

  it('a signed answer changed is unsigned until signed again; signing twice is refused', async () => {
    const url = `/api/opinions/${requestId}/answers`;
    expect((await call('delegate1', 'PUT', url, A('disagree', 'agree'))).json).toMatchObject({ mine: { signedAt: null } });
    const s1 = await call('delegate1', 'POST', `/api/opinions/${requestId}/sign`);
    expect(s1.status).toBe(200);
    expect(s1.json.mine!.signedAt).not.toBeNull();
    expect(s1.json.answeredCount).toBe(1);
    const changed = await call('delegate1', 'PUT', url, A('agree', 'agree'));
    expect(changed.json).toMatchObject({
      mine: {
        signedAt: null,
        answers: [
          { questionId: 'q1', choice: 'agree' },
          { questionId: 'q2', choice: 'agree' },
        ],
      },
      answeredCount: 0,
    });
    expect((await call('delegate1', 'POST', `/api/opinions/${requestId}/sign`)).json.answeredCount).toBe(1);
    expect((await call('delegate1', 'POST', `/api/opinions/${requestId}/sign`)).json).toMatchObject({
      error: { code: 'ALREADY_SIGNED' },
    });
  });

  it('the others answer; before the result nobody, the office included, sees another member’s answers', async () => {
    const url = `/api/opinions/${requestId}/answers`;
    await call('chair', 'PUT', url, A('agree', 'disagree'));
    await call('delegate2', 'PUT', url, A('disagree', 'disagree'));
    await call('delegate3', 'PUT', url, A('other', 'agree', 'Đề nghị lùi thời hạn sang quý II/2027'));
    for (const u of ['chair', 'delegate2', 'delegate3'])
      expect((await call(u, 'POST', `/api/opinions/${requestId}/sign`)).status).toBe(200);
    // delegate4 saves but never signs: not counted
    await call('delegate4', 'PUT', url, A('agree', 'agree'));
    for (const u of ['secretary', 'chair', 'delegate1']) {
      const r = await api(t.url, cookies[u]!, 'GET', `/api/opinions/${requestId}`);
      const text = JSON.stringify(r.json);
      expect(r.json).toMatchObject({ status: 'open', answeredCount: 4, result: null });
      expect(text).not.toContain('lùi thời hạn');
      // delegate1's own answers are both "agree": a "disagree" could only be somebody else's
      if (u === 'delegate1') expect(text).not.toContain('"disagree"');
    }
    const chairView = (await call('chair', 'GET', `/api/opinions/${requestId}`)).json;
    expect(chairView.mine!.answers).toEqual([
      { questionId: 'q1', choice: 'agree' },
      { questionId: 'q2', choice: 'disagree' },
    ]);
    const secView = (await call('secretary', 'GET', `/api/opinions/${requestId}`)).json;
    expect(secView.mine).toBeNull();
    expect(JSON.stringify(secView)).not.toContain('"choice"');
  });
});

describe('reminders before the deadline', () => {
  it('go once, to the members asked who have not signed, when the deadline is within the lead time', async () => {
    const fresh = new OpinionService(t.app.database, t.app.store, t.app.minutes, t.app.notifications);
    const reminders = () => notified('opinion.reminder', { link: `/opinions/${requestId}` });
    // the deadline is an hour away: not yet within a 30-minute lead
    expect(await fresh.sendDueReminders(new Date(), 30 * 60_000)).toBe(0);
    expect(await reminders()).toBe(0);
    // within 24 hours: delegate4 saved but did not sign, so is reminded; the four who signed are not
    expect(await fresh.sendDueReminders(new Date())).toBe(1);
    expect(await notified('opinion.reminder', { userId: v.id.delegate4 })).toBe(1);
    expect(await reminders()).toBe(1);
    // once only, even from another instance (as after a restart)
    expect(
      await new OpinionService(t.app.database, t.app.store, t.app.minutes, t.app.notifications).sendDueReminders(new Date()),
    ).toBe(0);
    expect(await reminders()).toBe(1);
  });
});

describe('closing', () => {
  it('at the deadline: computed from the database alone (another service instance, as after a restart); then answers are refused', async () => {
    const fresh = new OpinionService(t.app.database, t.app.store, t.app.minutes, t.app.notifications);
    const secretary = { id: v.id.secretary!, isAdmin: false };
    const before = await fresh.get(secretary, requestId, new Date());
    expect(before.status).toBe('open');
    const after = await fresh.get(secretary, requestId, new Date(Date.now() + 2 * 3600_000));
    expect(after.status).toBe('closed');
    expect(after.result).toMatchObject({
      asked: 5,
      answered: 4,
      closedBecause: 'deadline',
      questions: [
        // q1: chair and delegate1 agree, delegate2 disagrees, delegate3 other; delegate4 unsigned → no answer. 2/5: not passed
        {
          questionId: 'q1',
          agree: 2,
          disagree: 1,
          other: 1,
          noAnswer: 1,
          base: 5,
          needed: 3,
          passed: false,
          opinions: [{ name: 'Hoàng Văn Em', choice: 'other', text: 'Đề nghị lùi thời hạn sang quý II/2027' }],
        },
        // q2: delegate1, delegate3 agree; chair, delegate2 disagree
        { questionId: 'q2', agree: 2, disagree: 2, other: 0, noAnswer: 1, passed: false },
      ],
    });
    const refused = await call('delegate4', 'PUT', `/api/opinions/${requestId}/answers`, {
      answers: [
        { questionId: 'q1', choice: 'agree' },
        { questionId: 'q2', choice: 'agree' },
      ],
    });
    expect(refused.json).toMatchObject({ error: { code: 'DEADLINE_PASSED' } });
    expect((await call('delegate4', 'POST', `/api/opinions/${requestId}/sign`)).json).toMatchObject({
      error: { code: 'DEADLINE_PASSED' },
    });
    // every member asked now sees the result
    expect((await call('delegate1', 'GET', `/api/opinions/${requestId}`)).json).toMatchObject({
      status: 'closed',
      reportReady: true,
      can: { answer: false },
    });
  });

  it('the báo cáo tổng hợp ý kiến: exact Vietnamese, counts, rule, outcome, quoted opinions; signed', async () => {
    const r = await fetch(`${t.url}/api/opinions/${requestId}/report.pdf`, { headers: { cookie: cookies.delegate2! } });
    expect(r.status).toBe(200);
    const file = writeTemp(new Uint8Array(await r.arrayBuffer()), 'bao-cao.pdf');
    const text = flat(pdftotext(file));
    for (const phrase of [
      'BÁO CÁO TỔNG HỢP Ý KIẾN',
      'Về việc Tờ trình về Kế hoạch chuyển đổi số năm 2027',
      'Số thành viên được xin ý kiến: 5; số thành viên trả lời: 4; không trả lời: 1.',
      'Nguyên tắc thông qua: quá nửa tổng số thành viên đồng ý',
      'Kết thúc lấy ý kiến: hết thời hạn trả lời.',
      `1. ${QUESTIONS[0]}`,
      'Đồng ý Không đồng ý Ý kiến khác Không trả lời',
      '2 (40,00%) 1 (20,00%) 1 (20,00%) 1',
      'Kết quả: không được thông qua (Đồng ý 2/5).',
      '+ Hoàng Văn Em (Ý kiến khác): “Đề nghị lùi thời hạn sang quý II/2027”',
      `2. ${QUESTIONS[1]}`,
      'NGƯỜI TỔNG HỢP',
      'Trần Thị Bình',
    ])
      expect(text).toContain(phrase);
    const blocks = pdfsig(file)
      .split(/Signature #\d+:/)
      .slice(1);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toContain('Signer Certificate Common Name: Trần Thị Bình');
    expect(blocks[0]).toContain('Signature Validation: Signature is Valid.');
    expect(blocks[0]).toContain('Total document signed');
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', file, '/work/notes/vote16-opinion-report']);
  });

  it('when every member asked has signed, the request closes at once; exactly half agreeing does not pass', async () => {
    const r = await call<{ id: string }>(
      'chair',
      'POST',
      `/api/meetings/${v.meetingId}/opinions`,
      body({
        title: 'Xin ý kiến về lịch họp quý I',
        questions: ['Đồng ý họp vào thứ Sáu?'],
        recipientIds: ['delegate1', 'delegate2', 'delegate3', 'delegate4'].map((u) => v.id[u]!),
      }),
    );
    const id = r.json.id;
    const plan: [string, string][] = [
      ['delegate1', 'agree'],
      ['delegate2', 'agree'],
      ['delegate3', 'disagree'],
      ['delegate4', 'other'],
    ];
    let last: OpinionRequestView | undefined;
    for (const [u, c] of plan) {
      await call(u, 'PUT', `/api/opinions/${id}/answers`, {
        answers: [{ questionId: 'q1', choice: c, ...(c === 'other' ? { text: 'Đề nghị họp thứ Năm' } : {}) }],
      });
      last = (await call(u, 'POST', `/api/opinions/${id}/sign`)).json;
    }
    expect(last).toMatchObject({
      status: 'closed',
      result: {
        closedBecause: 'allAnswered',
        asked: 4,
        answered: 4,
        questions: [{ agree: 2, base: 4, needed: 3, passed: false }],
      },
    });
  });
});

describe('documents attached to a request', () => {
  it('a draft attached by the office is listed to the office only until it is sent (policies/document-policy.ts)', async () => {
    const upload = async (name: string) => {
      const form = new FormData();
      form.append('file', new Blob([fixture('sizes.pdf')], { type: 'application/pdf' }), name);
      const res = await fetch(`${t.url}/api/meetings/${v.meetingId}/documents`, {
        method: 'POST',
        headers: { cookie: cookies.secretary! },
        body: form,
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const [sent, draft] = [await upload('to-trinh.pdf'), await upload('du-thao-nhap.pdf')];
    expect((await call('secretary', 'POST', `/api/documents/${sent}/publish`)).status).toBe(200);
    const r = await call<{ id: string }>(
      'secretary',
      'POST',
      `/api/meetings/${v.meetingId}/opinions`,
      body({ documentIds: [sent, draft] }),
    );
    expect(r.status).toBe(201);
    const ids = async (u: string) => (await call(u, 'GET', `/api/opinions/${r.json.id}`)).json.documents.map((d) => d.id);
    expect(await ids('secretary')).toEqual([sent, draft]);
    expect(await ids('delegate1')).toEqual([sent]);
    expect((await call('secretary', 'POST', `/api/documents/${draft}/publish`)).status).toBe(200);
    expect(await ids('delegate1')).toEqual([sent, draft]);
  });
});

describe('a named request (phiếu ghi danh)', () => {
  it('the members asked and the office see each signed answer with its author before the result; drafts stay private; others learn nothing', async () => {
    const r = await call<{ id: string }>(
      'secretary',
      'POST',
      `/api/meetings/${v.meetingId}/opinions`,
      body({
        title: 'Xin ý kiến ghi danh về cử cán bộ đi học',
        questions: ['Đồng ý cử đồng chí Trần Văn Bình?'],
        named: true,
        recipientIds: ['delegate1', 'delegate2', 'delegate3'].map((u) => v.id[u]!),
      }),
    );
    expect(r.status).toBe(201);
    const id = r.json.id;
    await call('delegate1', 'PUT', `/api/opinions/${id}/answers`, {
      answers: [{ questionId: 'q1', choice: 'other', text: 'Đề nghị cử thêm một người' }],
    });
    expect((await call('delegate1', 'POST', `/api/opinions/${id}/sign`)).status).toBe(200);
    // delegate2 saves but does not sign: a draft nobody else sees
    await call('delegate2', 'PUT', `/api/opinions/${id}/answers`, {
      answers: [{ questionId: 'q1', choice: 'disagree', text: 'Bản nháp riêng' }],
    });
    for (const u of ['delegate2', 'delegate3', 'secretary', 'chair']) {
      const view = (await call(u, 'GET', `/api/opinions/${id}`)).json;
      expect(view, u).toMatchObject({ status: 'open', named: true, result: null });
      expect(view.answers, u).toEqual([
        {
          userId: v.id.delegate1,
          fullName: expect.any(String),
          answers: [{ questionId: 'q1', choice: 'other', text: 'Đề nghị cử thêm một người' }],
          signedAt: expect.any(String),
        },
      ]);
      if (u !== 'delegate2') expect(JSON.stringify(view), u).not.toContain('Bản nháp riêng');
    }
    // a member of the meeting not asked (nor the office) does not see the request at all
    expect((await call('delegate4', 'GET', `/api/opinions/${id}`)).json).toMatchObject({ error: { code: 'NOT_FOUND' } });
    // changing a signed answer takes it out of the others' view until it is signed again
    await call('delegate1', 'PUT', `/api/opinions/${id}/answers`, { answers: [{ questionId: 'q1', choice: 'agree' }] });
    expect((await call('delegate3', 'GET', `/api/opinions/${id}`)).json.answers).toEqual([]);
  });

  it('a request not named shows no answers list to anyone (the default), and the response schema lets nothing else through', async () => {
    const view = (await call('chair', 'GET', `/api/opinions/${requestId}`)).json;
    expect(view).toMatchObject({ named: false, answers: null });
    const list = (await call<OpinionRequestView[]>('secretary', 'GET', `/api/meetings/${v.meetingId}/opinions`)).json;
    expect(list.map((x) => x.named)).toContain(true);
    expect(list.every((x) => x.named || x.answers === null)).toBe(true);
    // exactly the schema's keys
    expect(Object.keys(view).sort()).toEqual([
      'answeredCount',
      'answers',
      'asked',
      'can',
      'createdAt',
      'deadline',
      'documents',
      'id',
      'meetingId',
      'mine',
      'named',
      'questions',
      'reportReady',
      'result',
      'rule',
      'status',
      'summary',
      'title',
    ]);
  });

  it('named must be a boolean', async () => {
    expect((await call('secretary', 'POST', `/api/meetings/${v.meetingId}/opinions`, body({ named: 'yes' }))).status).toBe(400);
  });
});
