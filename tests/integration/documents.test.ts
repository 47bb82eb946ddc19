import { count } from 'drizzle-orm';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { multipartFile, session, type Session } from '../helpers/http';
import { fixture, fixtureNames } from '../helpers/fixtures';

let t: TestApp;
let admin: Session, chair: Session, delegate: Session;
let meetingId: string;

const upload = (s: Session, bytes: Uint8Array, name = 'x.pdf', mid = meetingId) => {
  const mp = multipartFile(bytes, name);
  return s.request({ method: 'POST', url: `/api/meetings/${mid}/documents`, payload: mp.payload, headers: mp.headers });
};
/** documents stored, through the Store (either database) */
const documentsIn = async (app: TestApp['app']) =>
  (await app.database.read((q, tt) => q.select({ n: count() }).from(tt.documents)))[0]!.n;
const documentCount = () => documentsIn(t.app);

beforeAll(async () => {
  t = await buildTestApp();
  admin = await session(t.app, 'admin');
  chair = await session(t.app, 'chair');
  delegate = await session(t.app, 'delegate1');
  meetingId = (await chair.get('/api/meetings')).json()[0].id;
});
afterAll(async () => {
  await t.close();
});

describe('document upload', () => {
  // Every real-world fixture, broken ones included: a 201 with pdf.js' page count, or a coded 4xx.
  it.each(fixtureNames())('%s → 201 with its page count, or a coded 4xx', async (name) => {
    const res = await upload(admin, fixture(name), name);
    expect(res.statusCode).toBeLessThan(500);
    if (res.statusCode === 201) {
      const body = res.json();
      expect(body.pageCount).toBeGreaterThan(0);
      expect(body.filename).toBe(name);
      expect(body.sha256).toMatch(/^[0-9a-f]{64}$/);
      // pdfinfo (poppler) is an independent reader: the page counts must agree
      const tmp = path.join(t.dataDir, `check-${name}`);
      fs.writeFileSync(tmp, fixture(name));
      // poppler reads every accepted fixture (a fixture it refused would fail here: decide it then)
      const info = execFileSync('pdfinfo', [tmp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      expect(body.pageCount).toBe(Number(/Pages:\s+(\d+)/.exec(info)?.[1]));
    } else {
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
    }
  });

  it('tracemonkey.pdf has the 14 pages pdf.js reports', async () => {
    const res = await upload(admin, fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
    expect(res.statusCode).toBe(201);
    expect(res.json().pageCount).toBe(14);
  });

  it('refuses a text file renamed .pdf with NOT_A_PDF and stores nothing', async () => {
    const before = await documentCount();
    const res = await upload(admin, new TextEncoder().encode('this is not a pdf\n'.repeat(50)), 'fake.pdf');
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('NOT_A_PDF');
    expect(await documentCount()).toBe(before);
    expect(fs.readdirSync(path.join(t.dataDir, 'tmp'))).toEqual([]);
  });

  it('refuses an empty file, a truncated PDF and an HTML page with coded 4xx', async () => {
    const tm = fixture('tracemonkey.pdf');
    for (const [name, bytes] of [
      ['zero.pdf', new Uint8Array(0)],
      ['truncated.pdf', tm.subarray(0, 2000)],
      ['page.pdf', new TextEncoder().encode('<!doctype html><html><body>%PDF-1.4 not really</body></html>')],
    ] as const) {
      const res = await upload(admin, bytes, name);
      expect(res.statusCode, name).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, name).toBeLessThan(500);
      expect(res.json().error.code, name).toMatch(/NOT_A_PDF|PDF_UNREADABLE/);
    }
  });

  it('refuses a password-protected PDF with PDF_ENCRYPTED', async () => {
    const src = path.join(t.dataDir, 'plain.pdf'),
      enc = path.join(t.dataDir, 'enc.pdf');
    fs.writeFileSync(src, fixture('sizes.pdf'));
    execFileSync('qpdf', ['--encrypt', 'user-pw', 'owner-pw', '256', '--', src, enc]);
    const res = await upload(admin, fs.readFileSync(enc), 'enc.pdf');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('PDF_ENCRYPTED');
  });

  it('refuses a file over the size limit with 413 and keeps nothing', async () => {
    const small = await buildTestApp({ config: { maxUploadBytes: 100 * 1024 } });
    try {
      const a = await session(small.app, 'admin');
      const mid = (await a.get('/api/meetings')).json()[0].id;
      const before = await documentsIn(small.app);
      const res = await upload(a, fixture('tracemonkey.pdf'), 'big.pdf', mid);
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await documentsIn(small.app)).toBe(before);
    } finally {
      await small.close();
    }
  });

  it('refuses uploads without a file field, and from a participant', async () => {
    const mp = multipartFile(fixture('sizes.pdf'), 'sizes.pdf', 'other');
    const wrongField = await admin.request({
      method: 'POST',
      url: `/api/meetings/${meetingId}/documents`,
      payload: mp.payload,
      headers: mp.headers,
    });
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json().error.code).toBe('INVALID');
    const json = await admin.post(`/api/meetings/${meetingId}/documents`, { file: 'x' });
    expect(json.statusCode).toBeGreaterThanOrEqual(400);
    expect(json.statusCode).toBeLessThan(500);
    const before = await documentCount();
    const byDelegate = await upload(delegate, fixture('sizes.pdf'), 'sizes.pdf');
    expect(byDelegate.statusCode).toBe(403);
    expect(byDelegate.json().error.code).toBe('FORBIDDEN');
    expect(await documentCount()).toBe(before);
  });

  it('stores identical bytes once (content-addressed)', async () => {
    const a = (await upload(admin, fixture('rotation.pdf'), 'a.pdf')).json();
    const b = (await upload(admin, fixture('rotation.pdf'), 'b.pdf')).json();
    expect(a.id).not.toBe(b.id);
    expect(a.sha256).toBe(b.sha256);
    const dir = path.join(t.dataDir, 'files', a.sha256.slice(0, 2));
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(a.sha256))).toHaveLength(1);
  });

  it('keeps Vietnamese filenames', async () => {
    const res = await upload(admin, fixture('sizes.pdf'), 'Tờ trình số 12.pdf');
    expect(res.json().filename).toBe('Tờ trình số 12.pdf');
  });
});

