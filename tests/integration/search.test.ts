// Search (issue 16 item 4) on the real app and a real SQLite file: Vietnamese with and without
// diacritics over the demo data, only what the caller may see (a delegate of meeting A finds nothing
// of meeting B; private notes and secret ballots are never indexed), the index in step with every
// create / rename / delete, rebuildable, and bad queries refused with a code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { multipartFile, session, type Session } from '../helpers/http';
import { command, connect, httpLogin, join, type LiveSocket } from '../helpers/live-client';
import { makeDemoDocument } from '../../server/seed/demo-documents';
import type { SearchHit, SearchResult } from '../../shared/search-api';
import type { MeetingDetail } from '../../shared/api';

let t: TestApp;
let admin: Session, chair: Session, secretary: Session, delegate1: Session;
let meetingA: MeetingDetail;
let meetingB: string;
let docB: string;
const sockets: LiveSocket[] = [];

const text = (h: SearchHit) => h.snippet.map((s) => s.text).join('');
const marked = (h: SearchHit) => h.snippet.filter((s) => s.hit).map((s) => s.text);
async function search(who: Session, q: string): Promise<SearchHit[]> {
  const res = await who.get(`/api/search?q=${encodeURIComponent(q)}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as SearchResult).hits;
}
async function socketOf(username: string, meetingId: string): Promise<LiveSocket> {
  const s = await connect(t.url, { cookie: await httpLogin(t.url, username) });
  sockets.push(s);
  await join(s, meetingId);
  return s;
}

beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  // the demo documents were stored by the seed before their text was read: the backfill reads it
  await t.app.textBackfill.done;
  admin = await session(t.app, 'admin');
  chair = await session(t.app, 'chair');
  secretary = await session(t.app, 'secretary');
  delegate1 = await session(t.app, 'delegate1');
  const id = (await delegate1.get('/api/meetings')).json()[0].id as string;
  meetingA = (await delegate1.get(`/api/meetings/${id}`)).json() as MeetingDetail;
  // meeting B: the chair's, without delegate1, with a document, an agenda item and a conclusion that
  // carry a phrase found nowhere in meeting A
  const created = await chair.post('/api/meetings', {
    title: 'Họp chuyên đề quy hoạch vùng Tây Bắc',
    creatorRole: 'chair',
    location: 'Sơn La',
  });
  expect(created.statusCode, created.body).toBe(201);
  meetingB = created.json().id;
  const pdf = await makeDemoDocument({
    filename: 'quy-hoach.pdf',
    title: 'Phương án bố trí tái định cư thủy điện Mường Nhé',
    subtitle: 'Tài liệu mật',
    pages: 2,
    sections: [{ heading: 'Tái định cư', body: 'Di dời 312 hộ dân bản Mường Nhé đến khu tái định cư mới.' }],
  });
  const mp = multipartFile(pdf, 'phuong-an-tai-dinh-cu.pdf');
  const up = await chair.request({
    method: 'POST',
    url: `/api/meetings/${meetingB}/documents`,
    payload: mp.payload,
    headers: mp.headers,
  });
  expect(up.statusCode, up.body).toBe(201);
  docB = up.json().id;
  expect((await chair.post(`/api/documents/${docB}/publish`)).statusCode).toBe(200); // drafts are not indexed
  expect(
    (
      await chair.request({
        method: 'PATCH',
        url: `/api/documents/${docB}`,
        payload: { title: 'Phương án tái định cư thủy điện Mường Nhé' },
      })
    ).statusCode,
  ).toBe(200);
  const item = await chair.post(`/api/meetings/${meetingB}/agenda`, { title: 'Tái định cư bản Mường Nhé' });
  expect(item.statusCode, item.body).toBe(201);
  const s = await socketOf('chair', meetingB);
  const ack = await command(s, meetingB, 'minutes.update', {
    field: 'conclusions',
    text: 'Giao Sở Xây dựng hoàn thành khu tái định cư Mường Nhé trước quý II.',
    baseVersion: 0,
  });
  expect(ack, JSON.stringify(ack)).toMatchObject({ ok: true });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t.close();
});

describe('search: Vietnamese with and without diacritics over the demo data', () => {
  it('"ke hoach chuyen doi so" finds the draft plan "Kế hoạch chuyển đổi số", highlighted with its diacritics', async () => {
    const hits = await search(delegate1, 'ke hoach chuyen doi so');
    const doc = hits.find((h) => h.kind === 'document' && h.title === 'Dự thảo Kế hoạch chuyển đổi số năm 2027');
    expect(doc, JSON.stringify(hits)).toBeDefined();
    expect(doc!.meetingId).toBe(meetingA.meeting.id);
    expect(doc!.documentId).toBe(meetingA.documents.find((d) => d.title === 'Dự thảo Kế hoạch chuyển đổi số năm 2027')!.id);
    // the marks are the original words, diacritics kept
    expect(marked(doc!).join(' ')).toContain('Kế hoạch chuyển đổi số');
  });

  it("the text of a document's pages is found, with the page for the jump", async () => {
    // "Giao Sở Khoa học và Công nghệ chủ trì" is the body of section 5 of the 12-page draft plan,
    // which the generator prints on pages 5 and 11 (server/seed/demo-documents.ts)
    const plan = meetingA.documents.find((d) => d.title === 'Dự thảo Kế hoạch chuyển đổi số năm 2027')!;
    const hits = (await search(delegate1, 'so khoa hoc va cong nghe chu tri')).filter((h) => h.documentId === plan.id);
    expect(hits.map((h) => h.page).sort((a, b) => a! - b!)).toEqual([5, 11]);
    expect(marked(hits[0]!)).toEqual(['Sở Khoa học và Công nghệ chủ trì']);
    expect(text(hits[0]!)).toContain('Giao Sở Khoa học và Công nghệ chủ trì, phối hợp');
  });

  it('the same words typed with diacritics, or in capitals, find the same', async () => {
    const plain = (await search(delegate1, 'ke hoach chuyen doi so')).map(
      (h) => `${h.kind}:${h.documentId ?? h.itemId ?? h.meetingId}:${h.page}`,
    );
    expect(plain.length).toBeGreaterThan(0);
    for (const q of ['kế hoạch chuyển đổi số', 'KẾ HOẠCH CHUYỂN ĐỔI SỐ', 'Ke Hoach Chuyen Doi So']) {
      const got = (await search(delegate1, q)).map((h) => `${h.kind}:${h.documentId ?? h.itemId ?? h.meetingId}:${h.page}`);
      expect(got, q).toEqual(plain);
    }
  });

  it('"đ" and "d" are the same letter both ways', async () => {
    // "dự toán" without its đ/ư: the budget request; "đu toan" (a wrong accent) still finds it
    for (const q of ['du toan kinh phi', 'đự toán kinh phí', 'DU TOAN']) {
      const hits = await search(delegate1, q);
      expect(
        hits.some((h) => h.title === 'Tờ trình về việc phê duyệt dự toán kinh phí'),
        q,
      ).toBe(true);
    }
  });

  it('text stored without diacritics is found by a query with them (the reverse)', async () => {
    const r = await chair.post(`/api/meetings/${meetingA.meeting.id}/agenda`, {
      title: 'Bao cao tien do du an Trung tam dieu hanh',
    });
    expect(r.statusCode).toBe(201);
    const hits = await search(delegate1, 'Báo cáo tiến độ dự án trung tâm điều hành');
    expect(hits.find((h) => h.kind === 'agenda')).toMatchObject({
      itemId: r.json().id,
      title: 'Bao cao tien do du an Trung tam dieu hanh',
    });
  });

  it('the last word may be unfinished (typing); whole words otherwise', async () => {
    expect((await search(delegate1, 'chuyen doi s')).length).toBeGreaterThan(0);
    expect(await search(delegate1, 'chuy doi so')).toEqual([]);
  });

  it('a meeting is found by its title, with its id for the jump', async () => {
    const hits = await search(delegate1, meetingA.meeting.title.normalize('NFD').replace(/\p{M}/gu, ''));
    expect(hits.some((h) => h.kind === 'meeting' && h.meetingId === meetingA.meeting.id)).toBe(true);
  });
});

describe('search: only what the caller may see', () => {
  it('leak test: a delegate of meeting A searches phrases that exist only in meeting B: nothing', async () => {
    // the PDF's page text, its title, its file name, the agenda, the conclusion, the meeting itself
    for (const q of [
      'Di dời 312 hộ dân',
      'di doi 312 ho dan',
      'Mường Nhé',
      'muong nhe',
      'tai dinh cu muong nhe',
      'quy hoach vung Tay Bac',
      'phuong-an-tai-dinh-cu',
      'Son La',
    ]) {
      expect(await search(delegate1, q), q).toEqual([]);
    }
  });

  it("the same phrases are found by meeting B's members and by an administrator", async () => {
    const kinds = (hits: SearchHit[]) => [...new Set(hits.map((h) => h.kind))].sort();
    const byChair = await search(chair, 'muong nhe');
    expect(kinds(byChair)).toEqual(['agenda', 'conclusion', 'document']);
    expect(byChair.every((h) => h.meetingId === meetingB)).toBe(true);
    expect(byChair.find((h) => h.kind === 'conclusion')!.snippet.some((s) => s.hit && s.text === 'Mường Nhé')).toBe(true);
    // the hit names the minutes field, for the jump to that place in the minutes panel
    expect(byChair.find((h) => h.kind === 'conclusion')!.minutesKey).toBe('conclusions');
    expect(kinds(await search(admin, 'muong nhe'))).toEqual(['agenda', 'conclusion', 'document']);
    const page = (await search(chair, 'di doi 312 ho dan')).find((h) => h.documentId === docB);
    expect(page).toMatchObject({ kind: 'document', page: 1, meetingId: meetingB });
    // secretary is not a member of B (the chair created it alone)
    expect(await search(secretary, 'muong nhe')).toEqual([]);
  });

  it('added as a member, the delegate finds B; removed, no longer', async () => {
    expect(
      (await chair.post(`/api/meetings/${meetingB}/members`, { username: 'delegate1', role: 'participant' })).statusCode,
    ).toBe(201);
    expect((await search(delegate1, 'muong nhe')).length).toBeGreaterThan(0);
    expect((await chair.del(`/api/meetings/${meetingB}/members/${delegate1.userId}`)).statusCode).toBe(204);
    expect(await search(delegate1, 'muong nhe')).toEqual([]);
  });

  it('a written-opinion request is found by the members asked and the office only; the others of its meeting find nothing', async () => {
    const mA = meetingA.meeting.id;
    const delegate2 = await session(t.app, 'delegate2');
    const res = await secretary.post(`/api/meetings/${mA}/opinions`, {
      title: 'Lấy ý kiến về Đề án sắp xếp đơn vị hành chính Bình Liêu',
      summary: 'Tờ trình: sáp nhập xã Hoành Mô vào thị trấn.',
      documentIds: [],
      questions: ['Đồng ý phương án địa giới Đồng Văn mới?'],
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
      rule: { kind: 'majority_of_members' },
      recipientIds: [delegate2.userId],
    });
    expect(res.statusCode, res.body).toBe(201);
    const requestId = res.json().id as string;
    // title, tờ trình text and question, typed without diacritics
    for (const q of ['sap xep don vi hanh chinh binh lieu', 'sap nhap xa hoanh mo', 'dia gioi dong van']) {
      for (const who of [delegate2, secretary, chair, admin]) {
        const hits = await search(who, q);
        expect(
          hits.map((h) => [h.kind, h.opinionId, h.meetingId]),
          q,
        ).toEqual([['opinion', requestId, mA]]);
      }
      // delegate1 is a member of the same meeting but not asked: nothing (nor a hint it exists)
      expect(await search(delegate1, q), q).toEqual([]);
    }
    expect(marked((await search(delegate2, 'hoanh mo'))[0]!).join(' ')).toContain('Hoành Mô');
    // removed from the meeting, the member asked no longer finds it (as the request itself answers NOT_FOUND)
    expect((await secretary.del(`/api/meetings/${mA}/members/${delegate2.userId}`)).statusCode).toBe(204);
    expect(await search(delegate2, 'hoanh mo')).toEqual([]);
    expect((await secretary.get(`/api/opinions/${requestId}`)).statusCode).toBe(200);
  });

  it('a private note is never found, not even by its author (annotations are not indexed)', async () => {
    const s = await socketOf('delegate1', meetingA.meeting.id);
    const doc = meetingA.documents[0]!;
    const ack = await command(s, meetingA.meeting.id, 'stroke.add', {
      strokeId: `privatenote${process.pid}x000000000001`,
      documentId: doc.id,
      page: 1,
      layer: 'private',
      tool: 'note',
      color: '#d62828',
      width: 2,
      points: [[50, 700, 0.5]],
      text: 'Ghi chú riêng xyzzy bí mật',
    });
    expect(ack, JSON.stringify(ack)).toMatchObject({ ok: true });
    for (const who of [delegate1, chair, admin]) expect(await search(who, 'xyzzy')).toEqual([]);
  });
});

describe('search: the index in step with every change', () => {
  it('an agenda item renamed is found by its new title only; deleted, not at all', async () => {
    const r = await chair.post(`/api/meetings/${meetingA.meeting.id}/agenda`, { title: 'Thảo luận phương án quảng bá du lịch' });
    const itemId = r.json().id as string;
    expect((await search(delegate1, 'quang ba du lich')).map((h) => h.itemId)).toContain(itemId);
    expect(
      (
        await chair.patch(`/api/meetings/${meetingA.meeting.id}/agenda/${itemId}`, {
          title: 'Thảo luận phương án xúc tiến đầu tư',
        })
      ).statusCode,
    ).toBe(200);
    expect(await search(delegate1, 'quang ba du lich')).toEqual([]);
    expect((await search(delegate1, 'xuc tien dau tu')).map((h) => h.itemId)).toContain(itemId);
    expect((await chair.del(`/api/meetings/${meetingA.meeting.id}/agenda/${itemId}`)).statusCode).toBe(204);
    expect(await search(delegate1, 'xuc tien dau tu')).toEqual([]);
  });

  it('a conclusion rewritten is found by its new words only', async () => {
    const s = await socketOf('chair', meetingB);
    const draft = (await chair.get(`/api/meetings/${meetingB}/minutes`)).json() as {
      fields: Record<string, { version: number }>;
    };
    const ack = await command(s, meetingB, 'minutes.update', {
      field: 'conclusions',
      text: 'Giao Sở Giao thông vận tải nâng cấp tỉnh lộ 108.',
      baseVersion: draft.fields.conclusions!.version,
    });
    expect(ack, JSON.stringify(ack)).toMatchObject({ ok: true });
    expect((await search(chair, 'tinh lo 108')).map((h) => h.kind)).toEqual(['conclusion']);
    expect((await search(chair, 'so xay dung')).filter((h) => h.kind === 'conclusion')).toEqual([]);
  });

  it('a document renamed, then deleted', async () => {
    const mp = multipartFile(
      await makeDemoDocument({ filename: 'x.pdf', title: 'x', subtitle: 'y', pages: 1, sections: [{ heading: 'a', body: 'b' }] }),
      'bien-ban-nghiem-thu.pdf',
    );
    const up = await chair.request({
      method: 'POST',
      url: `/api/meetings/${meetingB}/documents`,
      payload: mp.payload,
      headers: mp.headers,
    });
    const id = up.json().id as string;
    // a draft is the officers' alone and is not indexed; sent to the members, it is
    expect((await search(chair, 'bien ban nghiem thu')).map((h) => h.documentId)).not.toContain(id);
    expect((await chair.post(`/api/documents/${id}/publish`)).statusCode).toBe(200);
    expect((await search(chair, 'bien ban nghiem thu')).map((h) => h.documentId)).toContain(id);
    await chair.request({ method: 'PATCH', url: `/api/documents/${id}`, payload: { title: 'Hồ sơ đền bù giải phóng mặt bằng' } });
    expect((await search(chair, 'den bu giai phong')).map((h) => h.documentId)).toContain(id);
    expect((await chair.del(`/api/meetings/${meetingB}/documents/${id}`)).statusCode).toBe(204);
    expect((await search(chair, 'den bu giai phong')).map((h) => h.documentId)).not.toContain(id);
  });

  it('a confidential document is found by its title only: its text never leaves the watermarked viewer', async () => {
    expect((await search(chair, 'di doi 312 ho dan')).map((h) => h.documentId)).toContain(docB);
    expect((await chair.put(`/api/documents/${docB}/confidentiality`, { level: 'mat' })).statusCode).toBe(200);
    expect((await search(chair, 'di doi 312 ho dan')).map((h) => h.documentId)).not.toContain(docB);
    expect((await search(chair, 'tai dinh cu thuy dien')).map((h) => h.documentId)).toContain(docB);
    expect((await chair.put(`/api/documents/${docB}/confidentiality`, { level: null })).statusCode).toBe(200);
    expect((await search(chair, 'di doi 312 ho dan')).map((h) => h.documentId)).toContain(docB);
  });

  it('a meeting renamed, then deleted: everything of it leaves the index', async () => {
    expect((await chair.patch(`/api/meetings/${meetingB}`, { title: 'Họp chuyên đề phát triển Điện Biên' })).statusCode).toBe(
      200,
    );
    expect((await search(chair, 'dien bien')).map((h) => h.kind)).toContain('meeting');
    expect(await search(chair, 'vung tay bac')).toEqual([]);
    const before = (await t.app.searchEngine.stats()).rows;
    expect((await admin.del(`/api/meetings/${meetingB}`)).statusCode).toBe(204);
    for (const q of ['dien bien', 'muong nhe', 'tinh lo 108']) expect(await search(admin, q), q).toEqual([]);
    expect(await t.app.searchEngine.rowsOf(meetingB)).toBe(0);
    expect((await t.app.searchEngine.stats()).rows).toBeLessThan(before);
  });

  it('a rebuild gives the same hits', async () => {
    const qs = ['ke hoach chuyen doi so', 'du toan', 'bao cao'];
    const before = await Promise.all(qs.map((q) => search(admin, q)));
    await t.app.searchEngine.rebuild();
    const after = await Promise.all(qs.map((q) => search(admin, q)));
    // the same hits with the same snippets; their order may move a little among close scores, since
    // the statistics bm25 weighs with (average row length) count rows deleted before the rebuild
    const sorted = (hits: SearchHit[]) => hits.map((h) => JSON.stringify(h)).sort();
    expect(after.map(sorted)).toEqual(before.map(sorted));
  });
});

describe('search: bad input', () => {
  it('refuses an empty, overlong or unknown-field query with INVALID; signed out: UNAUTHENTICATED', async () => {
    for (const url of [
      '/api/search',
      '/api/search?q=',
      `/api/search?q=${'a'.repeat(201)}`,
      '/api/search?q=x&limit=0',
      '/api/search?q=x&limit=51',
      '/api/search?q=x&meeting=1',
    ]) {
      const res = await delegate1.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code, url).toBe('INVALID');
    }
    const res = await t.app.inject({ method: 'GET', url: '/api/search?q=ke%20hoach' });
    expect(res.statusCode).toBe(401);
  });

  it('punctuation and FTS syntax are words, never query syntax', async () => {
    for (const q of ['"', 'NEAR(a b)', 'ke* OR hoach', '-- ; DROP TABLE', '()', 'title:ke']) {
      const res = await delegate1.get(`/api/search?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
    }
    expect(await search(delegate1, '!!!')).toEqual([]);
  });
});
