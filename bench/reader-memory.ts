// The reader on the 300-page benchmark file (bench/make-large-pdf.ts) on a tablet: 1024×768 CSS px
// at device pixel ratio 2, continuous scroll, fit width, thumbnails open (as the app opens them at
// this width). Scrolls from page 1 to page 300 two screens at a time, waiting at each stop until
// the mounted pages are painted, and records how many pages are mounted, the canvas backing store
// held by live canvases (width × height × 4 bytes, pages and thumbnails apart), the main
// thread's JS heap (CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage) and the resident
// memory of this browser's renderer process (/proc VmRSS: the page, the pdf.js worker and, with
// --disable-gpu, the canvases' pixels). Before scrolling, on a freshly opened document, times find:
// a word on one late page (the first search, which fetches every page's text), then another word
// (text already fetched). The app is the built client (`npm run build` first) served by the real
// server (in-process, temp data dir); the file is uploaded as a member would see it.
//   npx tsx bench/reader-memory.ts
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, loginThroughUi } from '../tests/helpers/browser';
import { buildTestApp } from '../tests/helpers/build-app';
import { ensureLargePdf, LARGE_PDF_PAGES } from './make-large-pdf';
import { demoSetup } from './lib/product';

const MB = 2 ** 20;

/** Resident memory of the renderer processes descending from this process (our Chromium's). */
function rendererRss(): number {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const mine = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  let kb = 0;
  for (const pid of parent.keys()) {
    try {
      if (!mine(pid) || !fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      /* gone */
    }
  }
  return kb * 1024;
}

async function main() {
  const file = await ensureLargePdf({ log: console.log });
  const server = await buildTestApp({
    listen: true,
    config: { clientDistDir: path.resolve('client/dist'), pdfInspectTimeoutMs: 120_000 },
  });
  const browser = await launchBrowser();
  try {
    const s = await demoSetup(server.url, { users: ['admin'], pdfPath: file });
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: 2, locale: 'vi-VN' });
    await context.addInitScript(() => localStorage.setItem('hop.viewer.layout', 'scroll'));
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await loginThroughUi(page, server.url, 'delegate1');
    await page.locator('.meeting-card').first().waitFor();
    await page.goto(`${server.url}/meetings/${s.meetingId}?doc=${s.documentId}`);
    await page.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 60_000 });

    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const h = await cdp.send('Runtime.getHeapUsage');
      return h.usedSize;
    };
    const canvases = () =>
      page.evaluate(() => {
        let pages = 0;
        let thumbs = 0;
        let n = 0;
        for (const c of document.querySelectorAll('canvas')) {
          const bytes = c.width * c.height * 4;
          if (c.closest('.pdf-page')) {
            pages += bytes;
            if (bytes) n++;
          } else thumbs += bytes;
        }
        return { pages, thumbs, pageCanvases: n, mounted: document.querySelectorAll('.scroll-pages__slot').length };
      });
    const settle = () =>
      page.waitForFunction(
        () => {
          const ps = [...document.querySelectorAll('.scroll-pages__slot')];
          return ps.length > 0 && ps.every((s) => s.querySelector('.pdf-page[data-rendered="true"]'));
        },
        undefined,
        { timeout: 30_000 },
      );

    const heapStart = await heap();
    const rssStart = rendererRss();
    const find = async (q: string) => {
      await page.getByTestId('find-input').fill('');
      const t = Date.now();
      await page.getByTestId('find-input').fill(q);
      await page.waitForFunction(
        () => /^\d+$/.test(document.querySelector('[data-testid="find-status"]')?.getAttribute('data-count') ?? ''),
        undefined,
        { timeout: 300_000 },
      );
      const ms = Date.now() - t;
      const count = await page.getByTestId('find-status').getAttribute('data-count');
      return { ms, count };
    };
    await page.keyboard.press('Control+F');
    const first = await find('page 287');
    await page.locator('mark.find-hit--current').waitFor({ timeout: 30_000 });
    const second = await find('trang 12 /');
    const heapAfterFind = await heap();
    await page.getByTestId('find-input').press('Escape');
    await page.getByTestId('page-input').fill('1');
    await page.getByTestId('page-input').press('Enter');
    await page.waitForFunction(() => (document.querySelector('.viewer__scroll')?.scrollTop ?? 1e9) < 100);
    await settle();
    const start = await canvases();
    const rssAfterFind = rendererRss();
    let maxRss = rssAfterFind;
    let maxPagesBytes = start.pages;
    let maxMounted = start.mounted;
    let maxCanvases = start.pageCanvases;
    let maxHeap = heapStart;
    let stops = 0;
    const t0 = Date.now();
    for (;;) {
      const at = await page.locator('.viewer__scroll').evaluate((el) => {
        el.scrollBy(0, el.clientHeight * 2);
        return el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      });
      await settle();
      stops++;
      const c = await canvases();
      maxPagesBytes = Math.max(maxPagesBytes, c.pages);
      maxMounted = Math.max(maxMounted, c.mounted);
      maxCanvases = Math.max(maxCanvases, c.pageCanvases);
      if (stops % 25 === 0) {
        maxHeap = Math.max(maxHeap, await heap());
        maxRss = Math.max(maxRss, rendererRss());
      }
      if (at) break;
    }
    const scrollMs = Date.now() - t0;
    const lastShown = await page.getByTestId('page-input').inputValue();
    const heapEnd = await heap();
    const end = await canvases();
    const rssEnd = rendererRss();

    // a fresh load again (cold pdf.js), a word on an early page: when its hit is highlighted
    // (found hits show while the rest of the document is searched) and when the count is final
    await page.reload();
    await page.locator('.pdf-page[data-rendered="true"]').first().waitFor({ timeout: 60_000 });
    await page.getByTestId('page-input').fill('1');
    await page.getByTestId('page-input').press('Enter');
    await page.keyboard.press('Control+F');
    const t3 = Date.now();
    await page.getByTestId('find-input').fill('trang 5 /');
    await page.locator('mark.find-hit--current').waitFor({ timeout: 300_000 });
    const earlyFirstMs = Date.now() - t3;
    await page.waitForFunction(
      () => /^\d+$/.test(document.querySelector('[data-testid="find-status"]')?.getAttribute('data-count') ?? ''),
      undefined,
      { timeout: 300_000 },
    );
    const earlyAllMs = Date.now() - t3;

    const f = (b: number) => `${(b / MB).toFixed(1)} MB`;
    console.log(`reader on ${LARGE_PDF_PAGES} pages, 1024×768 @2x, continuous scroll, fit width`);
    console.log(
      `  scrolled 1 → ${lastShown} in ${stops} stops of two screens (${(scrollMs / 1000).toFixed(1)} s, each stop painted)`,
    );
    console.log(
      `  pages mounted: start ${start.mounted}, max ${maxMounted}, end ${end.mounted}; painted page canvases max ${maxCanvases}`,
    );
    console.log(
      `  page canvas backing store: start ${f(start.pages)}, max ${f(maxPagesBytes)}, end ${f(end.pages)} (one page: ${f(start.pages / Math.max(1, start.pageCanvases))})`,
    );
    console.log(`  thumbnail canvases: end ${f(end.thumbs)}`);
    console.log(
      `  JS heap (main thread, after GC): opened ${f(heapStart)}, after find ${f(heapAfterFind)}, max sampled while scrolling ${f(maxHeap)}, end of scroll ${f(heapEnd)}`,
    );
    console.log(
      `  renderer process RSS: opened ${f(rssStart)}, after find ${f(rssAfterFind)}, max sampled while scrolling ${f(maxRss)}, end of scroll ${f(rssEnd)}`,
    );
    console.log(
      `  find "page 287" (first search on the freshly opened file, fetches all pages' text): ${first.count} hit(s) in ${first.ms} ms (incl. 200 ms debounce)`,
    );
    console.log(`  find "trang 12 /" (text cached): ${second.count} hit(s) in ${second.ms} ms (incl. 200 ms debounce)`);
    console.log(
      `  find "trang 5 /" after a reload (cold): hit on page 5 highlighted after ${earlyFirstMs} ms, count final after ${earlyAllMs} ms`,
    );
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
