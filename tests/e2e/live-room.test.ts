// Live meeting room e2e: the chair starts the meeting and turns pages; a delegate on another
// device follows, browses freely, returns to the chair's page, drops off the network and catches
// up without a reload; the room screen (no login) follows too and offers the check-in QR.
// Two browser contexts = two devices. Waits on data-* attributes only. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { collectErrors, launchBrowser, openDemoMeeting, pageShown, shot } from '../helpers/browser';

const DIST = path.resolve('client/dist');

describe('live meeting room: follow the chair, browse, return, catch up, room screen', () => {
  let server: TestApp;
  let browser: Browser;
  let chairCtx: BrowserContext;
  let delegateCtx: BrowserContext;
  let roomCtx: BrowserContext;
  let chair: Page;
  let delegate: Page;
  let room: Page;
  let chairErrors: string[] = [];
  let delegateErrors: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: DIST } });
    browser = await launchBrowser();
    const opts = { viewport: { width: 1280, height: 800 }, locale: 'vi-VN' } as const;
    chairCtx = await browser.newContext(opts);
    delegateCtx = await browser.newContext(opts);
    roomCtx = await browser.newContext(opts);
    chair = await chairCtx.newPage();
    delegate = await delegateCtx.newPage();
    chairErrors = collectErrors(chair);
    delegateErrors = collectErrors(delegate);
  });

  afterAll(async () => {
    await chairCtx?.close();
    await delegateCtx?.close();
    await roomCtx?.close();
    await browser?.close();
    await server?.close();
  });

  it('the chair starts the meeting, shows the first document and turns to page 3', async () => {
    await openDemoMeeting(chair, server.url, 'chair');
    await chair.getByTestId('meeting-start').click();
    await chair.locator('[data-testid="live-bar"][data-meeting-status="running"]').waitFor();

    await chair.locator('.agenda-item').first().locator('[data-document-id]').first().click();
    await pageShown(chair, 1);
    // opening the document opened its agenda item for everyone
    await chair.locator('.agenda-item').first().and(chair.locator('[data-current="true"]')).waitFor();
    await chair.locator('[data-follow-mode="follow"][data-presenting="true"]').waitFor();
    await chair.getByTestId('next-page').click();
    await pageShown(chair, 2);
    await chair.getByTestId('next-page').click();
    await pageShown(chair, 3);
  });

  it('a delegate who joins is taken to the chair’s page at once', async () => {
    await openDemoMeeting(delegate, server.url, 'delegate1');
    await pageShown(delegate, 3);
    await delegate.locator('[data-follow-mode="follow"]').waitFor();
    expect(await delegate.getByTestId('follow-state').textContent()).toContain('Đang theo dõi chủ trì');
    // the delegate sees the item under discussion highlighted, without a control to open items
    await delegate.locator('.agenda-item[data-current="true"]').waitFor();
    expect(await delegate.getByTestId('open-item').count()).toBe(0);
    expect(await delegate.getByTestId('meeting-start').count()).toBe(0);
    await shot(chair, 'chair-1280x800');
  });

  it('turning pages oneself is browsing; the badge shows the chair’s page; one tap returns', async () => {
    await delegate.getByTestId('next-page').click();
    await pageShown(delegate, 4);
    await delegate.getByTestId('next-page').click();
    await pageShown(delegate, 5);
    await delegate.locator('[data-follow-mode="browse"]').waitFor();
    const badge = delegate.getByTestId('follow-badge');
    await badge.waitFor();
    expect(await badge.getAttribute('data-chair-page')).toBe('3');
    expect(await badge.textContent()).toContain('Chủ trì đang ở trang 3');
    expect(await delegate.getByTestId('toast').textContent()).toContain('xem tự do');
    // the chair's screen did not move
    await pageShown(chair, 3);
    await shot(delegate, 'delegate-browsing-1280x800');

    // zooming while browsing keeps browsing; the chair turning a page moves the badge, not the reader
    await chair.getByTestId('next-page').click();
    await pageShown(chair, 4);
    await delegate.locator('[data-testid="follow-badge"][data-chair-page="4"]').waitFor();
    expect(await delegate.locator('.pdf-page').getAttribute('data-page-number')).toBe('5');
    await chair.getByTestId('prev-page').click();
    await pageShown(chair, 3);
    await delegate.locator('[data-testid="follow-badge"][data-chair-page="3"]').waitFor();

    await delegate.getByTestId('return-to-chair').click();
    await pageShown(delegate, 3);
    await delegate.locator('[data-follow-mode="follow"]').waitFor();
    expect(await delegate.getByTestId('follow-badge').count()).toBe(0);
  });

  it('zooming does not leave follow; the chair turns to page 4 and the follower goes there', async () => {
    await delegate.getByTestId('zoom-in').click();
    await delegate.locator('[data-follow-mode="follow"]').waitFor();
    await chair.getByTestId('next-page').click();
    await pageShown(chair, 4);
    await pageShown(delegate, 4);
    expect(await delegate.locator('[data-follow-mode]').getAttribute('data-follow-mode')).toBe('follow');
  });

  it('a delegate that loses the network sees it, and catches up without a reload', async () => {
    await delegate.evaluate(() => {
      (window as Window & { notReloaded?: boolean }).notReloaded = true;
    });
    await delegateCtx.setOffline(true);
    await delegate.locator('[data-testid="connection"][data-connection="offline"]').waitFor();
    await chair.getByTestId('next-page').click();
    await pageShown(chair, 5);
    await chair.getByTestId('next-page').click();
    await pageShown(chair, 6);
    // still on the old page while away: nothing pretends to be live
    expect(await delegate.locator('.pdf-page').getAttribute('data-page-number')).toBe('4');
    await delegateCtx.setOffline(false);
    await delegate.locator('[data-testid="connection"][data-connection="online"]').waitFor();
    await pageShown(delegate, 6);
    expect(await delegate.evaluate(() => (window as Window & { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it('the room screen opens from the chair’s link without login, follows the chair and shows a check-in QR', async () => {
    await chair.getByTestId('room-link-side').click();
    const input = chair.getByTestId('room-link-url');
    await input.waitFor();
    const roomUrl = await input.inputValue();
    expect(roomUrl).toContain('/room#token=');
    await chair.keyboard.press('Escape');

    room = await roomCtx.newPage();
    await room.goto(roomUrl);
    await room.locator('[data-testid="room-screen"][data-state="ready"][data-meeting-status="running"]').waitFor();
    await room.locator('[data-testid="room-screen"][data-chair-page="6"]').waitFor();
    const qr = room.locator('[data-testid="room-qr"][data-checkin-url] img');
    await qr.waitFor();
    const checkInUrl = await room.getByTestId('room-qr').getAttribute('data-checkin-url');
    expect(checkInUrl).toContain('/checkin?token=');

    await chair.getByTestId('next-page').click();
    await pageShown(chair, 7);
    await room.locator('[data-testid="room-screen"][data-chair-page="7"]').waitFor();
    // without any login, the room cookie lets it render the chair's page and name the item
    await pageShown(room, 7);
    expect(await room.getByTestId('room-item').textContent()).toContain('Báo cáo kết quả công tác tháng 11');
    await shot(room, 'room-1280x800');

    // the delegate "scans" the QR: the check-in page, already signed in, checks them in
    const scan = await delegateCtx.newPage();
    await scan.goto(checkInUrl!);
    await scan.locator('[data-testid="checkin-result"][data-outcome="done"]').waitFor();
    await scan.close();
    await chair.getByTestId('toggle-attendance').click();
    await chair.locator('.person[data-user="delegate1"][data-attendance="present"]').waitFor();
    await delegate.getByTestId('checked-in').waitFor();
  });

  it('the chair marks attendance with a reason; quorum updates live for everyone', async () => {
    const panel = chair.getByTestId('attendance-panel');
    for (const u of ['chair', 'delegate2', 'delegate3'])
      await panel.locator(`.person[data-user="${u}"]`).getByTestId('mark-present').click();
    await chair.locator('.person[data-user="delegate3"][data-attendance="present"]').waitFor();
    const d5 = panel.locator('.person[data-user="delegate5"]');
    await d5.getByTestId('mark-excused').click();
    await d5.getByTestId('reason-input').fill('Đi công tác');
    await d5.getByTestId('save-reason').click();
    await chair.locator('.person[data-user="delegate5"][data-attendance="excused"]').waitFor();
    expect(await d5.textContent()).toContain('Đi công tác');
    // chair + 5 delegates vote: 4 present of 6 reaches quorum
    await delegate.locator('[data-testid="quorum"][data-quorum="reached"][data-present="4"]').waitFor();
    expect(await delegate.getByTestId('quorum').textContent()).toBe('Đủ số lượng: 4/6 có mặt');
    await room.locator('[data-testid="quorum"][data-quorum="reached"]').waitFor();
    await shot(chair, 'attendance-1280x800');
  });

  it('the chair hands presenting to the delegate and takes it back', async () => {
    const panel = chair.getByTestId('attendance-panel');
    await panel.locator('.person[data-user="delegate1"]').getByTestId('hand-over').click();
    await delegate.locator('[data-presenting="true"]').waitFor();
    await delegate.getByTestId('next-page').click();
    await pageShown(delegate, 8);
    await pageShown(chair, 8);
    await room.locator('[data-testid="room-screen"][data-chair-page="8"]').waitFor();
    await panel.locator('.person[data-user="delegate1"]').getByTestId('take-back').click();
    await delegate.locator('[data-presenting="false"]').waitFor();
    await chair.getByTestId('toggle-attendance').click();
  });

  it('on a signed-in officer’s laptop the room screen also renders the chair’s page and names the item', async () => {
    const projector = await chairCtx.newPage();
    await projector.goto(room.url());
    await projector.locator('[data-testid="room-screen"][data-chair-page="8"]').waitFor();
    await pageShown(projector, 8);
    expect(await projector.getByTestId('room-item').textContent()).toContain('1. Báo cáo kết quả công tác tháng 11');
    await shot(projector, 'room-signed-in-1280x800');
    await projector.close();
  });

  it('looks right in portrait too (screenshots for review)', async () => {
    for (const p of [chair, delegate, room]) await p.setViewportSize({ width: 800, height: 1280 });
    await delegate.getByTestId('next-page').click();
    await delegate.getByTestId('follow-badge').waitFor();
    await shot(chair, 'chair-800x1280');
    await shot(delegate, 'delegate-browsing-800x1280');
    await shot(room, 'room-800x1280');
    await chair.getByTestId('toggle-attendance').click();
    await chair.getByTestId('attendance-panel').waitFor();
    await shot(chair, 'attendance-800x1280');
  });

  it('ran without page errors', () => {
    // the first visit's session check is a 401 and going offline logs network failures; nothing else may
    expect(
      [...chairErrors, ...delegateErrors].filter((e) => !/401|Unauthorized|ERR_INTERNET_DISCONNECTED|net::ERR|WebSocket/.test(e)),
    ).toEqual([]);
  });
});
