// Search on both databases (issue 14): the same rows written through the store into a real SQLite file
// and a real PostgreSQL 15 cluster (tests/helpers/postgres.ts), indexed by each engine (sqlite-fts.ts,
// pg-search.ts) from the triggers' queue, and the same queries by the same callers must give the same
// hits: Vietnamese with and without diacritics, "đ", prefixes of the last word, phrases, punctuation
// that PostgreSQL's own parser would read as a file name, an e-mail or a number, a draft's text not
// found, a confidential document's text not found (its title is), a member not asked not finding a
// written-opinion request, a member of another meeting finding nothing. Then the index in step with
// changes (rename, delete, a meeting deleted with everything of it) and a rebuild, on both. The hits
// are compared whole and in order: PostgreSQL ranks with FTS5's bm25 (pg-search.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../server/db/client';
import { openPg } from '../../server/db/client-pg';
import { PgStore } from '../../server/db/store-pg';
import { SqliteStore, type Store } from '../../server/db/store';
import { openSearchEngine } from '../../server/search/open-search';
import { PgSearch, parseTsvector, tsqueryOf, tsvectorOf } from '../../server/search/pg-search';
import type { SearchCaller, SearchEngine } from '../../server/search/search-engine';
import type { SearchHit } from '../../shared/search-api';
import { startPostgres, type PgCluster } from '../helpers/postgres';

let cluster: PgCluster;
let dataDir: string;
let sqliteDb: Db;
const stores: Record<'sqlite' | 'pg', Store> = {} as never;
const engines: Record<'sqlite' | 'pg', SearchEngine> = {} as never;

const at = '2026-12-01T08:00:00.000Z';
const user = (id: string, isAdmin = false) => ({
  id,
  username: id,
  fullName: id,
  passwordHash: 'x',
  isAdmin,
  createdAt: at,
});
const caller = (id: string): SearchCaller => ({ id, isAdmin: id === 'admin' });
const event = (meetingId: string, seq: number, payload: object) => ({
  meetingId,
  seq,
  type: 'minutes.update',
  actor: 'chair',
  payload: JSON.stringify(payload),
  at,
  prevHash: `p${seq}`,
  hash: `h${seq}`,
});
const doc = (id: string, meetingId: string, title: string, filename: string, extra: object = {}) => ({
  id,
  meetingId,
  sha256: '0'.repeat(64),
  filename,
  title,
  pageCount: 2,
  size: 1000,
  textState: 'done' as const,
  publishedAt: at,
  createdAt: at,
  ...extra,
});

