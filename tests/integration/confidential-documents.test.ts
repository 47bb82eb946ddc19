// Confidential documents (tài liệu mật): an organiser marks a document at a level; each member then
// gets only a copy with their own name drawn into every page (read back with poppler's pdftotext,
// an independent reader), never the original nor the annotated export; every open is audited; the
// room screen gets it only while the chair shows it.
import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { asCookie, client, multipartFile, session, type Session } from '../helpers/http';
import { fixture } from '../helpers/fixtures';
import { pdftotext, run, writeTemp } from '../helpers/poppler';
import { sqlRun, userActor } from '../helpers/raw-sql';

let t: TestApp;
let chair: Session, secretary: Session, d1: Session, d2: Session, admin: Session;
let meetingId: string;
let docId: string;

/** Text of a PDF with all whitespace removed: rotated watermark text comes out a glyph per line. */
const squeezed = (bytes: Uint8Array, pages?: [number, number]) =>
  pdftotext(writeTemp(bytes, 'served.pdf'), ['-raw', ...(pages ? ['-f', String(pages[0]), '-l', String(pages[1])] : [])]).replace(
    /\s+/g,
    '',
  );
const noSpace = (s: string) => s.replace(/\s+/g, '');

const openAudits = async (actorId: string | null) =>
  (
    await t.app.database.read((q, tt) =>
      q
        .select()
        .from(tt.auditLog)
        .where(
          and(
            eq(tt.auditLog.action, 'document.open'),
            actorId ? eq(tt.auditLog.actorId, actorId) : eq(tt.auditLog.actorName, 'room-screen'),
          ),
        ),
    )
  ).filter((r) => JSON.parse(r.details).documentId === docId);

const asUser = (username: string) => userActor(t.app, username);

beforeAll(async () => {
  t = await buildTestApp();
  chair = await session(t.app, 'chair');
  secretary = await session(t.app, 'secretary');
  d1 = await session(t.app, 'delegate1');
  d2 = await session(t.app, 'delegate2');
  admin = await session(t.app, 'admin');
  meetingId = (await chair.get('/api/meetings')).json()[0].id;
  const mp = multipartFile(fixture('tracemonkey.pdf'), 'Dự thảo mật.pdf');
  const up = await secretary.request({
    method: 'POST',
    url: `/api/meetings/${meetingId}/documents`,
    payload: mp.payload,
    headers: mp.headers,
  });
  expect(up.statusCode).toBe(201);
  docId = up.json().id;
  // delegate1 belongs to a unit (đơn vị, issue 18): the watermark names it; delegate2 has none
  await sqlRun(t.app, 'UPDATE users SET unit = ? WHERE username = ?', 'Sở Tài chính', 'delegate1');
  await sqlRun(t.app, 'UPDATE users SET unit = NULL WHERE username = ?', 'delegate2');
  // circulated to the members (an upload is a draft only the officers see)
  expect((await secretary.post(`/api/documents/${docId}/publish`)).statusCode).toBe(200);
});
afterAll(async () => {
  await t.close();
});

