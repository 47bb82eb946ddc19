// A confidential document (tài liệu mật) in Chromium: what a delegate's viewer paints carries their
// personal watermark — pixels in the watermark's red that the organiser's render of the same page
// (the original) does not have, different for two delegates — and the bytes that browser session
// received carry the delegate's name (pdftotext); no download button; the direct URLs are refused.
// Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { collectErrors, launchBrowser, loginThroughUi, pageShown, shot } from '../helpers/browser';
import { multipartFile, session } from '../helpers/http';
import { fixture } from '../helpers/fixtures';
import { pdftotext, writeTemp } from '../helpers/poppler';

const DIST = path.resolve('client/dist');
const W = 400;
const H = 520;

/** Page 1's canvas scaled to W×H (toolbars differ by role, so canvas sizes may), as RGBA bytes. */
async function pagePixels(page: Page): Promise<Uint8ClampedArray> {
  const data = await page
    .locator('.pdf-page[data-page-number="1"] canvas')
    .first()
    .evaluate(
      (c: HTMLCanvasElement, size: { w: number; h: number }) => {
        const out = document.createElement('canvas');
        out.width = size.w;
        out.height = size.h;
        const g = out.getContext('2d')!;
        g.drawImage(c, 0, 0, size.w, size.h);
        return Array.from(g.getImageData(0, 0, size.w, size.h).data);
      },
      { w: W, h: H },
    );
  return new Uint8ClampedArray(data);
}

/** Pixels tinted like the watermark (red over the page: red well above green and blue). */
function redMask(px: Uint8ClampedArray): boolean[] {
  const m: boolean[] = [];
  for (let i = 0; i < px.length; i += 4) m.push(px[i]! - px[i + 1]! > 40 && px[i]! - px[i + 2]! > 40);
  return m;
}
const count = (m: boolean[]) => m.filter(Boolean).length;

describe('confidential document in the browser', () => {
  let server: TestApp;
  let browser: Browser;
  let meetingId: string;
  let docId: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: DIST } });
    const secretary = await session(server.app, 'secretary');
    meetingId = (await secretary.get('/api/meetings')).json()[0].id;
    const mp = multipartFile(fixture('tracemonkey.pdf'), 'mat.pdf');
    const up = await secretary.request({
      method: 'POST',
      url: `/api/meetings/${meetingId}/documents`,
      payload: mp.payload,
      headers: mp.headers,
    });
    expect(up.statusCode).toBe(201);
    docId = up.json().id;
    expect((await secretary.post(`/api/documents/${docId}/publish`)).statusCode).toBe(200); // drafts are the officers' only
    expect((await secretary.put(`/api/documents/${docId}/confidentiality`, { level: 'mat' })).statusCode).toBe(200);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Logs `username` in on a fresh tablet-sized context and opens the document. */
  async function open(username: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await loginThroughUi(page, server.url, username);
    await page.locator('.meeting-card').first().waitFor();
    const errors = collectErrors(page);
    await page.goto(`${server.url}/meetings/${meetingId}?doc=${docId}`);
    await pageShown(page, 1);
    await page.locator('[data-testid="annotation-toolbar"]').waitFor();
    return { context, page, errors };
  }

  it("paints the delegate's watermark, not on the organiser's original, different for each delegate; no download", async () => {
    const d1 = await open('delegate1');
    const d2 = await open('delegate2');
    const chair = await open('chair');
    try {
      await shot(d1.page, 'confidential-delegate1');
      await shot(chair.page, 'confidential-chair');
      const [p1, p2, pc] = [await pagePixels(d1.page), await pagePixels(d2.page), await pagePixels(chair.page)];
      const [m1, m2, mc] = [redMask(p1), redMask(p2), redMask(pc)];
      // tracemonkey page 1 is black on white: the original has no red at all
      expect(count(mc)).toBeLessThan(50);
      // the watermark: over a thousand red pixels (≈1.3% of the scaled page) for each delegate
      expect(count(m1)).toBeGreaterThan(1000);
      expect(count(m2)).toBeGreaterThan(1000);
      // two delegates, two names: their red pixels are not the same ones
      const differ = m1.reduce((n, v, i) => n + (v !== m2[i] ? 1 : 0), 0);
      expect(differ).toBeGreaterThan(1000);
      // outside the watermark the page is the same page: most pixels match the original's
      let same = 0;
      for (let i = 0; i < p1.length; i += 4) if (!m1[i / 4] && Math.abs(p1[i]! - pc[i]!) < 40) same++;
      expect(same / (W * H)).toBeGreaterThan(0.8);

      // the bytes this browser session got carry delegate1's name, not delegate2's
      const served = await d1.page.request.get(`${server.url}/api/documents/${docId}/file`);
      expect(served.status()).toBe(200);
      const text = pdftotext(writeTemp(await served.body(), 'e2e-served.pdf'), ['-raw', '-f', '1', '-l', '1']).replace(
        /\s+/g,
        '',
      );
      expect(text).toContain('LêVănCường');
      expect(text).not.toContain('PhạmThịDung');

      // the delegates have no download; the organiser has
      expect(await d1.page.locator('[data-testid="ink-download"]').count()).toBe(0);
      expect(await chair.page.locator('[data-testid="ink-download"]').count()).toBe(1);
      await d1.page.locator('[data-testid="confidential-notice"]').waitFor();
      expect(await d1.page.locator('.viewer[data-confidential="true"]').count()).toBe(1);

      // the direct URLs are refused, with the code
      for (const url of [`/api/documents/${docId}/file?original=1`, `/api/documents/${docId}/annotated.pdf`]) {
        const r = await d1.page.request.get(`${server.url}${url}`);
        expect(r.status(), url).toBe(403);
        expect((await r.json()).error.code).toBe('CONFIDENTIAL_DOCUMENT');
      }
      expect(d1.errors).toEqual([]);
      expect(d2.errors).toEqual([]);
    } finally {
      await Promise.all([d1.context.close(), d2.context.close(), chair.context.close()]);
    }
  });
});
