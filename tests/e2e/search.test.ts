// Search e2e: a delegate types a phrase without diacritics in the header's search box, sees the
// result with the words marked (with their diacritics), clicks it and lands on the document at the
// page the words are on, in Debian's Chromium against the real server. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { collectErrors, launchBrowser, loginThroughUi, shot } from '../helpers/browser';
import { session } from '../helpers/http';
import { command, connect, httpLogin, join } from '../helpers/live-client';

const DIST = path.resolve('client/dist');

describe('search: type without diacritics, click, land on the page', () => {
  let server: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let meetingId: string;
  let itemId: string;
  let requestId: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: DIST } });
    await server.app.textBackfill.done; // the demo documents' page texts
    // a conclusion of the second agenda item, and a written-opinion request asking delegate1
    const chair = await session(server.app, 'chair');
    meetingId = (await chair.get('/api/meetings')).json()[0].id as string;
    itemId = (await chair.get(`/api/meetings/${meetingId}`)).json().agenda[1].id as string;
    const s = await connect(server.url, { cookie: await httpLogin(server.url, 'chair') });
    await join(s, meetingId);
    expect(
      await command(s, meetingId, 'minutes.update', {
        field: 'conclusion',
        itemId,
        text: 'Giao Sở Tài nguyên khảo sát mỏ đá Lũng Cú trước tháng 3.',
        baseVersion: 0,
      }),
    ).toMatchObject({ ok: true });
    s.close();
    const delegate1 = await session(server.app, 'delegate1');
    const res = await (
      await session(server.app, 'secretary')
    ).post(`/api/meetings/${meetingId}/opinions`, {
      title: 'Lấy ý kiến về phương án đường tuần tra Mã Pì Lèng',
      summary: 'Tờ trình kèm theo.',
      documentIds: [],
      questions: ['Đồng ý phương án?'],
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
      rule: { kind: 'majority_of_members' },
      recipientIds: [delegate1.userId],
    });
    expect(res.statusCode, res.body).toBe(201);
    requestId = res.json().id as string;
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

  it('finds "so khoa hoc va cong nghe chu tri" on pages 5 and 11 of the draft plan and opens page 5', async () => {
    await loginThroughUi(page, server.url, 'delegate1');
    await page.locator('.meeting-card').first().waitFor();
    const box = page.getByTestId('search-input');
    await box.fill('so khoa hoc va cong nghe chu tri');
    await box.press('Enter');
    const hits = page.getByTestId('search-hit');
    await hits.first().waitFor();
    expect(page.url()).toContain('/search?q=so+khoa+hoc');
    const onPage5 = page.locator('[data-testid="search-hit"][data-kind="document"][data-page="5"]');
    expect(await onPage5.count()).toBe(1);
    expect(await onPage5.locator('mark').allTextContents()).toEqual(['Sở Khoa học và Công nghệ chủ trì']);
    expect(await onPage5.textContent()).toContain('Dự thảo Kế hoạch chuyển đổi số năm 2027');
    await shot(page, 'search-results');
    await onPage5.click();
    await page.locator('.pdf-page[data-page-number="5"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('page-input').inputValue()).toBe('5');
    expect(await page.getByTestId('page-total').textContent()).toBe('/ 12');
    await shot(page, 'search-landed-page-5');
    expect(page.url()).toMatch(/\/meetings\/[A-Za-z0-9_-]+\?doc=[A-Za-z0-9_-]+&page=5$/);
  });

  it('back returns to the results; a phrase found nowhere says so', async () => {
    await page.goBack();
    await page.getByTestId('search-hit').first().waitFor();
    // the results page's own box (the header's is there too, on a wide screen)
    const box = page.getByTestId('search-page-input');
    expect(await box.inputValue()).toBe('so khoa hoc va cong nghe chu tri');
    await box.fill('khong co cum tu nay dau');
    await page.getByTestId('search-page-submit').click();
    await expect.poll(() => page.locator('.search-page__summary').textContent()).toContain('Không tìm thấy kết quả nào');
    expect(await page.getByTestId('search-hit').count()).toBe(0);
    expect(page.url()).toContain('/search?q=khong+co+cum');
    // the 401 is /api/auth/me before the login, as in foundation.test.ts
    expect(errors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
  });

  it('a conclusion hit opens the minutes panel at that conclusion; a written-opinion hit opens the request', async () => {
    const box = page.getByTestId('search-page-input');
    await box.fill('mo da lung cu');
    await page.getByTestId('search-page-submit').click();
    const hit = page.locator('[data-testid="search-hit"][data-kind="conclusion"]');
    await hit.waitFor();
    expect(await hit.locator('mark').allTextContents()).toEqual(['mỏ đá Lũng Cú']);
    await hit.click();
    await page.getByTestId('minutes-panel').waitFor();
    expect(new URL(page.url()).searchParams.get('minutes')).toBe(`item:${itemId}:conclusion`);
    const field = page.locator(`[data-minutes-key="item:${itemId}:conclusion"]`);
    await page.locator(`[data-minutes-key="item:${itemId}:conclusion"].minutes-field--found`).waitFor();
    expect(await field.textContent()).toContain('khảo sát mỏ đá Lũng Cú');
    // in view inside the panel, and focused (keyboard and screen-reader users land there too)
    const [fieldBox, panelBox] = [await field.boundingBox(), await page.getByTestId('minutes-panel').boundingBox()];
    expect(fieldBox!.y).toBeGreaterThanOrEqual(panelBox!.y);
    expect(fieldBox!.y + fieldBox!.height).toBeLessThanOrEqual(panelBox!.y + panelBox!.height);
    expect(await field.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await shot(page, 'search-landed-minutes');

    await page.goto(`${server.url}/search?q=${encodeURIComponent('duong tuan tra ma pi leng')}`);
    const op = page.locator('[data-testid="search-hit"][data-kind="opinion"]');
    await op.waitFor();
    expect(await op.textContent()).toContain('Lấy ý kiến');
    await op.click();
    await page.waitForURL(`**/opinions/${requestId}`);
    await page.locator('h1', { hasText: 'Lấy ý kiến về phương án đường tuần tra Mã Pì Lèng' }).waitFor();
  });
});
