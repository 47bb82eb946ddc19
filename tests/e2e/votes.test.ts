// Votes e2e: the chair creates and opens a secret vote on a tablet, two delegates vote on their
// own devices (separate browser contexts), the chair closes it, and the room screen (no login)
// shows the result in the official form. Waits on data-* attributes only. Needs `npm run build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { collectErrors, launchBrowser, loginThroughUi } from '../helpers/browser';
import { api, command, connect, demoMeeting, httpLogin, join } from '../helpers/live-client';
import { RECEIPT_PATTERN } from '../../shared/votes';

const DIST = path.resolve('client/dist');
/** Screenshots for a human to look at (not asserted). */
const SHOTS = process.env.E2E_SHOTS_DIR ?? path.join(os.tmpdir(), 'hopso-e2e-shots');
const QUESTION = 'Thông qua dự thảo Kế hoạch công tác năm 2027';

async function shot(p: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await p.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

async function openMeetingPage(p: Page, url: string, username: string, meetingId: string) {
  await loginThroughUi(p, url, username);
  await p.locator('.meeting-card').first().waitFor();
  await p.goto(`${url}/meetings/${meetingId}`);
  await p.locator('[data-testid="connection"][data-connection="online"]').waitFor();
}

/** Chooses a choice on the ballot and sends it; returns the receipt shown. */
async function vote(p: Page, choice: string): Promise<string> {
  const ballot = p.getByTestId('ballot');
  await ballot.waitFor();
  await ballot.locator(`.ballot__choice[data-choice="${choice}"]`).click();
  await ballot.getByTestId('ballot-confirm').click();
  await ballot.getByTestId('ballot-recorded').waitFor();
  return (await ballot.getByTestId('receipt').textContent()) ?? '';
}

describe('votes: chair opens, two delegates vote on their devices, the room screen shows the result', () => {
  let server: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let chair: Page;
  let d1: Page;
  let d2: Page;
  let room: Page;
  let meetingId = '';
  const errors: string[][] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: DIST } });
    browser = await launchBrowser();
    const page = async (viewport: { width: number; height: number }) => {
      const ctx = await browser.newContext({ viewport, locale: 'vi-VN', hasTouch: true });
      contexts.push(ctx);
      const p = await ctx.newPage();
      errors.push(collectErrors(p));
      return p;
    };
    chair = await page({ width: 1280, height: 800 });
    d1 = await page({ width: 1280, height: 800 });
    d2 = await page({ width: 800, height: 1280 }); // a tablet held upright
    room = await page({ width: 1600, height: 900 });

    // The meeting is running and four of six voting members are present (quorum), set up over the wire.
    const chairCookie = await httpLogin(server.url, 'chair');
    const secCookie = await httpLogin(server.url, 'secretary');
    const m = await demoMeeting(server.url, chairCookie);
    meetingId = m.meeting.id;
    const sec = await connect(server.url, { cookie: secCookie });
    const ch = await connect(server.url, { cookie: chairCookie });
    await join(sec, meetingId);
    await join(ch, meetingId);
    expect(await command(ch, meetingId, 'meeting.start', {})).toMatchObject({ ok: true });
    for (const u of ['chair', 'delegate1', 'delegate2', 'delegate3']) {
      const userId = m.members.find((x) => x.username === u)!.userId;
      expect(await command(sec, meetingId, 'attendance.mark', { userId, status: 'present' })).toMatchObject({ ok: true });
    }
    sec.close();
    ch.close();
    const link = await api<{ url: string }>(server.url, chairCookie, 'POST', `/api/meetings/${meetingId}/room-token`);
    await room.goto(`${server.url}${link.json.url}`);
    await room.locator('[data-testid="room-screen"][data-state="ready"]').waitFor();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it('the chair creates a secret vote and opens it', async () => {
    await openMeetingPage(chair, server.url, 'chair', meetingId);
    await chair.getByTestId('dock-votes').click();
    const form = chair.getByTestId('vote-create');
    await form.locator('textarea[name="question"]').fill(QUESTION);
    await form.getByTestId('mode-secret').click();
    await form.locator('select[name="rule"]').selectOption('majority_of_present');
    await form.getByTestId('vote-create-submit').click();
    const card = chair.locator('[data-testid="vote-card"][data-status="draft"]');
    await card.waitFor();
    await card.getByTestId('vote-open').click();
    await chair.locator('[data-testid="vote-card"][data-status="open"]').waitFor();
    // the chair holds a vote too: the ballot comes up on the chair's tablet
    await chair.getByTestId('ballot').waitFor();
    await shot(chair, 'votes-chair-ballot-1280x800');
    await room.locator('[data-testid="room-vote"][data-status="open"]').waitFor();
  });

  it('two delegates vote on their own devices; each sees "recorded" and a receipt', async () => {
    await openMeetingPage(d1, server.url, 'delegate1', meetingId);
    await openMeetingPage(d2, server.url, 'delegate2', meetingId);
    await d1.getByTestId('ballot').waitFor();
    await shot(d1, 'votes-ballot-1280x800');
    await shot(d2, 'votes-ballot-800x1280');
    const r1 = await vote(d1, 'for');
    const r2 = await vote(d2, 'against');
    expect(r1).toMatch(RECEIPT_PATTERN);
    expect(r2).toMatch(RECEIPT_PATTERN);
    expect(r1).not.toBe(r2);
    await expect.poll(() => d1.getByTestId('ballot-recorded').textContent()).toContain('Phiếu của bạn đã được ghi nhận');
    await shot(d2, 'votes-ballot-recorded-800x1280');
    const rc = await vote(chair, 'for');
    expect(rc).toMatch(RECEIPT_PATTERN);
    await chair.getByTestId('ballot').getByRole('button', { name: 'Đóng' }).last().click();
    // only the count while a secret vote is open, everywhere
    await room.locator('[data-testid="room-vote"][data-status="open"][data-cast="3"]').waitFor();
    await chair.locator('[data-testid="vote-count"][data-cast="3"]').waitFor();
    await shot(chair, 'votes-chair-panel-1280x800');
    // the floating dock sits to the left of the open panel, never over its last lines and buttons
    const dock = (await chair.getByTestId('voting-dock').boundingBox())!;
    const panel = (await chair.getByTestId('vote-panel').boundingBox())!;
    expect(dock.x + dock.width).toBeLessThanOrEqual(panel.x);
    await shot(room, 'votes-room-open');
  });

  it('the chair closes; the room screen and every tablet show "Tán thành 2/4 phiếu (50,00%) — không thông qua"', async () => {
    await chair.getByTestId('vote-close').click();
    const expected = 'Tán thành 2/4 phiếu (50,00%) — không thông qua';
    const roomResult = room.locator('[data-testid="room-vote"][data-status="closed"] [data-testid="vote-announcement"]');
    await roomResult.waitFor();
    expect(await roomResult.textContent()).toBe(expected);
    await shot(room, 'votes-room-result');
    // each delegate sees the result with the published ballot list; their own ballot is marked only
    // when they ask (neighbours see the tablet): no "phiếu của bạn" until "Đối chiếu phiếu của tôi"
    await d1.getByTestId('check-receipt').waitFor();
    expect(await d1.locator('[data-testid="ballot-list"] .vote-result__mine').count()).toBe(0);
    expect((await d1.getByTestId('vote-result').first().innerText()).toLowerCase()).not.toContain('phiếu của bạn');
    await d1.getByTestId('check-receipt').click();
    const mine = d1.locator('[data-testid="ballot-list"] .vote-result__mine');
    await mine.waitFor();
    expect(await mine.count()).toBe(1);
    // the receipt found again came from the device, where it is kept only encrypted (issue 17)
    const myReceipt = await mine.getAttribute('data-receipt');
    expect(myReceipt).toMatch(RECEIPT_PATTERN);
    const onDevice = await d1.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(onDevice).toContain('hopso.receipts.v2.');
    expect(onDevice).not.toContain(myReceipt!);
    expect(await d1.getByTestId('vote-announcement').first().textContent()).toBe(expected);
    await shot(d1, 'votes-delegate-result-1280x800');
    expect(await d2.locator('[data-testid="ballot-list"] li').count()).toBe(3);
  });

  it('the floor: a delegate asks, the chair gives the floor with a timer, the room screen shows who speaks and who is next', async () => {
    for (const p of [d1, d2, chair]) {
      const close = p.locator('.ballot-backdrop').getByTestId('result-close');
      if (await close.count()) await close.first().click();
    }
    await d1.getByTestId('dock-floor').click();
    await d1.getByTestId('floor-request-speak').click();
    await d2.getByTestId('dock-floor').click();
    await d2.getByTestId('floor-request-question').click();
    await chair.getByTestId('dock-floor').click();
    await chair.locator('[data-testid="floor-queue"] li').nth(1).waitFor();
    await chair.getByTestId('floor-grant').first().click();
    await chair.getByTestId('floor-timer').waitFor();
    await shot(chair, 'floor-chair-1280x800');
    await room.getByTestId('room-speaker').waitFor();
    expect(await room.getByTestId('room-speaker').textContent()).toContain('Phát biểu');
    expect(await room.locator('[data-testid="room-next"] li').count()).toBe(1);
    await shot(room, 'floor-room');
    await shot(d2, 'floor-delegate-800x1280');
    // a 401 is the app asking "who am I?" before login (and the room screen, which has no session)
    for (const e of errors) expect(e.filter((x) => !x.includes('status of 401'))).toEqual([]);
  });
});
