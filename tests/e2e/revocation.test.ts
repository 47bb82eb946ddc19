// Revocation and login throttles in Debian's Chromium against the real server: a delegate whose
// password an administrator resets is sent from the open meeting to the login form, which says
// why; a removed member's meeting page says they are no longer invited; an administrator sees a
// login throttle and lifts it. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { CLIENT_DIST, collectErrors, launchBrowser, loginThroughUi, openDemoMeeting } from '../helpers/browser';
import { api, demoMeeting, httpLogin } from '../helpers/live-client';

describe('revocation and login throttles in the browser', () => {
  let server: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let adminCookie: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: CLIENT_DIST } });
    browser = await launchBrowser();
    adminCookie = await httpLogin(server.url, 'admin');
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  const newPage = async (locale = 'vi-VN') => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
    contexts.push(context);
    const page = await context.newPage();
    return { page, errors: collectErrors(page) };
  };

  it('a password reset sends the open meeting back to the login form, saying why (vi)', async () => {
    const { page } = await newPage();
    await openDemoMeeting(page, server.url, 'delegate1');
    const m = await demoMeeting(server.url, adminCookie);
    const id = m.members.find((x) => x.username === 'delegate1')!.userId;
    expect((await api(server.url, adminCookie, 'PATCH', `/api/users/${id}`, { password: 'mat-khau-moi-2026' })).status).toBe(200);
    await page.getByTestId('login-ended').waitFor();
    expect(await page.getByTestId('login-ended').textContent()).toContain('Mật khẩu của bạn đã được đổi');
  });

  it("a removed member's meeting page says they are no longer invited (en)", async () => {
    const { page } = await newPage('en-GB');
    await page.goto(server.url);
    await page.evaluate(() => localStorage.setItem('hopso.lang', 'en'));
    await openDemoMeeting(page, server.url, 'delegate2');
    const m = await demoMeeting(server.url, adminCookie);
    const id = m.members.find((x) => x.username === 'delegate2')!.userId;
    expect((await api(server.url, adminCookie, 'DELETE', `/api/meetings/${m.meeting.id}/members/${id}`)).status).toBe(204);
    await page.getByTestId('live-fatal').waitFor();
    expect(await page.getByTestId('live-fatal').textContent()).toContain('invitation list');
    await page.locator('[data-testid="connection"][data-connection="offline"]').waitFor();
  });

  it('an administrator lists a login throttle and lifts it', async () => {
    for (let i = 0; i < 6; i++) {
      await server.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'delegate3', password: 'sai' },
        remoteAddress: '10.20.0.1',
      });
    }
    const { page, errors } = await newPage();
    await loginThroughUi(page, server.url, 'admin');
    await page.getByTestId('login-throttles-link').click();
    const row = page.locator('[data-testid="throttles"] tr', { hasText: '10.20.0.1' }).filter({ hasText: 'delegate3' });
    await row.first().waitFor();
    expect(await page.locator('h1').textContent()).toContain('Hạn chế đăng nhập');
    const before = await row.count();
    await row.first().getByRole('button', { name: 'Gỡ' }).click();
    await expect.poll(() => row.count()).toBe(before - 1);
    // (the 401 of the signed-out start page's /api/auth/me is expected)
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
