// Foundation e2e: a chair logs in, opens the demo meeting and its first document, and pages
// through it in Debian's Chromium against the real server. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { collectErrors, launchBrowser, loginThroughUi } from '../helpers/browser';

const DIST = path.resolve('client/dist');

describe('foundation: login, meeting, PDF viewer', () => {
  let server: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: DIST } });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    page = await context.newPage();
    errors = collectErrors(page);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('refuses a wrong password with a clear Vietnamese message', async () => {
    await loginThroughUi(page, server.url, 'chair', 'wrong-password');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('không đúng');
  });

  it('logs in as chair and lists the demo meeting with the chair role', async () => {
    await loginThroughUi(page, server.url, 'chair');
    const card = page.locator('.meeting-card', { hasText: 'Họp giao ban tháng 11' });
    await card.waitFor();
    expect(await page.locator('h1').textContent()).toBe('Cuộc họp của tôi');
    expect(await card.locator('[data-role="chair"]').textContent()).toBe('Chủ trì');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('vi');
  });

  it('opens the meeting, its agenda of three items and the first document; page 1 has ink', async () => {
    await page.locator('.meeting-card', { hasText: 'Họp giao ban tháng 11' }).click();
    await page.locator('.agenda-item').first().waitFor();
    expect(await page.locator('.agenda-item').count()).toBe(3);
    await page.locator('.agenda-item').first().locator('[data-document-id]').first().click();

    const first = page.locator('.pdf-page[data-page-number="1"][data-rendered="true"]');
    await first.waitFor({ timeout: 30_000 });
    // Read the painted canvas back: a blank (all-white) page would mean the PDF did not render.
    const stats = await first.locator('canvas').evaluate((c: HTMLCanvasElement) => {
      const ctx = c.getContext('2d');
      if (!ctx) return null;
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      let dark = 0;
      for (let i = 0; i < data.length; i += 4)
        if ((data[i] ?? 255) < 200 || (data[i + 1] ?? 255) < 200 || (data[i + 2] ?? 255) < 200) dark++;
      return { dark, total: data.length / 4, width: c.width, cssWidth: c.getBoundingClientRect().width };
    });
    expect(stats).not.toBeNull();
    expect(stats!.dark).toBeGreaterThan(500);
    expect(stats!.dark / stats!.total).toBeLessThan(0.5);
    // The canvas is drawn at device resolution, not upscaled from a smaller bitmap.
    expect(stats!.width).toBeGreaterThanOrEqual(Math.floor(stats!.cssWidth));
    expect(await page.getByTestId('page-total').textContent()).toBe('/ 10');
  });

  it('goes to page 2 with the next button and page 3 with the keyboard', async () => {
    await page.getByTestId('next-page').click();
    await page.locator('.pdf-page[data-page-number="2"][data-rendered="true"]').waitFor();
    expect(await page.getByTestId('page-input').inputValue()).toBe('2');
    expect(page.url()).toContain('page=2');

    await page.locator('.viewer__scroll').focus();
    await page.keyboard.press('ArrowRight');
    await page.locator('.pdf-page[data-page-number="3"][data-rendered="true"]').waitFor();
  });

  it('jumps with the page number box and zooms', async () => {
    const input = page.getByTestId('page-input');
    await input.fill('7');
    await input.press('Enter');
    await page.locator('.pdf-page[data-page-number="7"][data-rendered="true"]').waitFor();

    const widthBefore = await page.locator('.pdf-page').evaluate((el) => el.getBoundingClientRect().width);
    await page.getByTestId('zoom-in').click();
    await page.locator('.pdf-page[data-rendered="true"]').waitFor();
    const widthAfter = await page.locator('.pdf-page').evaluate((el) => el.getBoundingClientRect().width);
    expect(widthAfter).toBeGreaterThan(widthBefore);
    await page.getByTestId('fit-width').click();
  });

  it('switches the interface to English and back', async () => {
    await page.locator('[data-lang="en"]').click();
    await expect.poll(() => page.locator('#agenda-title').textContent()).toBe('Agenda');
    expect(await page.getByTestId('next-page').getAttribute('aria-label')).toBe('Next page');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.reload();
    await page.locator('.pdf-page[data-page-number="7"][data-rendered="true"]').waitFor();
    expect(await page.locator('#agenda-title').textContent()).toBe('Agenda');
    await page.locator('[data-lang="vi"]').click();
    await expect.poll(() => page.locator('#agenda-title').textContent()).toBe('Chương trình nghị sự');
  });

  it('shows a clear message, not a blank page, for a damaged document', async () => {
    // The server refuses damaged uploads, so the damage is injected on the wire.
    await page.route('**/api/documents/*/file', (route) =>
      route.fulfill({ status: 200, contentType: 'application/pdf', body: 'this is not a PDF' }),
    );
    await page.locator('[data-document-id]').nth(1).click();
    const alert = page.locator('.viewer [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Tệp bị hỏng hoặc không phải tài liệu PDF hợp lệ');
    expect(await page.locator('.pdf-page').count()).toBe(0);
    await page.unroute('**/api/documents/*/file');
  });

  it('ran without page errors', () => {
    // The wrong-password attempt logs a 401 resource error in the console.
    // The damaged-document test logs its own warning; nothing else may.
    expect(errors.filter((e) => !/401|Unauthorized|pdf load failed/.test(e))).toEqual([]);
  });
});
