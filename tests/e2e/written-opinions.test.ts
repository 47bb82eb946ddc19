// Written opinions e2e: the office asks two members; one answers over the API, the other answers
// on an upright tablet by touch (Đồng ý, Ý kiến khác with text), saves and signs; being the last,
// the request closes at once; the office then sees the summary at its desk. Needs `npm run build`.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { collectErrors, launchBrowser, loginThroughUi } from '../helpers/browser';
import { api, httpLogin } from '../helpers/live-client';

const DIST = path.resolve('client/dist');
const SHOTS = process.env.E2E_SHOTS_DIR ?? '/work/notes';
const shot = async (p: Page, name: string) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await p.screenshot({ path: path.join(SHOTS, `vote16-${name}.png`), fullPage: true });
};

describe('written opinions: a member answers and signs on a tablet; the office sees the summary', () => {
  let server: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let tablet: Page;
  let desk: Page;
  let requestId = '';
  const errors: string[][] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: DIST } });
    browser = await launchBrowser();
    const page = async (viewport: { width: number; height: number }, touch: boolean) => {
      const ctx = await browser.newContext({ viewport, locale: 'vi-VN', hasTouch: touch, isMobile: touch });
      contexts.push(ctx);
      const p = await ctx.newPage();
      errors.push(collectErrors(p));
      return p;
    };
    tablet = await page({ width: 800, height: 1280 }, true);
    desk = await page({ width: 1280, height: 800 }, false);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it('the office asks two members from the meeting page (the form); another member answers over the API', async () => {
    await loginThroughUi(desk, server.url, 'secretary');
    await desk.locator('.meeting-card').first().waitFor();
    const meetings = await api<{ id: string }[]>(server.url, await httpLogin(server.url, 'secretary'), 'GET', '/api/meetings');
    await desk.goto(`${server.url}/meetings/${meetings.json[0]!.id}`);
    await desk.getByTestId('open-opinions').click();
    const form = desk.getByTestId('opinion-create');
    await form.waitFor();
    await form.locator('input[name="title"]').fill('Tờ trình về Kế hoạch chuyển đổi số năm 2027');
    await form.locator('textarea[name="summary"]').fill('Văn phòng trình các thành viên cho ý kiến vào dự thảo Kế hoạch.');
    await form
      .locator('textarea[name="questions"]')
      .fill('Đồng ý thông qua dự thảo Kế hoạch?\nĐồng ý bố trí kinh phí 2,5 tỷ đồng?');
    // asked: Lê Văn Cường (delegate1) and Phạm Thị Dung (delegate2) only
    for (const name of ['Nguyễn Văn An', 'Hoàng Văn Em', 'Vũ Thị Giang', 'Đặng Văn Hùng']) await form.getByLabel(name).uncheck();
    for (const name of ['Lê Văn Cường', 'Phạm Thị Dung']) await form.getByLabel(name).check();
    await shot(desk, 'opinion-create-1280x800');
    await form.getByTestId('opinion-create-submit').click();
    await desk.waitForURL(/\/opinions\/[A-Za-z0-9_-]+$/);
    requestId = new URL(desk.url()).pathname.split('/').pop()!;
    await desk.locator('[data-testid="opinion-page"][data-status="open"]').waitFor();
    // the office sees no answers before the result, only how many have signed
    expect(await desk.getByTestId('opinion-waiting').count()).toBe(1);
    const d2 = await httpLogin(server.url, 'delegate2');
    const asked = await api<{ asked: { fullName: string }[] }>(server.url, d2, 'GET', `/api/opinions/${requestId}`);
    expect(asked.json.asked.map((a) => a.fullName)).toEqual(['Lê Văn Cường', 'Phạm Thị Dung']);
    expect(
      (
        await api(server.url, d2, 'PUT', `/api/opinions/${requestId}/answers`, {
          answers: [
            { questionId: 'q1', choice: 'agree' },
            { questionId: 'q2', choice: 'disagree' },
          ],
        })
      ).status,
    ).toBe(200);
    expect((await api(server.url, d2, 'POST', `/api/opinions/${requestId}/sign`)).status).toBe(200);
  });

  it('the member answers by touch, saves, signs; the request closes and the summary shows', async () => {
    await loginThroughUi(tablet, server.url, 'delegate1');
    await tablet.locator('.meeting-card').first().waitFor();
    await tablet.goto(`${server.url}/opinions/${requestId}`);
    await tablet.locator('[data-testid="opinion-page"][data-status="open"]').waitFor();
    expect(await tablet.getByTestId('opinion-sign').isDisabled()).toBe(true);
    await tablet.locator('[data-question="q1"] [data-choice="agree"]').tap();
    await tablet.locator('[data-question="q2"] [data-choice="other"]').tap();
    // "Ý kiến khác" needs its text before saving
    expect(await tablet.getByTestId('opinion-save').isDisabled()).toBe(true);
    await tablet.getByTestId('opinion-text-q2').fill('Đề nghị giảm còn 2 tỷ đồng');
    expect(await tablet.locator('[data-question="q2"] [data-choice="other"]').getAttribute('aria-checked')).toBe('true');
    await shot(tablet, 'opinion-answer-800x1280');
    await tablet.getByTestId('opinion-save').tap();
    await tablet.locator('[data-testid="opinion-sign-state"][data-signed="false"]').waitFor();
    await tablet.getByTestId('opinion-sign').tap();
    await tablet.locator('[data-testid="opinion-page"][data-status="closed"]').waitFor({ timeout: 30_000 });
    const summary = tablet.getByTestId('opinion-summary');
    await summary.waitFor();
    expect(await summary.locator('[data-question="q1"]').getAttribute('data-passed')).toBe('true');
    expect(await summary.locator('[data-question="q2"]').getAttribute('data-passed')).toBe('false');
    expect(await summary.locator('[data-question="q2"]').innerText()).toContain(
      'Lê Văn Cường (Ý kiến khác): “Đề nghị giảm còn 2 tỷ đồng”',
    );
    await shot(tablet, 'opinion-closed-800x1280');
  });

  it('the office sees the summary and the signed report', async () => {
    await desk.reload();
    const summary = desk.getByTestId('opinion-summary');
    await summary.waitFor();
    const text = await summary.innerText();
    expect(text).toContain('Số thành viên được xin ý kiến: 2; đã trả lời: 2');
    expect(text).toContain('tất cả đã trả lời');
    expect(await summary.locator('[data-question="q1"]').innerText()).toContain('Đồng ý: 2 (100,00%)');
    const report = await desk.request.get(`${server.url}/api/opinions/${requestId}/report.pdf`);
    expect(report.status()).toBe(200);
    expect(report.headers()['content-type']).toBe('application/pdf');
    await shot(desk, 'opinion-office-summary-1280x800');
    for (const e of errors) expect(e.filter((x) => !x.includes('status of 401'))).toEqual([]);
  });

  it("a named request: ticked in the form; a member on the tablet sees the others' signed answers, with names, before the result", async () => {
    const meetings = await api<{ id: string }[]>(server.url, await httpLogin(server.url, 'secretary'), 'GET', '/api/meetings');
    await desk.goto(`${server.url}/meetings/${meetings.json[0]!.id}/opinions`);
    const form = desk.getByTestId('opinion-create');
    await form.waitFor();
    await form.locator('input[name="title"]').fill('Xin ý kiến ghi danh về lịch công tác tháng 1');
    await form.locator('textarea[name="questions"]').fill('Đồng ý lịch công tác tháng 1?');
    for (const name of ['Nguyễn Văn An', 'Hoàng Văn Em', 'Vũ Thị Giang', 'Đặng Văn Hùng']) await form.getByLabel(name).uncheck();
    for (const name of ['Lê Văn Cường', 'Phạm Thị Dung']) await form.getByLabel(name).check();
    await form.getByTestId('opinion-named').check();
    await form.getByTestId('opinion-create-submit').click();
    await desk.waitForURL(/\/opinions\/[A-Za-z0-9_-]+$/);
    const id = new URL(desk.url()).pathname.split('/').pop()!;
    await desk.getByTestId('opinion-named-badge').waitFor();
    const d2 = await httpLogin(server.url, 'delegate2');
    expect(
      (
        await api(server.url, d2, 'PUT', `/api/opinions/${id}/answers`, {
          answers: [{ questionId: 'q1', choice: 'other', text: 'Đề nghị dời họp sang thứ Hai' }],
        })
      ).status,
    ).toBe(200);
    expect((await api(server.url, d2, 'POST', `/api/opinions/${id}/sign`)).status).toBe(200);
    await tablet.goto(`${server.url}/opinions/${id}`);
    const seen = tablet.getByTestId('opinion-named-answers').getByTestId('opinion-named-answer');
    await seen.first().waitFor();
    expect(await seen.count()).toBe(1);
    expect(await seen.innerText()).toContain('Phạm Thị Dung');
    expect(await seen.innerText()).toContain('Ý kiến khác (“Đề nghị dời họp sang thứ Hai”)');
    expect(await tablet.locator('[data-testid="opinion-page"][data-status="open"]').count()).toBe(1);
    await shot(tablet, 'opinion-named-800x1280');
  });
});