describe('document download', () => {
  let docId: string;
  const tm = fixture('tracemonkey.pdf');
  beforeAll(async () => {
    docId = (await upload(admin, tm, 'tracemonkey.pdf')).json().id;
    // a draft until sent to the members (issue 15): the delegate downloads it below
    expect((await admin.post(`/api/documents/${docId}/publish`)).statusCode).toBe(200);
  });

  it('serves the bytes with ETag and Accept-Ranges', async () => {
    const res = await delegate.get(`/api/documents/${docId}/file`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(Buffer.compare(res.rawPayload, tm)).toBe(0);
  });

  it('answers a Range with 206 and exactly those bytes', async () => {
    const res = await delegate.get(`/api/documents/${docId}/file`, { range: 'bytes=1000-1999' });
    expect(res.statusCode).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 1000-1999/${tm.length}`);
    expect(Buffer.compare(res.rawPayload, tm.subarray(1000, 2000))).toBe(0);
    const tail = await delegate.get(`/api/documents/${docId}/file`, { range: 'bytes=-500' });
    expect(tail.statusCode).toBe(206);
    expect(Buffer.compare(tail.rawPayload, tm.subarray(tm.length - 500))).toBe(0);
  });

  it('answers an unsatisfiable Range with 416', async () => {
    const res = await delegate.get(`/api/documents/${docId}/file`, { range: `bytes=${tm.length + 10}-${tm.length + 20}` });
    expect(res.statusCode).toBe(416);
    expect(res.json().error.code).toBe('RANGE_NOT_SATISFIABLE');
  });

  it('answers If-None-Match with 304', async () => {
    const etag = String((await delegate.get(`/api/documents/${docId}/file`)).headers.etag);
    const res = await delegate.get(`/api/documents/${docId}/file`, { 'if-none-match': etag });
    expect(res.statusCode).toBe(304);
    expect(res.rawPayload.length).toBe(0);
  });

  it('answers unknown and malformed ids with 404/400, never 500', async () => {
    expect((await delegate.get('/api/documents/doesnotexist/file')).statusCode).toBe(404);
    expect((await delegate.get('/api/documents/..%2F..%2Fetc%2Fpasswd/file')).statusCode).toBe(400);
  });

  it('gives the demo documents as valid PDFs with Vietnamese text', async () => {
    const detail = (await chair.get(`/api/meetings/${meetingId}`)).json();
    const demo = detail.documents.find((d: { filename: string }) => d.filename === 'bao-cao-cong-tac-thang-11.pdf');
    const res = await chair.get(`/api/documents/${demo.id}/file`);
    const pdf = await PDFDocument.load(res.rawPayload);
    expect(pdf.getPageCount()).toBe(demo.pageCount);
    const file = path.join(t.dataDir, 'demo.pdf');
    fs.writeFileSync(file, res.rawPayload);
    const text = execFileSync('pdftotext', ['-l', '1', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Báo cáo kết quả công tác tháng 11');
    expect(text).toContain('Kết quả thực hiện nhiệm vụ');
  });
});
