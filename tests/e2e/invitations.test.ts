// Invitation e2e (issue 15): in one browser the secretary sets the time and place and issues the
// giấy mời; in another browser context a delegate sees the bell's unread count rise live, opens the
// notification, and replies "absent" with a reason; the secretary's panel shows the reply live,
// without reloading. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { collectErrors, launchBrowser, openDemoMeeting, shot } from '../helpers/browser';
import { api, demoMeeting, httpLogin } from '../helpers/live-client';

const DIST = path.resolve('client/dist');

describe('invitation: the secretary issues it, a delegate replies absent, the secretary sees it live', () => {
  let server: TestApp;
  let browser: Browser;
  let secCtx: BrowserContext;
  let delCtx: BrowserContext;
  let sec: Page;
  let del: Page;
  let errors: string[] = [];
  let meetingId = '';

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: DIST } });
    browser = await launchBrowser();
    const opts = { viewport: { width: 1400, height: 900 }, locale: 'vi-VN' } as const;
    secCtx = await browser.newContext(opts);
    delCtx = await browser.newContext({ ...opts, hasTouch: true });
    sec = await secCtx.newPage();
    del = await delCtx.newPage();
    errors = [...collectErrors(sec), ...collectErrors(del)];
    const cookie = await httpLogin(server.url, 'secretary');
    meetingId = (await demoMeeting(server.url, cookie)).meeting.id;
    const r = await api(server.url, cookie, 'PATCH', `/api/meetings/${meetingId}`, {
      startsAt: '2026-12-10T01:30:00.000Z',
      location: 'Phòng họp số 1',
    });
    expect(r.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await secCtx?.close();
    await delCtx?.close();
    await browser?.close();
    await server?.close();
  });

  it('issues, notifies, takes the reply and shows it live', async () => {
    await openDemoMeeting(sec, server.url, 'secretary');
    await openDemoMeeting(del, server.url, 'delegate1');
    await expect(del.getByTestId('notification-count').count()).resolves.toBe(0);

    await sec.getByTestId('open-invitation').click();
    await sec.getByTestId('invitation-number').fill('15/GM-UBND');
    await sec.getByTestId('invitation-issue').click();
    await sec.getByTestId('invitation-version').first().waitFor();
    await sec.locator('[data-testid="reply-row"][data-status="none"]').first().waitFor();

    // the delegate's bell counts it live, and the notification reads in Vietnamese
    await del.locator('[data-testid="notification-count"]', { hasText: '1' }).waitFor();
    await del.getByTestId('notification-bell').tap();
    const item = del.getByTestId('notification-item').first();
    await expect(item.textContent()).resolves.toContain('Giấy mời họp 15/GM-UBND: Họp giao ban tháng 11');
    await item.tap();
    await del.getByTestId('notification-count').waitFor({ state: 'detached' });

    await del.getByTestId('open-invitation').tap();
    await del.getByTestId('reply-absent').check();
    await del.getByTestId('reply-reason').fill('Đi công tác tại Hà Nội');
    await del.getByTestId('reply-send').tap();
    await del.locator('[data-testid="my-reply"]', { hasText: 'Vắng' }).waitFor();

    // the secretary sees it without reloading
    const row = sec.locator('[data-testid="reply-row"][data-status="absent"]');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('Đi công tác tại Hà Nội');
    await expect(sec.getByTestId('expected-attendance').textContent()).resolves.toContain('1 vắng');
    await shot(sec, 'invitation-secretary');
    await shot(del, 'invitation-delegate');
    expect(errors).toEqual([]);
  });
});
