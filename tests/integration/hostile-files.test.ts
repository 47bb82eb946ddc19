// No file crashes or stalls the server: each upload is a 201 with the right page count or a coded
// 4xx, and the next request is answered promptly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { multipartFile, session, type Session } from '../helpers/http';
import { fixture, fixtureNames } from '../helpers/fixtures';
import { hostilePdfs, zipBytes } from '../helpers/raw-pdf';

let t: TestApp;
let admin: Session;
let meetingId: string;
const results: { name: string; status: number; code?: string }[] = [];

async function tryUpload(name: string, bytes: Uint8Array) {
  const mp = multipartFile(bytes, name);
  const res = await admin.request({
    method: 'POST',
    url: `/api/meetings/${meetingId}/documents`,
    payload: mp.payload,
    headers: mp.headers,
  });
  results.push({ name, status: res.statusCode, code: res.statusCode >= 400 ? res.json().error?.code : undefined });
  expect(res.statusCode, name).toBeLessThan(500);
  // a refusal always carries a stable code
  expect(res.statusCode === 201 ? 'CREATED' : res.json().error?.code, name).toMatch(/^[A-Z_]+$/);
  const t0 = performance.now();
  const health = await t.app.inject({ method: 'GET', url: '/api/health' });
  expect(health.statusCode).toBe(200);
  expect(performance.now() - t0, 'health answered promptly after the upload').toBeLessThan(1000);
  return res;
}

beforeAll(async () => {
  t = await buildTestApp({ config: { pdfInspectTimeoutMs: 8000, pdfInspectMemoryMb: 256 } });
  admin = await session(t.app, 'admin');
  meetingId = (await admin.get('/api/meetings')).json()[0].id;
});
afterAll(async () => {
  await t.close();
  console.log(`hostile files tried: ${results.length}; 5xx: ${results.filter((r) => r.status >= 500).length}`);
});

describe('hostile files', () => {
  it('refuses a ZIP renamed .pdf', async () => {
    expect((await tryUpload('archive.pdf', zipBytes())).json().error.code).toBe('NOT_A_PDF');
  });

  it('never believes a huge declared page count', async () => {
    // /Count says 100,000,000 but the tree holds one page: pdf.js counts the real pages.
    const res = await tryUpload('count.pdf', hostilePdfs.hugePageCount());
    expect(res.statusCode).toBe(201);
    expect(res.json().pageCount).toBe(1);
  });

  it('refuses more pages than the configured limit', async () => {
    const strict = await buildTestApp({ config: { maxPdfPages: 10 } });
    try {
      const a = await session(strict.app, 'admin');
      const mid = (await a.get('/api/meetings')).json()[0].id;
      const mp = multipartFile(fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
      const res = await a.request({
        method: 'POST',
        url: `/api/meetings/${mid}/documents`,
        payload: mp.payload,
        headers: mp.headers,
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('PDF_TOO_MANY_PAGES');
    } finally {
      await strict.close();
    }
  });

  it('accepts a PDF carrying JavaScript and launch actions as a document (pdf.js never runs them)', async () => {
    const res = await tryUpload('script.pdf', hostilePdfs.withJavaScript());
    expect(res.statusCode).toBe(201);
    expect(res.json().pageCount).toBe(1);
  });

  it.each(['deepNesting', 'inflateBomb', 'cyclicPages'] as const)('survives %s', async (kind) => {
    await tryUpload(`${kind}.pdf`, hostilePdfs[kind]());
  });

  it('survives every fixture truncated at random offsets', async () => {
    const names = fixtureNames();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.double({ min: 0, max: 1, noNaN: true }), async (name, frac) => {
        const bytes = fixture(name);
        await tryUpload(`cut-${name}`, bytes.subarray(0, Math.floor(bytes.length * frac)));
      }),
      { numRuns: 12, seed: 20261123 },
    );
  });

  it('survives random byte flips in a real PDF', async () => {
    const src = fixture('sizes.pdf');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(src.length - 1), fc.nat(255)), { minLength: 1, maxLength: 40 }),
        async (flips) => {
          const b = Buffer.from(src);
          for (const [i, v] of flips) b[i] = v;
          await tryUpload('flipped.pdf', b);
        },
      ),
      { numRuns: 8, seed: 7 },
    );
  });
});
