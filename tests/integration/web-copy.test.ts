// Big uploads get a web-optimized copy for viewing (server/pdf/web-copy.ts): page dictionaries in
// object streams, so pdf.js over HTTP Range opens the file with a handful of requests instead of
// one per page, and page 1's objects first, so that the prefix the file route announces
// (FIRST_PAGE_BYTES_HEADER) holds everything page 1 draws. The original stays what the upload's
// sha256, ?original=1 and exports refer to.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { asCookie, client, session, uploadDocument, type Session } from '../helpers/http';
import { fixture } from '../helpers/fixtures';
import { scannedLikePdf } from '../helpers/scanned-pdf';
import { FIRST_PAGE_BYTES_HEADER } from '../../shared/document-file';
import { eq } from 'drizzle-orm';

const PAGES = 120;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * Range requests pdf.js makes (64 KB chunks, no auto-fetch, as the client does) to open a file and
 * parse page 1, given its first `head` bytes (64 KB, or the prefix the server announces for page 1).
 * `forPageOne`: the [begin, end) requested once the document was open.
 */
async function rangeRequestsToFirstPage(
  bytes: Uint8Array,
  head = 64 * 1024,
): Promise<{ requests: number; pages: number; forPageOne: number[][] }> {
  const { getDocument, PDFDataRangeTransport, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const asked: number[][] = [];
  const transport = new PDFDataRangeTransport(bytes.length, bytes.slice(0, head));
  transport.requestDataRange = (begin: number, end: number) => {
    asked.push([begin, end]);
    setTimeout(() => transport.onDataRange(begin, bytes.slice(begin, end)), 0);
  };
  const task = getDocument({
    range: transport,
    rangeChunkSize: 64 * 1024,
    disableAutoFetch: true,
    disableStream: true,
    isEvalSupported: false,
    verbosity: VerbosityLevel.ERRORS,
  });
  try {
    const doc = await task.promise;
    const opened = asked.length;
    await (await doc.getPage(1)).getOperatorList();
    return { requests: asked.length, pages: doc.numPages, forPageOne: asked.slice(opened) };
  } finally {
    await task.destroy();
  }
}

/** Page `n` rendered by poppler (a second parser besides pdf.js), as PNG bytes. */
function pagePng(pdf: Uint8Array, n: number): Buffer {
  const file = path.join(t.dataDir, 'render-check.pdf');
  fs.writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-r', '20', '-f', String(n), '-l', String(n), '-png', '-singlefile', file, `${file}-${n}`]);
  return fs.readFileSync(`${file}-${n}.png`);
}

let t: TestApp;
let admin: Session, delegate: Session;
let meetingId: string;
const upload = async (s: Session, bytes: Uint8Array, name: string) => {
  const res = await uploadDocument(s, meetingId, bytes, name);
  // an upload is a draft until published (issue 15); the delegate below reads it as a member
  if (res.statusCode === 201) await s.post(`/api/documents/${res.json().id}/publish`);
  // the copy is made in the background after the answer (services/web-copy-jobs.ts)
  await t.app.webCopies.idle();
  return res;
};
/** The document's row as stored, through the Store (runs on either database). */
const rowIn = async (app: TestApp['app'], id: string) => {
  const [r] = await app.database.read((q, tt) =>
    q
      .select({
        sha256: tt.documents.sha256,
        size: tt.documents.size,
        web_sha256: tt.documents.webSha256,
        web_size: tt.documents.webSize,
        web_first_page_bytes: tt.documents.webFirstPageBytes,
        web_state: tt.documents.webState,
        web_error: tt.documents.webError,
      })
      .from(tt.documents)
      .where(eq(tt.documents.id, id)),
  );
  return r!;
};
const row = (id: string) => rowIn(t.app, id);

beforeAll(async () => {
  t = await buildTestApp();
  admin = await session(t.app, 'admin');
  delegate = await session(t.app, 'delegate1');
  meetingId = (await admin.get('/api/meetings')).json()[0].id;
});
afterAll(async () => {
  await t.close();
});

describe('web-optimized copy of a big, scattered PDF', () => {
  let original: Uint8Array;
  let docId: string;
  let web: Buffer;

  beforeAll(async () => {
    original = await scannedLikePdf(PAGES);
    const res = await upload(admin, original, 'scattered.pdf');
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.sha256).toBe(sha(original)); // the upload's contract: the original's hash
    expect(body.size).toBe(original.length);
    expect(body.pageCount).toBe(PAGES);
    expect(body).not.toHaveProperty('web');
    docId = body.id;
    web = (await delegate.get(`/api/documents/${docId}/file`)).rawPayload;
  }, 120_000);

  it('is recorded, stored content-addressed, and served with its own ETag', async () => {
    const r = await row(docId);
    expect(r.sha256).toBe(sha(original));
    expect(r.web_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.web_sha256).not.toBe(r.sha256);
    expect(fs.existsSync(t.app.store.pathFor(r.web_sha256!))).toBe(true);
    const res = await delegate.get(`/api/documents/${docId}/file`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe(`"${r.web_sha256}"`);
    expect(sha(res.rawPayload)).toBe(r.web_sha256);
    expect(res.rawPayload.length).toBe(r.web_size);
    expect((await delegate.get(`/api/documents/${docId}/file`, { 'if-none-match': `"${r.web_sha256}"` })).statusCode).toBe(304);
    const part = await delegate.get(`/api/documents/${docId}/file`, { range: 'bytes=-1000' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes ${web.length - 1000}-${web.length - 1}/${web.length}`);
    expect(Buffer.compare(part.rawPayload, web.subarray(web.length - 1000))).toBe(0);
  });

  it('?original=1 serves the uploaded bytes exactly, with their ETag and Range', async () => {
    const res = await delegate.get(`/api/documents/${docId}/file?original=1`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe(`"${sha(original)}"`);
    expect(Buffer.compare(res.rawPayload, Buffer.from(original))).toBe(0);
    const part = await delegate.get(`/api/documents/${docId}/file?original=1`, { range: 'bytes=1000-1999' });
    expect(part.statusCode).toBe(206);
    expect(Buffer.compare(part.rawPayload, Buffer.from(original.subarray(1000, 2000)))).toBe(0);
  });

  it('has the same pages, and qpdf finds every page dictionary in an object stream', () => {
    const file = path.join(t.dataDir, 'web-check.pdf');
    fs.writeFileSync(file, web);
    const qpdf = (...args: string[]) => execFileSync('qpdf', [...args, file], { encoding: 'utf8' });
    expect(Number(qpdf('--show-npages').trim())).toBe(PAGES);
    qpdf('--check');
    // "page 1: 5 0 R" ... and "5/0: compressed; stream = 2, index = 3"
    const pageObjs = [...qpdf('--show-pages').matchAll(/^page \d+: (\d+) 0 R/gm)].map((m) => m[1]);
    expect(pageObjs).toHaveLength(PAGES);
    const compressed = new Set([...qpdf('--show-xref').matchAll(/^(\d+)\/0: compressed/gm)].map((m) => m[1]));
    expect(pageObjs.filter((o) => !compressed.has(o))).toEqual([]);
  });

  it('opens in pdf.js over Range with a handful of requests, where the original needs one per page', async () => {
    const before = await rangeRequestsToFirstPage(original);
    const after = await rangeRequestsToFirstPage(new Uint8Array(web));
    expect(before.pages).toBe(PAGES);
    expect(after.pages).toBe(PAGES);
    expect(before.requests).toBeGreaterThanOrEqual(PAGES);
    expect(after.requests).toBeLessThanOrEqual(5);
  }, 60_000);

  it('uploading the same bytes again reuses the copy', async () => {
    const again = (await upload(admin, original, 'again.pdf')).json();
    expect((await row(again.id)).web_sha256).toBe((await row(docId)).web_sha256);
    expect((await row(again.id)).web_first_page_bytes).toBe((await row(docId)).web_first_page_bytes);
  }, 60_000);
});

describe('page 1 first in the web copy', () => {
  const pages = 30;
  let original: Uint8Array;
  let docId: string;
  let web: Uint8Array;

  beforeAll(async () => {
    original = await scannedLikePdf(pages, { pageOneLast: true });
    const res = await upload(admin, original, 'page-one-last.pdf');
    expect(res.statusCode).toBe(201);
    docId = res.json().id;
    web = new Uint8Array((await delegate.get(`/api/documents/${docId}/file`)).rawPayload);
  }, 120_000);

  it('announces, with every Range answer, the prefix page 1 draws from: a few chunks at the start', async () => {
    const part = await delegate.get(`/api/documents/${docId}/file`, { range: 'bytes=0-65535' });
    expect(part.statusCode).toBe(206);
    const prefix = Number(part.headers[FIRST_PAGE_BYTES_HEADER.toLowerCase()]);
    expect(prefix).toBe((await row(docId)).web_first_page_bytes);
    expect(prefix % (64 * 1024)).toBe(0);
    expect(prefix).toBeGreaterThan(64 * 1024); // page 1's ~100 KB image
    expect(prefix).toBeLessThanOrEqual(4 * 64 * 1024);
    // the uploaded bytes are served as they are: page 1 is at their end, nothing to announce
    const orig = await delegate.get(`/api/documents/${docId}/file?original=1`, { range: 'bytes=0-65535' });
    expect(orig.headers).not.toHaveProperty(FIRST_PAGE_BYTES_HEADER.toLowerCase());
  });

  it('holds in that prefix all page 1 needs: given it, pdf.js paints page 1 without another request', async () => {
    const prefix = (await row(docId)).web_first_page_bytes!;
    const before = await rangeRequestsToFirstPage(original);
    expect(before.forPageOne.every(([b]) => b! > original.length / 2)).toBe(true); // the original: at its end
    const after = await rangeRequestsToFirstPage(web, prefix);
    expect(after.pages).toBe(pages);
    expect(after.forPageOne).toEqual([]);
  }, 60_000);

  it('draws every page as the original does', () => {
    for (const n of [1, 2, pages]) expect(pagePng(web, n).equals(pagePng(original, n))).toBe(true);
  });
});

describe('no web copy', () => {
  it('for a small, short PDF: the original is served', async () => {
    const tm = fixture('tracemonkey.pdf');
    const doc = (await upload(admin, tm, 'tracemonkey.pdf')).json();
    expect((await row(doc.id)).web_sha256).toBeNull();
    const res = await delegate.get(`/api/documents/${doc.id}/file`);
    expect(res.headers.etag).toBe(`"${sha(tm)}"`);
    expect(Buffer.compare(res.rawPayload, tm)).toBe(0);
  });

  it('when the copy cannot be made in time: the upload still succeeds and serves the original', async () => {
    const t2 = await buildTestApp({ config: { pdfWebCopyMinPages: 1, pdfWebCopyTimeoutMs: 1 } });
    try {
      const a = await session(t2.app, 'admin');
      const mid = (await a.get('/api/meetings')).json()[0].id;
      const tm = fixture('tracemonkey.pdf');
      const res = await uploadDocument(a, mid, tm, 'tm.pdf');
      expect(res.statusCode).toBe(201);
      expect(res.json().webCopy).toBe('pending');
      await t2.app.webCopies.idle();
      const r = await rowIn(t2.app, res.json().id);
      expect(r.web_sha256).toBeNull();
      // recorded as failed, with its reason, and logged; the original stays served
      expect(r.web_state).toBe('failed');
      expect(r.web_error).toMatch(/too long/);
      expect((await a.get(`/api/documents/${res.json().id}`)).json().webCopy).toBe('failed');
      const file = await a.get(`/api/documents/${res.json().id}/file`);
      expect(Buffer.compare(file.rawPayload, tm)).toBe(0);
      expect(fs.readdirSync(path.join(t2.dataDir, 'tmp'))).toEqual([]);
      // never retried: another pass finds nothing pending
      const failed = t2.app.webCopies.stats.failed;
      expect(failed).toBe(1);
      t2.app.webCopies.kick();
      await t2.app.webCopies.idle();
      expect(t2.app.webCopies.stats).toEqual({ made: 0, failed });
    } finally {
      await t2.close();
    }
  });
});

describe('the web copy as a background job', () => {
  it('the upload answers before the copy exists; the original is served meanwhile; a restart makes it; then it is served', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-webjob-'));
    const original = await scannedLikePdf(60);
    let docId: string;
    let mid = '';
    const first = await buildTestApp({ dataDir: dir, config: { textBackfill: false } });
    try {
      // this process never gets to make the copy (as if it stopped right after answering)
      first.app.webCopies.stop();
      const a = await session(first.app, 'admin');
      mid = (await a.get('/api/meetings')).json()[0].id;
      const res = await uploadDocument(a, mid, original, 'pending.pdf');
      expect(res.statusCode).toBe(201);
      expect(res.json().webCopy).toBe('pending');
      docId = res.json().id;
      expect((await a.post(`/api/documents/${docId}/publish`)).statusCode).toBeLessThan(300); // the room screen shows no drafts
      const r = await rowIn(first.app, docId);
      expect(r.web_state).toBe('pending');
      expect(r.web_sha256).toBeNull();
      // the original, whole and by Range, with its own ETag, with or without the viewer's pin
      for (const url of [`/api/documents/${docId}/file`, `/api/documents/${docId}/file?variant=original`]) {
        const file = await a.get(url);
        expect(file.headers.etag).toBe(`"${sha(original)}"`);
        expect(Buffer.compare(file.rawPayload, Buffer.from(original))).toBe(0);
      }
      const part = await a.get(`/api/documents/${docId}/file?variant=original`, { range: 'bytes=100-199' });
      expect(part.statusCode).toBe(206);
      expect(Buffer.compare(part.rawPayload, Buffer.from(original.subarray(100, 200)))).toBe(0);
    } finally {
      await first.close();
    }
    const second = await buildTestApp({ dataDir: dir, config: { textBackfill: false } });
    try {
      await second.app.webCopies.idle(); // resumed on ready
      const r = await rowIn(second.app, docId);
      expect(r.web_state).toBe('ready');
      expect(r.web_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(second.app.webCopies.stats).toEqual({ made: 1, failed: 0 });
      const a = await session(second.app, 'admin');
      expect((await a.get(`/api/documents/${docId}`)).json().webCopy).toBe('ready');
      const web = await a.get(`/api/documents/${docId}/file`);
      expect(web.headers.etag).toBe(`"${r.web_sha256}"`);
      expect(sha(web.rawPayload)).toBe(r.web_sha256);
      // a reading that started on the original keeps the original's bytes for its next Range requests
      const pinned = await a.get(`/api/documents/${docId}/file?variant=original`, { range: 'bytes=100-199' });
      expect(pinned.headers.etag).toBe(`"${sha(original)}"`);
      expect(Buffer.compare(pinned.rawPayload, Buffer.from(original.subarray(100, 200)))).toBe(0);
      expect((await a.get(`/api/documents/${docId}/file?variant=bogus`)).statusCode).toBe(400);
      // the room screen's route pins the same way (its screen started on the original while pending)
      const chair = await session(second.app, 'chair');
      const { token } = (await chair.post(`/api/meetings/${mid}/room-token`)).json();
      const room = client(
        second.app,
        asCookie(await second.app.inject({ method: 'POST', url: '/api/room/session', payload: { token } })),
      );
      const roomPinned = await room.get(`/api/room/documents/${docId}/file?variant=original`, { range: 'bytes=100-199' });
      expect(roomPinned.statusCode).toBe(206);
      expect(roomPinned.headers.etag).toBe(`"${sha(original)}"`);
      expect(Buffer.compare(roomPinned.rawPayload, Buffer.from(original.subarray(100, 200)))).toBe(0);
      const roomWeb = await room.get(`/api/room/documents/${docId}/file`);
      expect(roomWeb.headers.etag).toBe(`"${r.web_sha256}"`);
      expect((await room.get(`/api/room/documents/${docId}/file?variant=bogus`)).statusCode).toBe(400);
    } finally {
      await second.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('suffix ranges', () => {
  it('a suffix longer than the file selects all of it (206), as the viewer asks for every file tail', async () => {
    const tm = fixture('tracemonkey.pdf');
    const doc = (await upload(admin, tm, 'tm-suffix.pdf')).json();
    const res = await delegate.get(`/api/documents/${doc.id}/file`, { range: `bytes=-${tm.length + 5000}` });
    expect(res.statusCode).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 0-${tm.length - 1}/${tm.length}`);
    expect(Buffer.compare(res.rawPayload, tm)).toBe(0);
  });
});
