// Each page's text, read by pdf.js in the 'files' worker pool at upload (server/pdf/extract-text.ts,
// services/document-text.ts), and the backfill for documents stored before. Checked against
// poppler's pdftotext, an independent reader.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { multipartFile, session, type Session } from '../helpers/http';
import { fixture } from '../helpers/fixtures';
import { pdftotext, writeTemp } from '../helpers/poppler';
import { documentPageTexts, documentTextState } from '../../server/services/document-text';
import { DEMO_DOCUMENTS } from '../../server/seed/demo-documents';

let t: TestApp;
let chair: Session;
let meetingId: string;

const upload = (s: Session, bytes: Uint8Array, name: string) => {
  const mp = multipartFile(bytes, name);
  return s.request({ method: 'POST', url: `/api/meetings/${meetingId}/documents`, payload: mp.payload, headers: mp.headers });
};
const words = (s: string) =>
  s
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 5);

beforeAll(async () => {
  t = await buildTestApp({ config: { textBackfill: false } });
  chair = await session(t.app, 'chair');
  meetingId = (await chair.get('/api/meetings')).json()[0].id;
});
afterAll(async () => {
  await t.close();
});

describe('text extraction at upload', () => {
  it('stores every page of tracemonkey.pdf with the words pdftotext reads on that page', async () => {
    const res = await upload(chair, fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    expect(await t.app.database.read((q, tt) => documentTextState(q, tt, id))).toBe('done');
    const pages = await t.app.database.read((q, tt) => documentPageTexts(q, tt, id));
    expect(pages).toHaveLength(14);
    const file = writeTemp(fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
    for (const n of [1, 3, 14]) {
      const ours = new Set(words(pages[n - 1]!));
      const theirs = words(pdftotext(file, ['-f', String(n), '-l', String(n)]));
      expect(theirs.length).toBeGreaterThan(50);
      const found = theirs.filter((w) => ours.has(w)).length;
      // hyphenation and ligatures split a few words differently in the two readers; nearly all agree
      expect(found / theirs.length, `page ${n}`).toBeGreaterThan(0.9);
    }
    // and the pages are not mixed up: page 1's title is on page 1 only
    expect(pages[0]).toMatch(/Trace-based Just-in-Time/);
    expect(pages.slice(1).some((p) => /Trace-based Just-in-Time Type Specialization/.test(p))).toBe(false);
  });

  it('a page without text (a scan) is stored empty, and the document is done', async () => {
    const res = await upload(chair, fixture('alphatrans.pdf'), 'alphatrans.pdf');
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    expect(await t.app.database.read((q, tt) => documentTextState(q, tt, id))).toBe('done');
    const pages = await t.app.database.read((q, tt) => documentPageTexts(q, tt, id));
    expect(pages).toHaveLength(res.json().pageCount);
    const file = writeTemp(fixture('alphatrans.pdf'), 'alphatrans.pdf');
    expect(pages.join('').trim() === '').toBe(pdftotext(file).trim() === '');
  });

  it('the rows go with their document', async () => {
    const res = await upload(chair, fixture('tracemonkey.pdf'), 'again.pdf');
    const id = res.json().id as string;
    expect(await t.app.database.read((q, tt) => documentPageTexts(q, tt, id))).toHaveLength(14);
    expect((await chair.request({ method: 'DELETE', url: `/api/meetings/${meetingId}/documents/${id}` })).statusCode).toBe(204);
    expect(await t.app.database.read((q, tt) => documentPageTexts(q, tt, id))).toEqual([]);
  });
});

describe('backfill of documents stored before', () => {
  it('extracts, after start and without delaying it, the text of rows that have none (Vietnamese exact)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-text-'));
    try {
      // the demo seeded in place; then its rows made to look older than this feature
      const first = await buildTestApp({ dataDir: dir, config: { textBackfill: false } });
      const ids = await first.app.database.write(null, async (tx, tt) => {
        await tx.delete(tt.documentPageTexts);
        await tx.update(tt.documents).set({ textState: null });
        return tx.select({ id: tt.documents.id, title: tt.documents.title }).from(tt.documents);
      });
      expect(ids.length).toBe(DEMO_DOCUMENTS.length);
      await first.close();

      const second = await buildTestApp({ dataDir: dir });
      try {
        // the server is up before the backfill is over: it answers at once
        expect((await second.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBeLessThan(500);
        const n = await second.app.textBackfill.done;
        expect(n).toBe(ids.length);
        for (const d of ids) {
          expect(await second.app.database.read((q, tt) => documentTextState(q, tt, d.id))).toBe('done');
          const pages = await second.app.database.read((q, tt) => documentPageTexts(q, tt, d.id));
          const spec = DEMO_DOCUMENTS.find((s) => s.title === d.title)!;
          expect(pages).toHaveLength(spec.pages);
          // the running header carries the document's title on every page, in Vietnamese
          expect(pages[1]!.replace(/\s+/g, ' ')).toContain(spec.title);
        }
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
