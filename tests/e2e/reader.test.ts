// The reader (issue 17, item 1) in Debian's Chromium against the real server: pdf.js's text
// layer (select a line of tracemonkey.pdf and copy it), find with highlights and a count, find
// without diacritics on the demo documents, continuous scroll following the chair, and the outline,
// page labels and links of a PDF that has them. Needs `npm run build` first.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { collectErrors, launchBrowser, loginThroughUi, openDemoMeeting, pageShown } from '../helpers/browser';
import { fixture, FIXTURE_DIR } from '../helpers/fixtures';
import { multipartFile, session } from '../helpers/http';
import { LABELS, OUTLINE, WEB_LINK, outlinePdf } from '../helpers/outline-pdf';

const DIST = path.resolve('client/dist');
const TABLET = { width: 1024, height: 768 } as const;

describe('reader: text, find, scroll, outline', () => {
  let server: TestApp;
  let browser: Browser;
  let meetingId: string;
  let traceId: string;
  let outlineId: string;
  let noCopyId: string;
  const contexts: BrowserContext[] = [];

  async function newPage(user: string | null, permissions: string[] = []): Promise<{ page: Page; errors: string[] }> {
    const ctx = await browser.newContext({ viewport: TABLET, locale: 'vi-VN', permissions });
    contexts.push(ctx);
    const page = await ctx.newPage();
    if (user === null) return { page, errors: collectErrors(page) };
    await loginThroughUi(page, server.url, user);
    await page.locator('.meeting-card').first().waitFor();
    return { page, errors: collectErrors(page) };
  }
  const openDoc = async (page: Page, docId: string) => {
    await page.goto(`${server.url}/meetings/${meetingId}?doc=${docId}`);
    await pageShown(page, 1);
  };

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: DIST } });
    const admin = await session(server.app, 'admin');
    meetingId = (await admin.get('/api/meetings')).json()[0].id;
    const upload = async (bytes: Uint8Array, name: string) => {
      const mp = multipartFile(bytes, name);
      const res = await admin.request({
        method: 'POST',
        url: `/api/meetings/${meetingId}/documents`,
        payload: mp.payload,
        headers: mp.headers,
      });
      expect(res.statusCode).toBe(201);
      // circulated to the members: an upload is a draft only the officers see
      expect((await admin.post(`/api/documents/${res.json().id}/publish`)).statusCode).toBe(200);
      return res.json().id as string;
    };
    traceId = await upload(fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
    outlineId = await upload(await outlinePdf(), 'outline.pdf');
    // tracemonkey.pdf encrypted with an empty user password and copying forbidden (P bit 5 off)
    const noCopy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-reader-')), 'no-copy.pdf');
    execFileSync('qpdf', [
      '--encrypt',
      '',
      'owner-secret',
      '256',
      '--extract=n',
      '--',
      path.join(FIXTURE_DIR, 'tracemonkey.pdf'),
      noCopy,
    ]);
    noCopyId = await upload(fs.readFileSync(noCopy), 'no-copy.pdf');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it('selects the title line of tracemonkey.pdf in the text layer and copies it', async () => {
    const { page, errors } = await newPage('delegate1', ['clipboard-read', 'clipboard-write']);
    await openDoc(page, traceId);
    const layer = page.locator('.pdf-page[data-page-number="1"] [data-testid="text-layer"][data-ready="true"]');
    await layer.waitFor();
    expect(await layer.getAttribute('data-selectable')).toBe('true');
    const span = layer.locator('span', { hasText: 'Trace-based Just-in-Time' }).first();
    const box = (await span.boundingBox())!;
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const selected = await page.evaluate(() => window.getSelection()?.toString() ?? '');
    expect(selected).toContain('Trace-based Just-in-Time Type Specialization');
    await page.keyboard.press('Control+C');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('Trace-based Just-in-Time Type Specialization');
    expect(errors).toEqual([]);
  });

  it('locks the text layer of a PDF whose permissions forbid copying; find still works', async () => {
    const { page, errors } = await newPage('delegate1', ['clipboard-read', 'clipboard-write']);
    await openDoc(page, noCopyId);
    const layer = page.locator('.pdf-page[data-page-number="1"] [data-testid="text-layer"][data-ready="true"]');
    await layer.waitFor();
    expect(await layer.getAttribute('data-selectable')).toBe('false');
    const box = (await layer.locator('span', { hasText: 'Trace-based Just-in-Time' }).first().boundingBox())!;
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 10 });
    await page.mouse.up();
    expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
    await page.evaluate(() => navigator.clipboard.writeText('before'));
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+C');
    expect(await page.evaluate(() => navigator.clipboard.readText())).not.toContain('Trace-based');
    await page.getByTestId('find-toggle').click();
    await page.getByTestId('find-input').fill('trace');
    await expect
      .poll(() => page.getByTestId('find-status').getAttribute('data-count'), { timeout: 30_000 })
      .toMatch(/^[1-9]\d*$/);
    expect(errors).toEqual([]);
  });

  it('finds "trace": every hit counted and highlighted, Enter/Shift+Enter step, Esc closes', async () => {
    // the count pdftotext (poppler) finds, case-insensitive, as an independent reference
    const text = execFileSync('pdftotext', [path.join(FIXTURE_DIR, 'tracemonkey.pdf'), '-'], { encoding: 'utf8' });
    const expected = text.match(/trace/gi)?.length ?? 0;
    expect(expected).toBeGreaterThan(100);

    const { page, errors } = await newPage('delegate1');
    await openDoc(page, traceId);
    await page.locator('.viewer__scroll').focus();
    await page.keyboard.press('Control+F');
    const input = page.getByTestId('find-input');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('find-input');
    await input.fill('trace');
    const status = page.getByTestId('find-status');
    await expect.poll(() => status.getAttribute('data-count'), { timeout: 30_000 }).not.toBe('0');
    await expect.poll(() => status.getAttribute('data-count'), { timeout: 30_000 }).toMatch(/^\d+$/);
    const count = Number(await status.getAttribute('data-count'));
    // pdf.js and poppler split a few words differently (hyphenation at line ends): near, not equal
    expect(Math.abs(count - expected)).toBeLessThanOrEqual(Math.ceil(expected * 0.05));
    expect(await status.textContent()).toBe(`1/${count}`);

    const marks = page.locator('.pdf-page[data-page-number="1"] mark.find-hit');
    await expect.poll(() => marks.count()).toBeGreaterThan(0);
    const onPage1 = (
      execFileSync('pdftotext', ['-f', '1', '-l', '1', path.join(FIXTURE_DIR, 'tracemonkey.pdf'), '-'], {
        encoding: 'utf8',
      }).match(/trace/gi) ?? []
    ).length;
    expect(Math.abs((await marks.count()) - onPage1)).toBeLessThanOrEqual(1);
    for (const m of await marks.allTextContents()) expect(m.toLowerCase()).toBe('trace');
    expect(await page.locator('mark.find-hit--current').count()).toBe(1);

    await input.press('Enter');
    await expect.poll(() => status.textContent()).toBe(`2/${count}`);
    await input.press('Shift+Enter');
    await expect.poll(() => status.textContent()).toBe(`1/${count}`);
    await input.press('Shift+Enter'); // before the first: wraps to the last, on the last page with hits
    await expect.poll(() => status.textContent()).toBe(`${count}/${count}`);
    await expect.poll(() => page.getByTestId('page-input').inputValue()).not.toBe('1');
    await page.locator('mark.find-hit--current').waitFor();

    await input.press('Escape');
    await page.getByTestId('find-bar').waitFor({ state: 'detached' });
    // the highlights go with the find's own short delay (the one that waits for typing to pause)
    await expect.poll(() => page.locator('mark.find-hit').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('finds Vietnamese without diacritics in the demo documents ("ngan sach" → "ngân sách", "dong" → "đồng")', async () => {
    const { page, errors } = await newPage('delegate1');
    await page.goto(`${server.url}/meetings/${meetingId}`);
    await page.locator('.agenda-item').first().waitFor();
    const docs = page.locator('.agenda-item [data-document-id]');
    // the demo document that mentions the province budget
    let found = false;
    const ids = [...new Set(await docs.evaluateAll((els) => els.map((e) => e.getAttribute('data-document-id')!)))];
    expect(ids.length).toBeGreaterThan(1);
    for (const id of ids) {
      if (found) break;
      await openDoc(page, id);
      await page.getByTestId('find-toggle').click();
      await page.getByTestId('find-input').fill('ngan sach');
      const status = page.getByTestId('find-status');
      await expect.poll(() => status.getAttribute('data-count'), { timeout: 30_000 }).toMatch(/^\d+$/);
      const n = Number(await status.getAttribute('data-count'));
      if (n > 0) {
        found = true;
        await page.locator('mark.find-hit--current').waitFor();
        expect((await page.locator('mark.find-hit--current').textContent())?.toLowerCase()).toBe('ngân sách');
        // with the diacritics typed, the same hits
        await page.getByTestId('find-input').fill('NGÂN SÁCH');
        await expect.poll(() => status.getAttribute('data-count'), { timeout: 30_000 }).toBe(String(n));
        // "đ" is a letter of its own, folded by hand: "dong" finds "đồng"
        await page.getByTestId('find-input').fill('ty dong');
        await expect.poll(() => status.getAttribute('data-count'), { timeout: 30_000 }).toMatch(/^[1-9]\d*$/);
        await page.locator('mark.find-hit--current').waitFor();
        const marked = await page.locator('mark.find-hit--current').evaluateAll((ms) => ms.map((m) => m.textContent).join(''));
        expect(marked.replace(/\s+/g, ' ')).toBe('tỷ đồng');
      }
      await page.getByTestId('find-input').press('Escape');
    }
    expect(found).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows the outline and page labels, follows an outline entry and the PDF’s links', async () => {
    const { page, errors } = await newPage('delegate1');
    await openDoc(page, outlineId);
    await page.getByTestId('tab-outline').waitFor();
    // page labels under the thumbnails and beside the page box
    await expect.poll(() => page.locator('.thumb__number').allTextContents()).toEqual(LABELS);
    expect(await page.getByTestId('page-label').textContent()).toBe(`(${LABELS[0]})`);

    await page.getByTestId('tab-outline').click();
    const entries = page.getByTestId('outline-entry');
    await expect.poll(() => entries.allTextContents()).toEqual([OUTLINE[0].title, OUTLINE[1].title, OUTLINE[1].child.title]);
    await entries.filter({ hasText: OUTLINE[1].title }).click();
    await pageShown(page, OUTLINE[1].page);
    expect(await page.getByTestId('page-input').inputValue()).toBe(String(OUTLINE[1].page));
    await entries.filter({ hasText: OUTLINE[1].child.title }).click();
    await pageShown(page, OUTLINE[1].child.page);

    await page.getByTestId('page-input').fill('1');
    await page.getByTestId('page-input').press('Enter');
    await pageShown(page, 1);
    const web = page.locator('.pdf-page[data-page-number="1"] a[data-link="external"]');
    expect(await web.getAttribute('href')).toBe(WEB_LINK);
    expect(await web.getAttribute('target')).toBe('_blank');
    expect(await web.getAttribute('rel')).toContain('noopener');
    await page.locator('.pdf-page[data-page-number="1"] a[data-link="internal"]').click();
    await pageShown(page, 5);
    expect(await page.getByTestId('page-input').inputValue()).toBe('5');
    expect(errors).toEqual([]);
  });

  it('two fingers spreading on the page zoom the viewer in (not the browser’s page zoom)', async () => {
    const ctx = await browser.newContext({ viewport: TABLET, locale: 'vi-VN', hasTouch: true });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await loginThroughUi(page, server.url, 'delegate1');
    await page.locator('.meeting-card').first().waitFor();
    const errors = collectErrors(page);
    await openDoc(page, traceId);
    const percent = async () => Number((await page.getByTestId('zoom-level').textContent())?.replace('%', ''));
    const before = await percent();
    const box = (await page.locator('.viewer__scroll').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const cdp = await ctx.newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', d: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints:
          type === 'touchEnd'
            ? []
            : [
                { x: cx - d, y: cy, id: 1 },
                { x: cx + d, y: cy, id: 2 },
              ],
      });
    await touch('touchStart', 40);
    for (let d = 45; d <= 120; d += 5) await touch('touchMove', d);
    await touch('touchEnd', 0);
    await expect.poll(percent).toBeGreaterThan(before * 1.5);
    expect(await page.evaluate(() => window.visualViewport?.scale ?? 1)).toBe(1);
    await pageShown(page, 1);
    expect(errors).toEqual([]);
  });

  it('continuous scroll: a delegate reading in the column is taken to the chair’s page and stays in follow', async () => {
    const { page: chair } = await newPage(null);
    await openDemoMeeting(chair, server.url, 'chair');
    await chair.getByTestId('meeting-start').click();
    await chair.locator('[data-testid="live-bar"][data-meeting-status="running"]').waitFor();
    await chair.locator('.agenda-item').first().locator('[data-document-id]').first().click();
    await pageShown(chair, 1);
    await chair.locator('[data-follow-mode="follow"][data-presenting="true"]').waitFor();

    const { page: delegate } = await newPage(null);
    await openDemoMeeting(delegate, server.url, 'delegate1');
    await pageShown(delegate, 1);
    const errors = collectErrors(delegate); // from here: the login page's own 401 is expected
    await delegate.getByTestId('toggle-layout').click();
    await delegate.locator('.viewer[data-layout="scroll"]').waitFor();
    await delegate.locator('[data-follow-mode="follow"]').waitFor();

    // only the pages near the viewport are mounted
    const mounted = async () => delegate.locator('.scroll-pages__slot').count();
    expect(await mounted()).toBeLessThan(10);

    const topOf = (n: number) =>
      delegate.evaluate((p) => {
        const el = document.querySelector(`.scroll-pages__slot[data-slot="${p}"]`);
        const box = document.querySelector('.viewer__scroll')!.getBoundingClientRect();
        return el ? el.getBoundingClientRect().top - box.top : null;
      }, n);
    for (const target of [4, 7, 2]) {
      if (target > 1) {
        await chair.getByTestId('page-input').fill(String(target));
        await chair.getByTestId('page-input').press('Enter');
        await pageShown(chair, target);
      }
      await pageShown(delegate, target);
      // the chair's page is at the top of the delegate's viewport
      await expect.poll(async () => Math.abs((await topOf(target)) ?? 1e9)).toBeLessThan(20);
      expect(await delegate.getByTestId('page-input').inputValue()).toBe(String(target));
      expect(await delegate.locator('[data-follow-mode="follow"]').count()).toBe(1);
    }

    // scrolling oneself to another page reports it: the delegate browses
    await delegate.locator('.viewer__scroll').evaluate((el) => {
      el.scrollBy(0, el.clientHeight * 3);
    });
    await delegate.locator('[data-follow-mode="browse"]').waitFor();
    expect(Number(await delegate.getByTestId('page-input').inputValue())).toBeGreaterThan(2);
    expect(await mounted()).toBeLessThan(10);

    // ink in the column lands on the page it is drawn on: a private stroke across the lower part
    // of the page in view, stored with that page's number
    await delegate.getByTestId('annotation-toolbar').locator('[data-tool="pen"]').click();
    await delegate.getByTestId('annotation-toolbar').locator('[data-layer="private"]').click();
    const view = (await delegate.locator('.viewer__scroll').boundingBox())!;
    // the page filling most of the upper 70 % of the viewport (the toasts sit at the bottom)
    const { target, y } = await delegate.evaluate(
      ([top, h]) => {
        let best = { target: null as number | null, y: 0, seen: 0 };
        for (const s of document.querySelectorAll<HTMLElement>('.scroll-pages__slot')) {
          const r = s.getBoundingClientRect();
          const a = Math.max(r.top, top!);
          const b = Math.min(r.bottom, top! + h! * 0.7);
          if (b - a > best.seen) best = { target: Number(s.dataset.slot), y: (a + b) / 2, seen: b - a };
        }
        return best;
      },
      [view.y, view.height],
    );
    expect(target).not.toBeNull();
    const x = view.x + view.width / 2 - 100;
    expect(
      await delegate.evaluate(
        ([xx, yy]) => document.elementFromPoint(xx!, yy!)?.closest('[data-slot]')?.getAttribute('data-slot'),
        [x, y],
      ),
    ).toBe(String(target));
    await delegate.mouse.move(x, y);
    await delegate.mouse.down();
    for (let i = 1; i <= 20; i++) await delegate.mouse.move(x + i * 10, y + Math.sin(i / 3) * 20, { steps: 2 });
    await delegate.mouse.up();
    await delegate.locator(`.scroll-pages__slot[data-slot="${target}"] .ink-layer [data-layer="private"] path`).first().waitFor();
    const me = await session(server.app, 'delegate1');
    const docId = await delegate.locator('.viewer').getAttribute('data-document-id');
    await expect
      .poll(async () =>
        (await me.get(`/api/documents/${docId}/annotations`))
          .json()
          .strokes.filter((st: { layer: string }) => st.layer === 'private')
          .map((st: { page: number; layer: string }) => `${st.layer}@${st.page}`),
      )
      .toEqual([`private@${target}`]);
    expect(errors).toEqual([]);
  });
});
