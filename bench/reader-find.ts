// Time to the first find result on the 300-page benchmark file (bench/make-large-pdf.ts), freshly
// opened in the app's reader (Debian Chromium, 1024×768 @2x, continuous scroll), two ways in the same
// run: with the page text the server read at upload (GET /api/documents/:id/text narrows which
// pages pdf.js reads: client/src/viewer/server-text.ts), and without it (that request blocked in the
// browser, so find reads every page through pdf.js as before). Each way in a fresh browser context,
// alternating, `ROUNDS` times (default 2). Times from typing the query to the current hit being
// highlighted, and to the final count. The app is the built client (`npm run build` first).
//   npx tsx bench/reader-find.ts
import path from 'node:path';
import { launchBrowser, loginThroughUi } from '../tests/helpers/browser';
import { buildTestApp } from '../tests/helpers/build-app';
import { ensureLargePdf, LARGE_PDF_PAGES } from './make-large-pdf';
import { demoSetup } from './lib/product';

const ROUNDS = Number(process.env.ROUNDS ?? 2);
const QUERY = 'page 287';

async function main() {
  const file = await ensureLargePdf({ log: console.log });
  const server = await buildTestApp({
    listen: true,
    config: { clientDistDir: path.resolve('client/dist'), pdfInspectTimeoutMs: 120_000 },
  });
  const browser = await launchBrowser();
  try {
    const s = await demoSetup(server.url, { users: ['admin'], pdfPath: file });
    const once = async (serverText: boolean) => {
      const context = await browser.newContext({
        viewport: { width: 1024, height: 768 },
        deviceScaleFactor: 2,
        locale: 'vi-VN',
        serviceWorkers: 'block',
      });
      await context.addInitScript(() => localStorage.setItem('hop.viewer.layout', 'scroll'));
      let textRequests = 0;
      await context.route('**/api/documents/*/text', (route) => {
        textRequests++;
        return serverText ? route.continue() : route.abort();
      });
      const page = await context.newPage();
      await loginThroughUi(page, server.url, 'delegate1');
      await page.locator('.meeting-card').first().waitFor();
      await page.goto(`${server.url}/meetings/${s.meetingId}?doc=${s.documentId}`);
      await page.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 60_000 });
      await page.keyboard.press('Control+F');
      const t0 = Date.now();
      await page.getByTestId('find-input').fill(QUERY);
      await page.locator('mark.find-hit--current').waitFor({ timeout: 300_000 });
      const firstMs = Date.now() - t0;
      await page.waitForFunction(
        () => /^\d+$/.test(document.querySelector('[data-testid="find-status"]')?.getAttribute('data-count') ?? ''),
        undefined,
        { timeout: 300_000 },
      );
      const allMs = Date.now() - t0;
      const count = await page.getByTestId('find-status').getAttribute('data-count');
      await context.close();
      return { firstMs, allMs, count, textRequests };
    };
    console.log(`find "${QUERY}" on a freshly opened ${LARGE_PDF_PAGES}-page file (includes the 200 ms debounce)`);
    for (let r = 1; r <= ROUNDS; r++) {
      const without = await once(false);
      const withText = await once(true);
      console.log(
        `  round ${r}: pdf.js only: first hit ${without.firstMs} ms, count ${without.count} final ${without.allMs} ms` +
          ` | with server text: first hit ${withText.firstMs} ms, count ${withText.count} final ${withText.allMs} ms` +
          ` (${withText.textRequests} text request) → ${(without.firstMs / withText.firstMs).toFixed(1)}× faster to the first hit`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
