// Organiser e2e: an admin creates a meeting, adds a member and an agenda item, uploads a PDF (and a
// fake one, refused with a clear message); the member then sees the meeting and its document.
// Needs `npm run build` first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { CLIENT_DIST, collectErrors, launchBrowser, loginThroughUi } from '../helpers/browser';

const SIZES_PDF = '/work/shared/fixtures/pdfs/sizes.pdf';
const TITLE = 'Họp chuẩn bị kế hoạch năm 2027';
const ITEM = 'Thông qua kế hoạch công tác';

describe('prepare: an admin sets up a meeting from the UI', () => {
  let server: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let tmp: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-prepare-'));
    server = await buildTestApp({ listen: true, config: { clientDistDir: CLIENT_DIST } });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    page = await context.newPage();
    errors = collectErrors(page);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('creates a meeting from the list and lands on it', async () => {
    await loginThroughUi(page, server.url, 'admin');
    await page.getByTestId('new-meeting').click();
    const form = page.getByTestId('new-meeting-form');
    await form.locator('input[name="title"]').fill(TITLE);
    await form.locator('select[name="kind"]').selectOption('thematic');
    await form.locator('input[name="startsAt"]').fill('2027-01-05T08:30');
    await form.locator('input[name="location"]').fill('Phòng họp số 1');
    await form.locator('input[name="organization"]').fill('Sở Nội vụ');
    await page.getByTestId('create-meeting').click();
    await page.waitForURL(/\/meetings\/[A-Za-z0-9_-]+$/);
    await expect.poll(() => page.locator('.meeting-heading__title').textContent()).toBe(TITLE);
    expect(await page.locator('.meeting-overview').textContent()).toContain('Phòng họp số 1');
  });

  it('adds delegate1 as a participant and an agenda item', async () => {
    await page.getByTestId('open-prepare').click();
    const panel = page.getByTestId('prepare-panel');
    await panel.getByTestId('prepare-members').waitFor();
    const memberForm = panel.getByTestId('add-member-form');
    await expect.poll(() => memberForm.locator('select[name="username"] option[value="delegate1"]').count()).toBe(1);
    await memberForm.locator('select[name="username"]').selectOption('delegate1');
    await memberForm.locator('select[name="role"]').selectOption('participant');
    await panel.getByTestId('add-member').click();
    const member = panel.locator('[data-prep-member="delegate1"]');
    await member.waitFor();
    expect(await member.locator('[data-role]').textContent()).toBe('Thành viên');

    await panel.locator('input[name="itemTitle"]').fill(ITEM);
    await panel.locator('input[name="itemDuration"]').fill('20');
    await panel.getByTestId('add-item').click();
    await panel.locator('.prep-item', { hasText: ITEM }).waitFor();
  });

  it('uploads a PDF to the item and lists it with its 3 pages', async () => {
    const item = page.locator('.prep-item', { hasText: ITEM });
    await item.getByTestId('upload-input').setInputFiles(SIZES_PDF);
    const doc = item.locator('[data-prep-document]');
    await doc.waitFor();
    expect(await doc.textContent()).toContain('sizes.pdf');
    expect(await doc.getByTestId('doc-pages').textContent()).toBe('3 trang');
    // a draft until sent to the members (issue 15); delegate1 reads it below
    expect(await doc.getByTestId('doc-status').textContent()).toContain('Bản nháp');
    await doc.getByTestId('publish-doc').click();
    await expect.poll(() => doc.getByTestId('doc-status').textContent()).toContain('Đã gửi');
  });

  it('refuses a text file named .pdf with the NOT_A_PDF message', async () => {
    const fake = path.join(tmp, 'bao-cao.pdf');
    fs.writeFileSync(fake, 'Đây không phải là một tệp PDF.\n');
    const item = page.locator('.prep-item', { hasText: ITEM });
    await item.getByTestId('upload-input').setInputFiles(fake);
    const alert = item.getByTestId('upload-error');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Tệp này không phải tài liệu PDF. Vui lòng chọn tệp PDF.');
    expect(await item.locator('[data-prep-document]').count()).toBe(1);
  });

  it('adds a second item and moves it up (PUT order)', async () => {
    const panel = page.getByTestId('prepare-panel');
    await panel.locator('input[name="itemTitle"]').fill('Khai mạc');
    await panel.getByTestId('add-item').click();
    const second = panel.locator('.prep-item', { hasText: 'Khai mạc' });
    await second.waitFor();
    await second.getByTestId('move-up').click();
    await expect.poll(() => panel.locator('.prep-item__title').first().textContent()).toContain('1. Khai mạc');
    expect(await panel.locator('.prep-item__title').nth(1).textContent()).toContain(`2. ${ITEM}`);
  });

  it('refreshes the agenda when the panel closes', async () => {
    await page.getByTestId('close-prepare').click();
    const agendaItem = page.locator('.agenda-item', { hasText: ITEM });
    await agendaItem.waitFor();
    expect(await agendaItem.locator('[data-document-id]').textContent()).toContain('3 trang');
  });

  it('delegate1 logs in and sees the meeting and the document', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    try {
      const p = await ctx.newPage();
      const delegateErrors = collectErrors(p);
      await loginThroughUi(p, server.url, 'delegate1');
      const card = p.locator('.meeting-card', { hasText: TITLE });
      await card.waitFor();
      expect(await card.locator('[data-role="participant"]').count()).toBe(1);
      expect(await p.getByTestId('new-meeting').count()).toBe(0);
      await card.click();
      const agendaItem = p.locator('.agenda-item', { hasText: ITEM });
      await agendaItem.waitFor();
      expect(await p.getByTestId('open-prepare').count()).toBe(0);
      const docLink = agendaItem.locator('[data-document-id]');
      expect(await docLink.textContent()).toContain('sizes.pdf');
      await docLink.click();
      await p.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
      expect(await p.getByTestId('page-total').textContent()).toBe('/ 3');
      // the login screen's session probe answers 401 before the login
      expect(delegateErrors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('ran without page errors (apart from the session probe and the refused upload)', () => {
    expect(errors.filter((e) => !/401|Unauthorized|415|Unsupported Media Type/.test(e))).toEqual([]);
  });
});
