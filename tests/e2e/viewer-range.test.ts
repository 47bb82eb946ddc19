// The viewer opens a big document over HTTP Range (client/src/viewer/pdfjs.ts): its first chunk and
// tail at once, then the rest of the prefix the server announces for page 1 (FIRST_PAGE_BYTES_HEADER,
// server/pdf/web-copy.ts), so that page 1 paints without pdf.js asking for any of its bytes.
// Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { collectErrors, launchBrowser, loginThroughUi } from '../helpers/browser';
import { multipartFile, session } from '../helpers/http';
import { scannedLikePdf } from '../helpers/scanned-pdf';
import { FIRST_PAGE_BYTES_HEADER } from '../../shared/document-file';
import { VIEWER_RANGE_CHUNK as CHUNK } from '../../shared/viewer-range.mjs';

const DIST = path.resolve('client/dist');

describe('viewer: a big document over Range', () => {
  let server: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let meetingId: string;
  let docId: string;
  let prefix: number;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: DIST } });
    const admin = await session(server.app, 'admin');
    meetingId = (await admin.get('/api/meetings')).json()[0].id;
    const mp = multipartFile(await scannedLikePdf(30, { pageOneLast: true }), 'scan.pdf');
    const up = await admin.request({
      method: 'POST',
      url: `/api/meetings/${meetingId}/documents`,
      payload: mp.payload,
      headers: mp.headers,
    });
    expect(up.statusCode).toBe(201);
    docId = up.json().id;
    // the web copy is made after the answer (services/web-copy-jobs.ts); this reading is of the copy
    await server.app.webCopies.idle();
    const head = await admin.get(`/api/documents/${docId}/file`, { range: `bytes=0-${CHUNK - 1}` });
    prefix = Number(head.headers[FIRST_PAGE_BYTES_HEADER.toLowerCase()]);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('fetches page 1 as one prefix while pdf.js boots, and paints it without asking again', async () => {
    expect(prefix).toBeGreaterThan(CHUNK);
    const page = await context.newPage();
    await loginThroughUi(page, server.url, 'chair');
    await page.locator('.meeting-card').first().waitFor();
    const errors = collectErrors(page); // from here: the login page's own 401 is expected
    const ranges: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith(`/api/documents/${docId}/file`)) ranges.push(r.headers().range ?? 'none');
    });
    await page.goto(`${server.url}/meetings/${meetingId}?doc=${docId}`);
    await page.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });

    expect(ranges.slice(0, 3).sort()).toEqual(
      [`bytes=${CHUNK}-${prefix - 1}`, `bytes=-${CHUNK + 4096}`, `bytes=0-${CHUNK - 1}`].sort(),
    );
    // whatever else is asked for (other pages, thumbnails) lies past page 1's prefix
    const starts = ranges.slice(3).map((r) => Number(/^bytes=(\d+)-/.exec(r)?.[1] ?? -1));
    expect(starts.filter((b) => b < prefix)).toEqual([]);
    const dark = await page.locator('.pdf-page[data-page-number="1"] canvas').evaluate((c: HTMLCanvasElement) => {
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 200 || data[i + 1]! < 200 || data[i + 2]! < 200) n++;
      return n;
    });
    expect(dark).toBeGreaterThan(10_000); // page 1's image, not a blank canvas
    expect(errors).toEqual([]);
  });
});
