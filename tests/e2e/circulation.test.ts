// Documents circulated in advance, end to end in Chromium (issue 15): the secretary uploads a PDF
// (a draft the delegate does not see), sends it to the members, the delegate reads two pages in
// another browser context, and the secretary sees that progress in the Prepare panel. Then a second
// version whose page 3 differs: the delegate sees "version 2" and what changed, highlighted.
// Needs `npm run build` first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { CLIENT_DIST, collectErrors, launchBrowser, openDemoMeeting, pageShown, shot } from '../helpers/browser';
import { versionPdf } from '../helpers/version-pdfs';

const NAME = 'du-thao-ke-hoach.pdf';

describe('circulation: the secretary publishes, a delegate reads, the secretary sees how far', () => {
  let server: TestApp;
  let browser: Browser;
  let secCtx: BrowserContext, delCtx: BrowserContext;
  let sec: Page, del: Page;
  let secErrors: string[], delErrors: string[];
  let tmp: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-circulation-'));
    fs.writeFileSync(path.join(tmp, NAME), await versionPdf(1));
    fs.writeFileSync(path.join(tmp, 'du-thao-lan-2.pdf'), await versionPdf(2));
    // reading progress is written every second here; the secretary's list shows it before that anyway
    server = await buildTestApp({ listen: true, config: { clientDistDir: CLIENT_DIST, readFlushMs: 1000 } });
    browser = await launchBrowser();
    secCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    delCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    sec = await secCtx.newPage();
    del = await delCtx.newPage();
    secErrors = collectErrors(sec);
    delErrors = collectErrors(del);
    await openDemoMeeting(sec, server.url, 'secretary');
    await openDemoMeeting(del, server.url, 'delegate1');
  });

  afterAll(async () => {
    await secCtx?.close();
    await delCtx?.close();
    await browser?.close();
    await server?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const delegateDoc = () => del.locator('#agenda-panel .agenda-item').first().locator('[data-document-id]', { hasText: NAME });

  it('an upload is a draft: the delegate does not see it', async () => {
    await sec.getByTestId('open-prepare').click();
    const item = sec.getByTestId('prepare-panel').locator('.prep-item').first();
    await item.getByTestId('upload-input').setInputFiles(path.join(tmp, NAME));
    const doc = item.locator('[data-prep-document]', { hasText: NAME });
    await doc.waitFor();
    expect(await doc.getByTestId('doc-status').textContent()).toContain('Bản nháp');
    // the delegate's page re-read the meeting on the nudge, and the draft is not in it
    await del.reload();
    await del.locator('.agenda-item').first().waitFor();
    expect(await delegateDoc().count()).toBe(0);
  });

  it("the secretary sends it; it appears on the delegate's open page", async () => {
    const doc = sec.getByTestId('prepare-panel').locator('[data-prep-document]', { hasText: NAME });
    await doc.getByTestId('publish-doc').click();
    await expect.poll(() => doc.getByTestId('doc-status').textContent()).toContain('Đã gửi');
    await delegateDoc().waitFor({ timeout: 15_000 });
  });

  it('the delegate reads pages 1 to 3; the secretary sees 3/5 pages for them', async () => {
    await delegateDoc().click();
    await pageShown(del, 1);
    for (const n of [2, 3]) {
      await del.getByTestId('next-page').click();
      await pageShown(del, n);
      await del.waitForTimeout(400); // a reader stays on a page: presence is throttled, the last page wins
    }
    const doc = sec.getByTestId('prepare-panel').locator('[data-prep-document]', { hasText: NAME });
    await doc.getByTestId('show-reads').click();
    const list = doc.getByTestId('reads-list');
    await list.waitFor();
    const delegateRow = list.locator('li', { hasText: 'Lê Văn Cường' });
    await expect.poll(() => delegateRow.getAttribute('data-pages-viewed'), { timeout: 20_000 }).toBe('3');
    expect(await delegateRow.textContent()).toContain('3/5 trang');
    expect(await list.locator('li', { hasText: 'Phạm Thị Dung' }).textContent()).toContain('Chưa mở');
    await shot(sec, 'circulation-reads-1280x800');
    // and it was written in a batch, not lost: the row is there after the flush interval
    await expect
      .poll(
        () =>
          (
            server.app.db.$client
              .prepare('select pages_viewed n from document_reads r join users u on u.id = r.user_id where u.username = ?')
              .get('delegate1') as { n: number } | undefined
          )?.n,
        { timeout: 10_000 },
      )
      .toBe(3);
  });

  it('a second version whose page 3 differs: the delegate sees version 2 and what changed', async () => {
    const doc = sec.getByTestId('prepare-panel').locator('[data-prep-document]', { hasText: NAME });
    await doc.getByTestId('version-input').setInputFiles(path.join(tmp, 'du-thao-lan-2.pdf'));
    const v2 = doc.locator('[data-doc-version="2"]');
    await v2.waitFor();
    await v2.getByTestId('publish-doc').click();
    const link = del.locator('#agenda-panel .agenda-item').first().locator('[data-document-id]', { hasText: NAME });
    await expect.poll(() => link.getByTestId('doc-version').count(), { timeout: 15_000 }).toBe(1);
    expect(await link.getByTestId('doc-version').textContent()).toContain('Lần 2');
    await del.getByTestId('show-changes').first().click();
    const dialog = del.getByTestId('version-changes');
    await dialog.locator('[data-changed-page="3"]').waitFor();
    expect(await dialog.locator('[data-changed-page]').count()).toBe(1);
    expect(await dialog.locator('ins').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('15')]));
    expect(await dialog.locator('del').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('12')]));
    await shot(del, 'circulation-changes-1280x800');
    await del.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it("the secretary changes the meeting's place from the Prepare panel; the delegate's page follows", async () => {
    const panel = sec.getByTestId('prepare-panel');
    await panel.getByTestId('edit-meeting').click();
    const form = panel.getByTestId('meeting-form');
    await form.locator('input[name="meetingTitle"]').fill('Họp giao ban tháng 11 (bổ sung)');
    await form.locator('input[name="meetingLocation"]').fill('Hội trường tầng 5');
    await form.locator('input[name="meetingStartsAt"]').fill('2026-12-21T14:00');
    await form.getByTestId('save-meeting').click();
    await form.waitFor({ state: 'detached' });
    // the delegate's open page re-reads the meeting on the nudge: its heading follows, no reload
    await expect
      .poll(() => del.locator('.meeting-heading__title').textContent(), { timeout: 15_000 })
      .toBe('Họp giao ban tháng 11 (bổ sung)');
    const row = server.app.db.$client
      .prepare('select starts_at s, location l from meetings where title = ?')
      .get('Họp giao ban tháng 11 (bổ sung)') as { s: string; l: string };
    expect(row).toEqual({ s: '2026-12-21T07:00:00.000Z', l: 'Hội trường tầng 5' });
  });

  it('ran without page errors (apart from the session probe)', () => {
    expect(secErrors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
    expect(delErrors.filter((e) => !/401|Unauthorized|404|Not Found/.test(e))).toEqual([]);
  });
});
