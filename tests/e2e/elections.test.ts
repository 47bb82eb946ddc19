// Elections e2e: the chair sets up a secret strike-out election on a laptop, a delegate strikes
// names by touch on an upright tablet, another by keyboard only, the chair by mouse; the room screen
// and the tablets show who is elected with the percentage of all members. Needs `npm run build`.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { collectErrors, launchBrowser, loginThroughUi } from '../helpers/browser';
import { api, command, connect, demoMeeting, httpLogin, join } from '../helpers/live-client';
import { RECEIPT_PATTERN } from '../../shared/votes';

const DIST = path.resolve('client/dist');
const SHOTS = process.env.E2E_SHOTS_DIR ?? '/work/notes';
const CANDIDATES = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Minh Châu'];

async function shot(p: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await p.screenshot({ path: path.join(SHOTS, `vote16-${name}.png`) });
}

async function openMeetingPage(p: Page, url: string, username: string, meetingId: string) {
  await loginThroughUi(p, url, username);
  await p.locator('.meeting-card').first().waitFor();
  await p.goto(`${url}/meetings/${meetingId}`);
  await p.locator('[data-testid="connection"][data-connection="online"]').waitFor();
}

describe('elections: set up, strike out by touch, keyboard and mouse, elected shown everywhere', () => {
  let server: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let chair: Page;
  let d1: Page;
  let d2: Page;
  let room: Page;
  let meetingId = '';
  let d3Name = '';
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
    const chairCookie = await httpLogin(server.url, 'chair');
    const secCookie = await httpLogin(server.url, 'secretary');
    const m = await demoMeeting(server.url, chairCookie);
    meetingId = m.meeting.id;
    d3Name = m.members.find((x) => x.username === 'delegate3')!.fullName;
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

  it('the chair sets up a secret election (strike-out form, 1 seat of 3) and opens it', async () => {
    await openMeetingPage(chair, server.url, 'chair', meetingId);
    await chair.getByTestId('dock-votes').click();
    const form = chair.getByTestId('vote-create');
    await form.getByTestId('kind-election').click();
    // an election is secret by default
    expect(await form.getByTestId('mode-secret').getAttribute('aria-checked')).toBe('true');
    await form.locator('textarea[name="question"]').fill('Bầu Trưởng ban kiểm tra');
    await form.locator('textarea[name="candidates"]').fill(CANDIDATES.join('\n'));
    await form.locator('select[name="rule"]').selectOption('majority_of_present');
    expect(await form.getByTestId('form-strike').getAttribute('aria-checked')).toBe('true');
    await shot(chair, 'election-setup-1280x800');
    await form.getByTestId('vote-create-submit').click();
    const card = chair.locator('[data-testid="vote-card"][data-status="draft"]');
    await card.waitFor();
    expect(await card.getByTestId('election-setup').textContent()).toContain('Bầu 1 trong 3 người');
    await card.getByTestId('vote-open').click();
    await chair.locator('[data-testid="vote-card"][data-status="open"]').waitFor();
    await chair.getByTestId('ballot').waitFor();
  });

  it('a delegate strikes names by touch on the tablet: confirm only once the ballot is valid', async () => {
    await openMeetingPage(d2, server.url, 'delegate2', meetingId);
    const ballot = d2.getByTestId('ballot');
    await ballot.waitFor();
    const counter = ballot.getByTestId('election-counter');
    expect(await counter.getAttribute('data-valid')).toBe('false');
    expect(await ballot.getByTestId('ballot-confirm').isDisabled()).toBe(true);
    await ballot.locator('[data-candidate="c2"]').tap();
    expect(await ballot.getByTestId('ballot-confirm').isDisabled()).toBe(true); // 2 names left for 1 seat
    expect(await counter.textContent()).toContain('gạch thêm 1 tên');
    await ballot.locator('[data-candidate="c3"]').tap();
    expect(await counter.getAttribute('data-valid')).toBe('true');
    expect(await ballot.locator('[data-candidate="c2"]').getAttribute('aria-checked')).toBe('true');
    await shot(d2, 'election-ballot-800x1280');
    await ballot.getByTestId('ballot-confirm').tap();
    await ballot.getByTestId('ballot-recorded').waitFor();
    expect(await ballot.getByTestId('receipt').textContent()).toMatch(RECEIPT_PATTERN);
  });

  it('another strikes by keyboard only (Tab, Space, Enter)', async () => {
    await openMeetingPage(d1, server.url, 'delegate1', meetingId);
    const ballot = d1.getByTestId('ballot');
    await ballot.waitFor();
    // strike c2 and c3: focus each candidate with the keyboard and press Space
    for (const id of ['c2', 'c3']) {
      await ballot.locator(`[data-candidate="${id}"]`).focus();
      await d1.keyboard.press('Space');
    }
    expect(await ballot.getByTestId('election-counter').getAttribute('data-valid')).toBe('true');
    await ballot.getByTestId('ballot-confirm').focus();
    await d1.keyboard.press('Enter');
    await ballot.getByTestId('ballot-recorded').waitFor();
  });

  it("the chair votes; delegate3 voted on paper: the chair enters the counting committee's paper ballot as marked (an invalid one cannot be added)", async () => {
    const ballot = chair.getByTestId('ballot');
    await ballot.locator('[data-candidate="c2"]').click();
    await ballot.locator('[data-candidate="c3"]').click();
    await ballot.getByTestId('ballot-confirm').click();
    await ballot.getByTestId('ballot-recorded').waitFor();
    await ballot.getByRole('button', { name: 'Đóng' }).last().click();
    await chair.locator('[data-testid="vote-count"][data-cast="3"]').waitFor();
    const box = chair.getByTestId('paper-ballots');
    await box.locator('summary').click();
    await box.getByLabel(d3Name).check();
    const current = box.getByTestId('paper-ballot-current');
    // striking only c2 leaves 2 names for 1 seat: an invalid ballot is not entered
    await current.locator('[data-candidate="c2"]').check();
    await current.getByRole('alert').waitFor();
    expect(await box.getByTestId('paper-ballot-add').isDisabled()).toBe(true);
    await current.locator('[data-candidate="c3"]').check();
    await box.getByTestId('paper-ballot-add').click();
    expect(await box.getByTestId('paper-ballot-list').textContent()).toContain('Nguyễn Văn An');
    await shot(chair, 'election-paper-ballots-1280x800');
    await box.getByTestId('paper-ballots-submit').click();
    await chair.locator('[data-testid="vote-count"][data-cast="4"]').waitFor();
    // delegate3 is no longer offered (voted on paper)
    expect(await chair.getByTestId('paper-ballots').getByLabel(d3Name).count()).toBe(0);
  });

  it('the chair closes: elected with the share of all members, everywhere', async () => {
    await chair.locator('[data-testid="vote-count"][data-cast="4"]').waitFor();
    await chair.getByTestId('vote-close').click();
    const roomResult = room.locator('[data-testid="room-vote"][data-status="closed"] [data-testid="vote-announcement"]');
    await roomResult.waitFor();
    // c1 kept on all four ballots (three on tablets, one on paper): 4 of 4 present is over half of
    // those present (the rule chosen); the percentage shown is of all 6 members
    expect(await roomResult.textContent()).toBe('Trúng cử: Nguyễn Văn An');
    expect(await room.locator('[data-testid="room-vote"][data-status="closed"] .room-vote__kicker').textContent()).toBe(
      'Kết quả bầu cử',
    );
    const lines = room.locator('[data-testid="room-vote"][data-status="closed"] [data-testid="election-lines"] li');
    expect(await lines.nth(0).textContent()).toContain('Nguyễn Văn An: 4/6 phiếu (66,67% tổng số thành viên)');
    expect(await lines.nth(0).getAttribute('data-elected')).toBe('true');
    expect(await lines.nth(1).textContent()).toContain('Trần Thị Bình: 0/6 phiếu (0,00% tổng số thành viên)');
    await shot(room, 'election-room-result');
    await d2.getByTestId('vote-result').first().waitFor();
    await shot(d2, 'election-result-800x1280');
  });

  it('the chair draws up the vote-counting minutes naming the committee; a member signs on the tablet', async () => {
    for (const p of [chair, d2]) {
      const close = p.locator('.ballot-backdrop').getByTestId('result-close');
      if (await close.count()) await close.first().click();
    }
    const panel = chair.getByTestId('counting-report');
    await panel.waitFor();
    expect(await panel.locator('input[type="checkbox"]').count()).toBeGreaterThan(2);
    // delegate2 heads the committee, delegate1 is a member: tick them in that order (labels carry the names)
    await panel.getByLabel('Phạm Thị Dung').check();
    await panel.getByLabel('Lê Văn Cường').check();
    await panel.getByTestId('counting-report-create').click();
    await panel.locator('li[data-signed="false"]').nth(1).waitFor();
    expect(await panel.locator('li').first().textContent()).toContain('Phạm Thị Dung (Trưởng ban) — chưa ký');
    await shot(chair, 'election-counting-report-1280x800');
    await d2.getByTestId('dock-votes').tap();
    const mine = d2.getByTestId('counting-report');
    await mine.getByTestId('counting-report-sign').tap();
    await mine.locator('li[data-signed="true"]').waitFor({ timeout: 30_000 });
    expect(await mine.locator('li').first().textContent()).toContain('Phạm Thị Dung (Trưởng ban) — đã ký');
    expect(await mine.getByTestId('counting-report-sign').count()).toBe(0);
    for (const e of errors) expect(e.filter((x) => !x.includes('status of 401'))).toEqual([]);
  });
});