describe('marking a document confidential', () => {
  it('is for the meeting organisers; a member is refused and bad levels are INVALID, changing nothing', async () => {
    const refused = await d1.put(`/api/documents/${docId}/confidentiality`, { level: 'mat' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('FORBIDDEN');
    for (const body of [{ level: 'secret' }, { level: 3 }, {}, { level: 'mat', extra: 1 }]) {
      const r = await secretary.put(`/api/documents/${docId}/confidentiality`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error.code).toBe('INVALID');
    }
    expect((await d1.get(`/api/documents/${docId}`)).json().confidentiality).toBeNull();
    const r = await secretary.put(`/api/documents/${docId}/confidentiality`, { level: 'toi-mat' });
    expect(r.statusCode).toBe(200);
    expect(r.json().confidentiality).toBe('toi-mat');
    expect(
      (await d1.get(`/api/meetings/${meetingId}`)).json().documents.find((d: { id: string }) => d.id === docId).confidentiality,
    ).toBe('toi-mat');
    // the change is in the audit trail (every write is)
    // (the audit row is written after the response: on PostgreSQL it lands a moment later)
    await vi.waitFor(async () => {
      const put = await t.app.database.read((q, tt) =>
        q.select().from(tt.auditLog).where(eq(tt.auditLog.action, 'PUT /api/documents/:id/confidentiality')),
      );
      expect(put.some((a) => a.outcome === 'ok')).toBe(true);
      expect(put.some((a) => a.outcome === 'refused')).toBe(true);
    });
  });
});

describe("a member's copy", () => {
  let a: Buffer;
  it("carries the caller's name on every page and not another member's", async () => {
    const ra = await d1.get(`/api/documents/${docId}/file`);
    const rb = await d2.get(`/api/documents/${docId}/file`);
    expect(ra.statusCode).toBe(200);
    expect(rb.statusCode).toBe(200);
    a = ra.rawPayload;
    const b = rb.rawPayload;
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    expect(Buffer.compare(a, Buffer.from(fixture('tracemonkey.pdf')))).not.toBe(0);
    // every page: the name of delegate1 (Lê Văn Cường), their account and the level
    const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [writeTemp(a, 'a.pdf')]))?.[1]);
    expect(pages).toBe(14);
    for (let p = 1; p <= pages; p++) {
      const text = squeezed(a, [p, p]);
      expect(text, `page ${p}`).toContain(noSpace('Lê Văn Cường'));
      expect(text, `page ${p}`).toContain('delegate1');
      expect(text, `page ${p}`).toContain(noSpace('Sở Tài chính'));
      expect(text, `page ${p}`).toContain('TỐIMẬT');
      expect(text, `page ${p}`).not.toContain(noSpace('Phạm Thị Dung'));
    }
    const textB = squeezed(b);
    expect(textB).toContain(noSpace('Phạm Thị Dung'));
    expect(textB).not.toContain(noSpace('Lê Văn Cường'));
    expect(textB).not.toContain(noSpace('Sở Tài chính'));
    // the page's own text is still there (the watermark is added, nothing taken away)
    expect(squeezed(a, [1, 1])).toContain('Trace-basedJust-in-TimeTypeSpecialization');
  });

  it('is served with Range and a stable ETag, from the cache on the next open', async () => {
    const part = await d1.get(`/api/documents/${docId}/file`, { range: 'bytes=0-99' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-99/${a.length}`);
    expect(Buffer.compare(part.rawPayload, a.subarray(0, 100))).toBe(0);
    const again = await d1.get(`/api/documents/${docId}/file`);
    expect(again.headers.etag).toBe(part.headers.etag);
    expect(Buffer.compare(again.rawPayload, a)).toBe(0);
    expect((await d1.get(`/api/documents/${docId}/file`, { 'if-none-match': String(part.headers.etag) })).statusCode).toBe(304);
    // one cached file per reader of the document
    const dir = path.join(t.dataDir, 'watermarked', docId);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.pdf')).length).toBe(2);
  });

  it('refuses the original to members with CONFIDENTIAL_DOCUMENT; organisers still get it', async () => {
    for (const s of [d1, d2]) {
      const r = await s.get(`/api/documents/${docId}/file?original=1`);
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('CONFIDENTIAL_DOCUMENT');
    }
    const orig = await secretary.get(`/api/documents/${docId}/file?original=1`);
    expect(orig.statusCode).toBe(200);
    expect(Buffer.compare(orig.rawPayload, Buffer.from(fixture('tracemonkey.pdf')))).toBe(0);
    const viewed = await chair.get(`/api/documents/${docId}/file`);
    expect(squeezed(viewed.rawPayload)).not.toContain(noSpace('Nguyễn Văn An'));
  });

  it('refuses the annotated export to members; organisers may export', async () => {
    for (const s of [d1, d2]) {
      const r = await s.get(`/api/documents/${docId}/annotated.pdf`);
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('CONFIDENTIAL_DOCUMENT');
    }
    expect((await chair.get(`/api/documents/${docId}/annotated.pdf`)).statusCode).toBe(200);
  });

  it('puts every open in the audit log, the refusals too, but not each following Range request', async () => {
    // a refused open is audited after its response: wait for all five of delegate1's
    await vi.waitFor(async () => expect((await openAudits(d1.userId)).length).toBe(5));
    const d1Opens = await openAudits(d1.userId);
    const ok = d1Opens.filter((r) => r.outcome === 'ok');
    // opens: the whole file twice, the range from byte 0 once, the 304 revalidation once
    expect(ok.length).toBe(4);
    expect(ok.every((r) => JSON.parse(r.details).variant === 'watermarked')).toBe(true);
    const refused = d1Opens.filter((r) => r.outcome === 'refused');
    expect(refused.length).toBe(1);
    expect(refused[0]!.code).toBe('CONFIDENTIAL_DOCUMENT');
    expect(JSON.parse(refused[0]!.details).variant).toBe('original');
    await d1.get(`/api/documents/${docId}/file`, { range: 'bytes=100-199' });
    expect((await openAudits(d1.userId)).length).toBe(5);
    expect((await openAudits(secretary.userId)).map((r) => JSON.parse(r.details).variant)).toEqual(['original']);
    // administrators read the trail through its API
    const trail = await admin.get(`/api/admin/audit?meetingId=${meetingId}&limit=200`);
    expect(trail.statusCode).toBe(200);
    expect(JSON.stringify(trail.json())).toContain('document.open');
  });

  it('an ordinary document again: the copies go, members read the original', async () => {
    expect((await chair.put(`/api/documents/${docId}/confidentiality`, { level: null })).json().confidentiality).toBeNull();
    expect(fs.existsSync(path.join(t.dataDir, 'watermarked', docId))).toBe(false);
    const r = await d1.get(`/api/documents/${docId}/file?original=1`);
    expect(r.statusCode).toBe(200);
    expect(Buffer.compare(r.rawPayload, Buffer.from(fixture('tracemonkey.pdf')))).toBe(0);
    expect((await secretary.put(`/api/documents/${docId}/confidentiality`, { level: 'mat' })).statusCode).toBe(200);
  });
});

describe('the room screen', () => {
  it('gets a confidential document only while the chair shows it, marked as the room screen', async () => {
    const { token } = (await chair.post(`/api/meetings/${meetingId}/room-token`)).json();
    const room = client(t.app, asCookie(await t.app.inject({ method: 'POST', url: '/api/room/session', payload: { token } })));
    const before = await room.get(`/api/room/documents/${docId}/file`);
    expect(before.statusCode).toBe(403);
    expect(before.json().error.code).toBe('CONFIDENTIAL_DOCUMENT');
    expect(
      (await t.app.live.execute(await asUser('chair'), { id: 'conf-start', meetingId, type: 'meeting.start', payload: {} }))
        .event,
    ).toBeTruthy();
    const shown = await t.app.live.execute(await asUser('chair'), {
      id: 'conf-show',
      meetingId,
      type: 'document.show',
      payload: { documentId: docId },
    });
    expect(shown.event?.type).toBe('document.show');
    const during = await room.get(`/api/room/documents/${docId}/file`);
    expect(during.statusCode).toBe(200);
    const text = squeezed(during.rawPayload, [1, 1]);
    expect(text).toContain(noSpace('Màn hình phòng họp'));
    expect(text).toContain('MẬT');
    expect((await room.get(`/api/room/documents/${docId}/file?original=1`)).statusCode).toBe(403);
    // the chair moves on to another document: the confidential one is refused again
    const other = (await chair.get(`/api/meetings/${meetingId}`)).json().documents.find((d: { id: string }) => d.id !== docId);
    expect(
      (
        await t.app.live.execute(await asUser('chair'), {
          id: 'conf-show2',
          meetingId,
          type: 'document.show',
          payload: { documentId: other.id },
        })
      ).event,
    ).toBeTruthy();
    expect((await room.get(`/api/room/documents/${docId}/file`)).statusCode).toBe(403);
    await vi.waitFor(async () =>
      expect((await openAudits(null)).map((r) => r.outcome)).toEqual(expect.arrayContaining(['ok', 'refused'])),
    );
  });
});

describe('keeping a confidential document on the device (offline reading)', () => {
  it('is off by default; only the organisers turn it on; bad bodies change nothing', async () => {
    expect((await d1.get(`/api/documents/${docId}`)).json().offlineAllowed).toBe(false);
    const refused = await d1.put(`/api/documents/${docId}/offline`, { allowed: true });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('FORBIDDEN');
    for (const body of [{ allowed: 'yes' }, {}, { allowed: true, extra: 1 }, { allowed: null }]) {
      const r = await secretary.put(`/api/documents/${docId}/offline`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await d1.get(`/api/documents/${docId}`)).json().offlineAllowed).toBe(false);
    const ok = await secretary.put(`/api/documents/${docId}/offline`, { allowed: true });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().offlineAllowed).toBe(true);
    // members see it with the meeting (the device keeps their watermarked copy from then on)
    const listed = (await d1.get(`/api/meetings/${meetingId}`)).json().documents.find((d: { id: string }) => d.id === docId);
    expect(listed.offlineAllowed).toBe(true);
    expect((await secretary.put(`/api/documents/${docId}/offline`, { allowed: false })).json().offlineAllowed).toBe(false);
    expect((await d1.put('/api/documents/nope/offline', { allowed: true })).statusCode).toBe(404);
  });
});