/** The same rows into either store, through its builder: what the triggers queue and the engines index. */
async function fill(s: Store): Promise<void> {
  await s.write(null, async (tx, t) => {
    await tx
      .insert(t.users)
      .values([user('admin', true), user('chair'), user('secretary'), user('delegate1'), user('delegate2'), user('outsider')]);
    await tx.insert(t.meetings).values([
      {
        id: 'mA',
        title: 'Họp Ủy ban nhân dân tỉnh tháng 12',
        organization: 'UBND tỉnh Quảng Ninh',
        location: 'Phòng họp số 1',
        createdAt: at,
        updatedAt: at,
      },
      { id: 'mB', title: 'Họp chuyên đề quy hoạch vùng Tây Bắc', location: 'Sơn La', createdAt: at, updatedAt: at },
    ]);
    await tx.insert(t.meetingMembers).values([
      { meetingId: 'mA', userId: 'chair', role: 'chair', addedAt: at },
      { meetingId: 'mA', userId: 'secretary', role: 'secretary', addedAt: at },
      { meetingId: 'mA', userId: 'delegate1', role: 'participant', addedAt: at },
      { meetingId: 'mA', userId: 'delegate2', role: 'participant', addedAt: at },
      { meetingId: 'mB', userId: 'chair', role: 'chair', addedAt: at },
      { meetingId: 'mB', userId: 'outsider', role: 'participant', addedAt: at },
    ]);
    await tx.insert(t.agendaItems).values([
      { id: 'a1', meetingId: 'mA', position: 1, title: 'Kế hoạch chuyển đổi số năm 2027', createdAt: at },
      { id: 'a2', meetingId: 'mA', position: 2, title: 'Tờ trình về việc phê duyệt dự toán kinh phí', createdAt: at },
      { id: 'a3', meetingId: 'mA', position: 3, title: 'Bao cao tien do du an Trung tam dieu hanh', createdAt: at },
      { id: 'b1', meetingId: 'mB', position: 1, title: 'Tái định cư bản Mường Nhé', createdAt: at },
    ]);
    await tx
      .insert(t.documents)
      .values([
        doc('dPlan', 'mA', 'Dự thảo Kế hoạch chuyển đổi số năm 2027', 'ke-hoach-chuyen-doi-so.pdf'),
        doc('dDraft', 'mA', 'Phương án nội bộ chưa gửi', 'noi-bo.pdf', { publishedAt: null }),
        doc('dSecret', 'mA', 'Hồ sơ đền bù giải phóng mặt bằng', 'den-bu.pdf', { confidentiality: 'mat' }),
        doc('dB', 'mB', 'Phương án tái định cư thủy điện Mường Nhé', 'phuong-an-tai-dinh-cu.pdf'),
      ]);
    await tx.insert(t.documentPageTexts).values([
      {
        documentId: 'dPlan',
        page: 1,
        text: 'Kế hoạch chuyển đổi số năm 2027 của tỉnh. Mục tiêu: 80% hồ sơ trực tuyến, tỷ lệ 12,5% và 3.5 lần.',
      },
      {
        documentId: 'dPlan',
        page: 2,
        text: 'Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở ngành. Liên hệ: vanphong@quangninh.gov.vn, https://quangninh.gov.vn/so-hoa.',
      },
      { documentId: 'dDraft', page: 1, text: 'Nội dung nháp quokka chỉ lãnh đạo được đọc.' },
      { documentId: 'dSecret', page: 1, text: 'Danh sách 312 hộ dân được đền bù, số tiền từng hộ.' },
      { documentId: 'dB', page: 1, text: 'Di dời 312 hộ dân bản Mường Nhé đến khu tái định cư mới.' },
      { documentId: 'dB', page: 2, text: 'Đường giao thông nối khu tái định cư với quốc lộ 4H.' },
    ]);
    await tx.insert(t.meetingEvents).values([
      event('mA', 1, {
        key: 'conclusions',
        field: 'conclusions',
        text: 'Giao Sở Xây dựng hoàn thành trung tâm điều hành trước quý II.',
      }),
      event('mA', 2, {
        key: 'item:a1:discussion',
        field: 'discussion',
        itemId: 'a1',
        text: 'Các đại biểu thống nhất đẩy mạnh chuyển đổi số.',
      }),
      event('mB', 1, { key: 'conclusions', field: 'conclusions', text: 'Hoàn thành khu tái định cư Mường Nhé trước quý II.' }),
    ]);
    await tx.insert(t.opinionRequests).values({
      id: 'op1',
      meetingId: 'mA',
      title: 'Lấy ý kiến về Đề án sắp xếp đơn vị hành chính Bình Liêu',
      summary: 'Tờ trình: sáp nhập xã Hoành Mô vào thị trấn.',
      documentIds: '[]',
      questions: JSON.stringify([{ id: 'q1', text: 'Đồng ý phương án địa giới Đồng Văn mới?' }]),
      deadline: '2026-12-31T00:00:00.000Z',
      rule: JSON.stringify({ kind: 'majority_of_members' }),
      status: 'open',
      createdBy: 'secretary',
      createdAt: at,
    });
    await tx.insert(t.opinionRecipients).values({ requestId: 'op1', userId: 'delegate2' });
  });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-search-dialects-'));
  sqliteDb = openDb(dataDir);
  stores.sqlite = new SqliteStore(sqliteDb);
  cluster = await startPostgres();
  stores.pg = new PgStore(await openPg(cluster.url));
  for (const d of ['sqlite', 'pg'] as const) {
    engines[d] = await openSearchEngine(stores[d]);
    await fill(stores[d]);
  }
}, 120_000);
afterAll(async () => {
  await stores.sqlite?.close();
  sqliteDb?.$client.close();
  await stores.pg?.close().catch(() => {});
  cluster?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A hit as compared across engines: everything the client gets. */
const show = (h: SearchHit) =>
  `${h.kind} ${h.meetingId}/${h.itemId ?? '-'}/${h.documentId ?? '-'}/${h.page ?? '-'}/${h.minutesKey ?? '-'}/${h.opinionId ?? '-'} «${h.title}» ${h.snippet
    .map((s) => (s.hit ? `[${s.text}]` : s.text))
    .join('')}`;
async function both(who: string, q: string, limit = 20): Promise<{ sqlite: string[]; pg: string[] }> {
  const [sqlite, pg] = await Promise.all([
    engines.sqlite.search(caller(who), q, limit),
    engines.pg.search(caller(who), q, limit),
  ]);
  return { sqlite: sqlite.map(show), pg: pg.map(show) };
}
/**
 * The same hits on both, in the same order (PostgreSQL computes FTS5's bm25, pg-search.ts), with the
 * same snippets; returns them for the assertions on what they are.
 */
async function same(who: string, q: string, limit = 20): Promise<string[]> {
  const r = await both(who, q, limit);
  expect(r.pg, `${who}: ${q}`).toEqual(r.sqlite);
  return r.sqlite;
}
const kindsOf = (hits: string[]) => hits.map((h) => h.split(' ')[0]);

describe('the same hits on SQLite and PostgreSQL', () => {
  it('Vietnamese with and without diacritics, capitals, "đ" and "d", finds the same rows, marked alike', async () => {
    const plain = await same('delegate1', 'ke hoach chuyen doi so');
    expect(plain.length).toBeGreaterThanOrEqual(3);
    expect(plain.some((h) => h.includes('dPlan/1') && h.includes('[Kế hoạch chuyển đổi số]'))).toBe(true);
    for (const q of ['kế hoạch chuyển đổi số', 'KẾ HOẠCH CHUYỂN ĐỔI SỐ', 'Ke Hoach Chuyen Doi So']) {
      expect(await same('delegate1', q), q).toEqual(plain);
    }
    for (const q of ['du toan kinh phi', 'đự toán kinh phí', 'DU TOAN']) {
      expect(
        (await same('delegate1', q)).some((h) => h.includes('mA/a2/')),
        q,
      ).toBe(true);
    }
    // stored without diacritics, found by a query with them
    expect(kindsOf(await same('delegate1', 'Báo cáo tiến độ dự án trung tâm điều hành'))).toContain('agenda');
  });

  it('the page text, the phrase before the words, and the last word as a prefix only', async () => {
    const pages = await same('delegate1', 'so khoa hoc va cong nghe chu tri');
    expect(pages[0]).toContain('dPlan/2');
    expect(pages[0]).toContain('[Sở Khoa học và Công nghệ chủ trì]');
    // the phrase first: "trung tam dieu hanh" in the agenda title and the conclusion
    expect(kindsOf(await same('delegate1', 'trung tam dieu hanh')).sort()).toEqual(['agenda', 'conclusion']);
    expect((await same('delegate1', 'chuyen doi s')).length).toBeGreaterThan(0);
    expect(await same('delegate1', 'chuy doi so')).toEqual([]);
    expect((await same('delegate1', 'kh')).length).toBeGreaterThan(0);
  });

  it('punctuation splits words as FTS5 does: file names, e-mails, URLs, decimals', async () => {
    for (const q of [
      'vanphong quangninh',
      'quangninh gov vn',
      'so hoa',
      '12 5',
      '3.5 lan',
      '80%',
      'ke-hoach-chuyen-doi-so.pdf',
      'gov.vn',
    ]) {
      expect((await same('delegate1', q)).length, q).toBeGreaterThan(0);
    }
    // and query syntax of either engine is only words
    for (const q of ['"', 'NEAR(a b)', 'ke* OR hoach', "'ke' & !hoach", 'a <-> b', '-- ; DROP TABLE', 'title:ke', '!!!']) {
      await same('delegate1', q);
    }
  });

  it('a draft is not found, a confidential document by its title only', async () => {
    for (const who of ['delegate1', 'chair', 'admin']) {
      expect(await same(who, 'quokka'), who).toEqual([]);
      expect(await same(who, 'phuong an noi bo chua gui'), who).toEqual([]);
      expect(await same(who, 'danh sach 312 ho dan'), who).toEqual([]);
      const secret = await same(who, 'den bu giai phong mat bang');
      expect(
        secret.map((h) => h.split(' ')[1]),
        who,
      ).toEqual(['mA/-/dSecret/-/-/-']);
    }
  });

  it('a member not asked does not find a written-opinion request; the members asked and the office do', async () => {
    for (const q of ['sap xep don vi hanh chinh binh lieu', 'sap nhap xa hoanh mo', 'dia gioi dong van']) {
      for (const who of ['delegate2', 'secretary', 'chair', 'admin']) {
        expect(kindsOf(await same(who, q)), `${who}: ${q}`).toEqual(['opinion']);
      }
      expect(await same('delegate1', q), q).toEqual([]);
      expect(await same('outsider', q), q).toEqual([]);
    }
  });

  it("a member of one meeting finds nothing of another's; its members and an administrator do", async () => {
    for (const q of [
      'muong nhe',
      'di doi 312 ho dan',
      'quy hoach vung tay bac',
      'son la',
      'phuong-an-tai-dinh-cu',
      'quoc lo 4h',
    ]) {
      expect(await same('delegate1', q), q).toEqual([]);
      expect((await same('outsider', q)).length, q).toBeGreaterThan(0);
    }
    expect(kindsOf(await same('chair', 'muong nhe')).sort()).toEqual([
      'agenda',
      'conclusion',
      'document',
      'document',
      'document',
    ]);
    expect(kindsOf(await same('admin', 'muong nhe')).sort()).toEqual([
      'agenda',
      'conclusion',
      'document',
      'document',
      'document',
    ]);
    expect(await same('nobody', 'muong nhe')).toEqual([]);
  });

  it('the limit keeps the best first on both', async () => {
    const all = await same('admin', 'quy');
    expect(all.length).toBeGreaterThan(2);
    expect(await same('admin', 'quy', 2)).toEqual(all.slice(0, 2));
  });
});

describe('the index in step with the tables on both', () => {
  it('a rename, a new page text, a deleted document, a removed member, a deleted meeting; then a rebuild', async () => {
    for (const d of ['sqlite', 'pg'] as const) {
      const s = stores[d];
      await s.write('mA', async (tx, t) => {
        await tx.update(t.agendaItems).set({ title: 'Thảo luận phương án xúc tiến đầu tư' }).where(eq(t.agendaItems.id, 'a3'));
        await tx.insert(t.documentPageTexts).values({ documentId: 'dPlan', page: 3, text: 'Phụ lục: danh mục dự án ưu tiên.' });
        await tx.delete(t.meetingMembers).where(eq(t.meetingMembers.userId, 'delegate2'));
      });
      await s.write('mB', async (tx, t) => {
        await tx.delete(t.documents).where(eq(t.documents.id, 'dB'));
      });
    }
    expect(kindsOf(await same('delegate1', 'xuc tien dau tu'))).toEqual(['agenda']);
    expect(await same('delegate1', 'bao cao tien do')).toEqual([]);
    expect((await same('delegate1', 'danh muc du an uu tien'))[0]).toContain('dPlan/3');
    expect(await same('delegate2', 'hoanh mo')).toEqual([]);
    expect(kindsOf(await same('chair', 'muong nhe')).sort()).toEqual(['agenda', 'conclusion']);

    for (const d of ['sqlite', 'pg'] as const) {
      await stores[d].write('mB', async (tx, t) => {
        await tx.delete(t.meetings).where(eq(t.meetings.id, 'mB'));
      });
    }
    expect(await same('admin', 'muong nhe')).toEqual([]);
    for (const d of ['sqlite', 'pg'] as const) expect(await engines[d].rowsOf('mB'), d).toBe(0);
    const rows = await Promise.all([engines.sqlite.stats(), engines.pg.stats()]);
    expect(rows[1].rows).toBe(rows[0].rows);

    const qs = ['ke hoach chuyen doi so', 'du toan', 'hoanh mo', 'trung tam'];
    const before = await Promise.all(qs.map((q) => same('admin', q)));
    for (const d of ['sqlite', 'pg'] as const) await engines[d].rebuild();
    const after = await Promise.all(qs.map((q) => same('admin', q)));
    expect(after).toEqual(before);
    expect((await engines.pg.stats()).rows).toBe(rows[0].rows);
  });

  it('PostgreSQL: installing again (another process starting) keeps the index; the literals are what FTS5 indexes', async () => {
    const pg = stores.pg as PgStore;
    const { installPgSearch } = await import('../../server/search/pg-search');
    const before = await engines.pg.stats();
    await Promise.all([installPgSearch(pg), installPgSearch(new PgStore(await openPg(cluster.url)))]);
    expect((await engines.pg.stats()).rows).toBe(before.rows);
    expect(tsvectorOf('Kế hoạch', 'kế-hoạch.pdf 3.5')).toBe("'ke':1A,4D 'hoach':2A,5D 'pdf':6D '3':7D '5':8D");
    expect(tsqueryOf(['ke', 'hoach'], 'phrase')).toBe("'ke' <-> 'hoach':*");
    expect(tsqueryOf(['ke', 'hoach'], 'words')).toBe("'ke' & 'hoach':*");
    // the ranking's cut of a row's tsvector, read back (setweight has marked its words B or C)
    expect(parseTsvector("'hoach':2B,5B 'ke':1B", 'A')).toEqual([
      { lexeme: 'hoach', positions: [2, 5], weight: 'A' },
      { lexeme: 'ke', positions: [1], weight: 'A' },
    ]);
    expect(parseTsvector('', 'D')).toEqual([]);
  });

  it('PostgreSQL: a last word that begins too many index words is ranked by unnesting the rows, with the same hits', async () => {
    const unnesting = new PgSearch(stores.pg as PgStore, 0);
    for (const [who, q] of [
      ['delegate1', 'ke hoach chuyen doi so'],
      ['delegate1', 'kh'],
      ['delegate1', 'chuyen doi s'],
      ['delegate1', 'du toan kinh phi'],
      ['admin', 'trung tam dieu hanh'],
      ['admin', 'h'],
    ] as const) {
      const expected = (await engines.sqlite.search(caller(who), q, 20)).map(show);
      expect((await unnesting.search(caller(who), q, 20)).map(show), `${who}: ${q}`).toEqual(expected);
      expect((await engines.pg.search(caller(who), q, 20)).map(show), `${who}: ${q}`).toEqual(expected);
    }
  });

  it('PostgreSQL: a change committed while its source is being indexed is queued again, not lost with the queue entry', async () => {
    const pg = stores.pg as PgStore;
    const other = new PgStore(await openPg(cluster.url)); // another process
    try {
      await engines.pg.sync();
      await other.write('mA', async (tx, t) => {
        await tx.update(t.agendaItems).set({ title: 'Kế hoạch cải cách hành chính' }).where(eq(t.agendaItems.id, 'a1'));
      });
      let writer: Promise<unknown> | undefined;
      // what the indexing transaction does (search-engine.ts batch, pg-search.ts): take the queue
      // entry, read the source, drop the entry; a writer changes that source in between
      await pg.write('search-index', async (tx) => {
        const pgTx = tx as unknown as { execute: (s: ReturnType<typeof sql>) => Promise<{ rows: unknown[] }> };
        const taken = await pgTx.execute(
          sql`SELECT src, src_id FROM search_dirty WHERE src = 'agenda' AND src_id = 'a1' FOR UPDATE SKIP LOCKED`,
        );
        expect(taken.rows).toHaveLength(1);
        writer = other.write('mA', async (tx2, t) => {
          await tx2.update(t.agendaItems).set({ title: 'Kế hoạch phát triển du lịch biển' }).where(eq(t.agendaItems.id, 'a1'));
        });
        await new Promise((r) => setTimeout(r, 300)); // the writer's trigger now waits on the taken entry
        await pgTx.execute(sql`DELETE FROM search_dirty WHERE src = 'agenda' AND src_id = 'a1'`);
      });
      await writer;
      const queued = await pg.read((q) =>
        (q as unknown as { execute: (s: ReturnType<typeof sql>) => Promise<{ rows: unknown[] }> }).execute(
          sql`SELECT 1 FROM search_dirty WHERE src = 'agenda' AND src_id = 'a1'`,
        ),
      );
      expect(queued.rows).toHaveLength(1);
      const hits = await engines.pg.search(caller('admin'), 'phat trien du lich bien', 20);
      expect(hits.map((h) => `${h.kind}:${h.itemId}`).sort()).toEqual(['agenda:a1', 'minutes:a1']); // the item, and its minutes titled by it
    } finally {
      await other.close();
    }
  });

  it('PostgreSQL: the IDF counts one process keeps follow the index another process changed (the order flips on both)', async () => {
    const other = new PgStore(await openPg(cluster.url)); // another process, indexing the change
    try {
      // two made-up words, never next to each other in this order (the phrase pass finds nothing):
      // page 1 has the first three times, page 2 the second; four more pages have only the second
      const pages = (from: number, texts: string[]) => texts.map((text, i) => ({ documentId: 'dIdf', page: from + i, text }));
      const writeBoth = async (fn: (s: Store) => Promise<void>) => {
        await fn(stores.sqlite);
        await fn(other);
      };
      await writeBoth((s) =>
        s.write(null, async (tx, t) => {
          await tx.insert(t.meetings).values({ id: 'mIdf', title: 'Họp thử', createdAt: at, updatedAt: at });
          await tx.insert(t.documents).values(doc('dIdf', 'mIdf', 'Tài liệu thử', 'thu.pdf', { pageCount: 40 }));
          await tx
            .insert(t.documentPageTexts)
            .values(
              pages(1, [
                'kryptonit mot kryptonit hai kryptonit ba zirconi',
                'zirconi mot zirconi hai zirconi ba kryptonit',
                ...Array.from({ length: 4 }, () => 'zirconi bon nam sau bay'),
              ]),
            );
        }),
      );
      const q = 'kryptonit zirconi';
      const order = (hits: string[]) => hits.map((h) => h.split(' ')[1]);
      await new PgSearch(other).sync();
      // the first word is the rarer: page 1 first, and this process keeps the counts
      expect(order(await same('admin', q))).toEqual(['mIdf/-/dIdf/1/-/-', 'mIdf/-/dIdf/2/-/-']);
      // another process adds twenty pages with only the first word and indexes them: now it is the
      // more common, its IDF the lower, page 2 first; a count kept from before would keep page 1 first
      await writeBoth((s) =>
        s.write(null, async (tx, t) => {
          await tx.insert(t.documentPageTexts).values(
            pages(
              7,
              Array.from({ length: 20 }, () => 'kryptonit bon nam sau bay'),
            ),
          );
        }),
      );
      await new PgSearch(other).sync();
      expect(order(await same('admin', q))).toEqual(['mIdf/-/dIdf/2/-/-', 'mIdf/-/dIdf/1/-/-']);
    } finally {
      await other.close();
    }
  });
});
