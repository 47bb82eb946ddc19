// Accessibility e2e (issue 19): axe-core's WCAG 2.1 A/AA rules on every screen, run in the page
// under the production CSP (tests/helpers/axe.ts). One server per describe (each starts the meeting
// afresh) and one Chromium for the whole file, each describe in its own contexts (a
// launch per describe cost nine Chromium starts per run);
// a failure prints each rule id and the nodes it found. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { CLIENT_DIST, DEMO_MEETING, launchBrowser, loginThroughUi, pageShown } from '../helpers/browser';
import { command, connect, demoMeeting, httpLogin, join } from '../helpers/live-client';
import { axeViolations, formatViolations } from '../helpers/axe';

const VIEWPORTS = [
  { width: 800, height: 1280 },
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;
const CASES = (['vi-VN', 'en-US'] as const).flatMap((locale) => VIEWPORTS.map((v) => [locale, v.width, v.height] as const));

let sharedBrowser: Browser;
beforeAll(async () => {
  sharedBrowser = await launchBrowser();
});
afterAll(async () => {
  await sharedBrowser?.close();
});

async function expectNoViolations(page: Page, screen: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations.length, formatViolations(screen, violations)).toBe(0);
}

describe.each(CASES)('axe: WCAG 2.1 A/AA on every screen (%s, %d×%d)', (locale, width, height) => {
  let server: TestApp;
  let browser: Browser;
  let chairCtx: BrowserContext;
  let delegateCtx: BrowserContext;
  let roomCtx: BrowserContext;
  let chair: Page;
  let delegate: Page;
  const where = (screen: string) => `${screen} [${locale} ${width}×${height}]`;
  const check = async (p: Page, screen: string) => {
    await expectNoViolations(p, where(screen));
    // touch targets: at least 44×44 everywhere (the minimum; WCAG 2.5.5)
    expect(await smallTargets(p), `${where(screen)}: targets under 44×44`).toEqual([]);
  };

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: CLIENT_DIST } });
    browser = sharedBrowser;
    const opts = { viewport: { width, height }, locale, hasTouch: width < 1000 } as const;
    chairCtx = await browser.newContext(opts);
    delegateCtx = await browser.newContext(opts);
    roomCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
    chair = await chairCtx.newPage();
    delegate = await delegateCtx.newPage();
  });

  afterAll(async () => {
    await chairCtx?.close();
    await delegateCtx?.close();
    await roomCtx?.close();
    await server?.close();
  });

  it('login and meetings pages', async () => {
    await delegate.goto(server.url);
    await delegate.locator('input[name="username"]').waitFor();
    await check(delegate, 'login');
    await loginThroughUi(delegate, server.url, 'delegate1');
    await delegate.locator('.meeting-card').first().waitFor();
    await check(delegate, 'meetings');
    // lịch công tác tuần (issue 15), then back to the list for the next steps
    await delegate.getByTestId('week-link').click();
    await delegate.locator('[data-testid="week-meeting"]').first().waitFor();
    await check(delegate, 'week view');
    await delegate.goBack();
    await delegate.locator('.meeting-card').first().waitFor();
  });

  it('meeting page: overview, agenda, a document open (chair and delegate)', async () => {
    await loginThroughUi(chair, server.url, 'chair');
    await chair.locator('.meeting-card', { hasText: DEMO_MEETING }).click();
    await chair.locator('[data-testid="connection"][data-connection="online"]').waitFor();
    await check(chair, 'meeting overview (chair, scheduled)');
    await chair.getByTestId('meeting-start').click();
    await chair.locator('[data-testid="live-bar"][data-meeting-status="running"]').waitFor();
    const firstDoc = chair.locator('.agenda-item').first().locator('[data-document-id]').first();
    if (!(await firstDoc.isVisible())) await chair.getByTestId('toggle-agenda').click();
    await firstDoc.waitFor();
    await check(chair, 'meeting with the agenda open (chair)');
    await firstDoc.click();
    await pageShown(chair, 1);
    await check(chair, 'meeting, document open (chair)');

    await delegate.locator('.meeting-card').first().click();
    await delegate.locator('[data-testid="connection"][data-connection="online"]').waitFor();
    await pageShown(delegate, 1);
    await check(delegate, 'meeting, following (delegate)');
  });

  it('Minutes, Prepare and attendance drawers', async () => {
    // on a phone the meeting's actions are behind the header's "more" button: its open list is checked too
    const action = async (id: string) => {
      const more = chair.getByTestId('header-actions-toggle');
      if (await more.isVisible()) {
        await more.click();
        await check(chair, 'header actions menu (open)');
      }
      await chair.getByTestId(id).click();
    };
    const attached = { state: 'attached' } as const;
    await action('open-minutes');
    await chair.locator('[aria-pressed="true"][data-testid="open-minutes"]').waitFor(attached);
    await check(chair, 'Minutes drawer');
    await chair.keyboard.press('Escape');
    await chair.locator('[aria-pressed="false"][data-testid="open-minutes"]').waitFor(attached);
    await action('open-prepare');
    await chair.locator('[aria-pressed="true"][data-testid="open-prepare"]').waitFor(attached);
    await check(chair, 'Prepare drawer');
    await chair.keyboard.press('Escape');
    await chair.locator('[aria-pressed="false"][data-testid="open-prepare"]').waitFor(attached);
    await chair.getByTestId('toggle-attendance').click();
    await chair.getByTestId('attendance-panel').waitFor();
    await check(chair, 'attendance panel');
    await chair.keyboard.press('Escape');
    await chair.getByTestId('attendance-panel').waitFor({ state: 'detached' });
  });

  it('floor panel (delegate asking, chair granting), vote panel and ballot', async () => {
    await delegate.getByTestId('dock-floor').click();
    await delegate.getByTestId('floor-request-speak').click();
    await delegate.getByTestId('floor-withdraw').waitFor();
    await check(delegate, 'floor panel (delegate waiting)');
    await delegate.keyboard.press('Escape');
    await chair.getByTestId('dock-floor').click();
    await chair.getByTestId('floor-grant').first().waitFor();
    await check(chair, 'floor panel (chair)');
    await chair.keyboard.press('Escape');

    // quorum for the vote: four of six voting members marked present by the secretary, over the wire
    const m = await demoMeeting(server.url, await httpLogin(server.url, 'chair'));
    const sec = await connect(server.url, { cookie: await httpLogin(server.url, 'secretary') });
    await join(sec, m.meeting.id);
    for (const u of ['chair', 'delegate1', 'delegate2', 'delegate3']) {
      const userId = m.members.find((x) => x.username === u)!.userId;
      expect(await command(sec, m.meeting.id, 'attendance.mark', { userId, status: 'present' })).toMatchObject({ ok: true });
    }
    sec.close();
    await chair.getByTestId('dock-votes').click();
    const form = chair.getByTestId('vote-create');
    await form.locator('textarea[name="question"]').fill('Thông qua báo cáo?');
    await check(chair, 'vote panel (chair, new vote)');
    await form.getByTestId('vote-create-submit').click();
    const card = chair.locator('[data-testid="vote-card"][data-status="draft"]');
    await card.getByTestId('vote-open').click();
    await chair.locator('[data-testid="vote-card"][data-status="open"]').waitFor();

    const ballot = delegate.getByTestId('ballot');
    await ballot.waitFor();
    await check(delegate, 'ballot (open)');
    await ballot.locator('.ballot__choice[data-choice="for"]').click();
    await ballot.getByTestId('ballot-confirm').click();
    await ballot.getByTestId('ballot-recorded').waitFor();
    await check(delegate, 'ballot (recorded)');
  });

  it('room screen and check-in page', async () => {
    // the chair holds a vote too: their ballot is up; closing it leaves the vote open
    await chair.getByTestId('ballot').waitFor();
    await chair.getByTestId('ballot').locator('.icon-btn').first().click(); // "vote later"
    await chair.getByTestId('ballot').waitFor({ state: 'detached' });
    await chair.keyboard.press('Escape'); // Escape closes the vote panel
    await chair.getByTestId('vote-panel').waitFor({ state: 'detached' });
    // the live bar's icon where it shows, else the chair's side controls
    const barLink = chair.getByTestId('room-link');
    await ((await barLink.isVisible()) ? barLink : chair.getByTestId('room-link-side')).click();
    const input = chair.getByTestId('room-link-url');
    await input.waitFor();
    await check(chair, 'room link dialog');
    const roomUrl = await input.inputValue();
    await chair.keyboard.press('Escape');
    const room = await roomCtx.newPage();
    await room.goto(roomUrl);
    await room.locator('[data-testid="room-screen"][data-state="ready"][data-meeting-status="running"]').waitFor();
    await room.locator('[data-testid="room-qr"][data-checkin-url] img').waitFor();
    await check(room, 'room screen');
    const checkInUrl = await room.getByTestId('room-qr').getAttribute('data-checkin-url');
    const scan = await delegateCtx.newPage();
    await scan.goto(checkInUrl!);
    await scan.getByTestId('go-to-meeting').waitFor();
    await check(scan, 'check-in page');
  });
});

/** Presses Tab until the focused element matches `selector` (at most `max` presses); fails if it never does. */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) {
      // the focus is visible: the focused control draws an outline or a box-shadow ring
      const ring = await page.evaluate(() => {
        const cs = getComputedStyle(document.activeElement as Element);
        return (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
      });
      expect(ring, `focus ring on ${selector}`).toBe(true);
      return;
    }
  }
  throw new Error(`${selector} not reached with ${max} Tab presses`);
}

describe('keyboard only: a delegate logs in, opens the meeting, follows, asks for the floor and votes', () => {
  let server: TestApp;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let meetingId = '';
  let sec: Awaited<ReturnType<typeof connect>>;

  beforeAll(async () => {
    server = await buildTestApp({ listen: true, config: { clientDistDir: CLIENT_DIST } });
    browser = sharedBrowser;
    ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    page = await ctx.newPage();
    // the meeting is running with quorum, set up over the wire by the chair and the secretary
    const chairCookie = await httpLogin(server.url, 'chair');
    const m = await demoMeeting(server.url, chairCookie);
    meetingId = m.meeting.id;
    sec = await connect(server.url, { cookie: await httpLogin(server.url, 'secretary') });
    await join(sec, meetingId);
    const ch = await connect(server.url, { cookie: chairCookie });
    await join(ch, meetingId);
    expect(await command(ch, meetingId, 'meeting.start', {})).toMatchObject({ ok: true });
    ch.close();
    for (const u of ['chair', 'delegate1', 'delegate2', 'delegate3']) {
      const userId = m.members.find((x) => x.username === u)!.userId;
      expect(await command(sec, meetingId, 'attendance.mark', { userId, status: 'present' })).toMatchObject({ ok: true });
    }
  });

  afterAll(async () => {
    sec?.close();
    await ctx?.close();
    await server?.close();
  });

  it('does it all with Tab, Enter, Space and Escape', async () => {
    await page.goto(server.url);
    await tabTo(page, 'input[name="username"]');
    await page.keyboard.type('delegate1');
    await tabTo(page, 'input[name="password"]');
    await page.keyboard.type('demo1234');
    await page.keyboard.press('Enter');
    await page.locator('.meeting-card').first().waitFor();

    await tabTo(page, `.meeting-card[data-meeting-id="${meetingId}"]`);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="connection"][data-connection="online"]').waitFor();

    await tabTo(page, '[data-testid="dock-floor"]');
    await page.keyboard.press('Enter');
    await tabTo(page, '[data-testid="floor-request-speak"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('floor-withdraw').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('floor-panel').waitFor({ state: 'detached' });
    // focus returns to the button that opened the panel
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('dock-floor');

    // the chair gives the delegate the floor over the wire: the live region says so
    const ch = await connect(server.url, { cookie: await httpLogin(server.url, 'chair') });
    await join(ch, meetingId);
    await expect
      .poll(() => sec.events.some((e) => typeof (e.payload as { requestId?: unknown }).requestId === 'string'))
      .toBe(true);
    const requestId = (
      sec.events.find((e) => typeof (e.payload as { requestId?: unknown }).requestId === 'string')!.payload as {
        requestId: string;
      }
    ).requestId;
    expect(await command(ch, meetingId, 'floor.grant', { requestId })).toMatchObject({ ok: true });
    await expect.poll(() => page.getByTestId('announcer').textContent()).toBe('Mời bạn phát biểu');
    expect(await command(ch, meetingId, 'floor.end', {})).toMatchObject({ ok: true });

    // the chair opens a vote over the wire; the ballot comes up and is cast without a pointer
    const created = await command(ch, meetingId, 'vote.create', {
      question: 'Thông qua báo cáo?',
      secret: false,
      rule: { kind: 'majority_of_present' },
    });
    expect(created).toMatchObject({ ok: true });
    const seq = (created as { seq: number }).seq;
    await expect.poll(() => ch.events.some((e) => e.seq === seq)).toBe(true);
    const voteId = (ch.events.find((e) => e.seq === seq)!.payload as { voteId: string }).voteId;
    expect(await command(ch, meetingId, 'vote.open', { voteId })).toMatchObject({ ok: true });
    ch.close();
    const ballot = page.getByTestId('ballot');
    await ballot.waitFor();
    await tabTo(page, '.ballot__choice[data-choice="for"]');
    await page.keyboard.press('Space');
    await tabTo(page, '[data-testid="ballot-confirm"]');
    await page.keyboard.press('Enter');
    await ballot.getByTestId('ballot-recorded').waitFor();
    // the polite live region told a screen reader
    await expect.poll(() => page.getByTestId('announcer').textContent()).toBe('Phiếu của bạn đã được ghi nhận');
  });
});

describe('large text and high contrast: kept per user on the server', () => {
  let server: TestApp;
  let browser: Browser;
  const SHOTS = '/tmp/hopso-a11y';

  beforeAll(async () => {
    server = await buildTestApp({ listen: true, config: { clientDistDir: CLIENT_DIST } });
    browser = sharedBrowser;
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await server?.close();
  });

  const rootClasses = (p: Page) => p.evaluate(() => document.documentElement.className);

  it('survives logout and a login in another context; the meeting page stays axe-clean in that mode', async () => {
    const ctxA = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    const a = await ctxA.newPage();
    await loginThroughUi(a, server.url, 'delegate1');
    await a.locator('.meeting-card', { hasText: DEMO_MEETING }).click();
    await a.locator('[data-testid="connection"][data-connection="online"]').waitFor();
    await a.screenshot({ path: path.join(SHOTS, 'meeting-before-default.png') });
    const baseSize = await a.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    await a.getByTestId('toggle-large-text').click();
    await a.getByTestId('toggle-high-contrast').click();
    await a.locator('[data-testid="toggle-high-contrast"][aria-pressed="true"]').waitFor();
    expect(await rootClasses(a)).toContain('ui-large-text');
    const bigSize = await a.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    expect(bigSize / baseSize).toBeGreaterThanOrEqual(1.5);
    await a.screenshot({ path: path.join(SHOTS, 'meeting-after-large-text-high-contrast.png') });
    await a.getByTestId('logout').click();
    await a.locator('input[name="username"]').waitFor();
    expect(await rootClasses(a)).not.toContain('ui-large-text'); // the next person at this device starts plain
    await ctxA.close();

    const ctxB = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    const b = await ctxB.newPage();
    await loginThroughUi(b, server.url, 'delegate1');
    await b.locator('.meeting-card').first().waitFor();
    await expect.poll(() => rootClasses(b)).toContain('ui-high-contrast');
    expect(await rootClasses(b)).toContain('ui-large-text');
    expect(await b.getByTestId('toggle-large-text').getAttribute('aria-pressed')).toBe('true');
    await b.locator('.meeting-card', { hasText: DEMO_MEETING }).click();
    await b.locator('[data-testid="connection"][data-connection="online"]').waitFor();
    await expectNoViolations(b, 'meeting (large text, high contrast)');
    await ctxB.close();
  });
});

/**
 * Visible controls smaller than 44×44 CSS px. A control inside a label is measured with its label
 * (the label is what a finger touches: a checkbox and its text, an invisible file input over its
 * button); links inside running text are exempt, as in WCAG.
 */
async function smallTargets(p: Page) {
  return p.evaluate(() => {
    const targets = new Set<HTMLElement>();
    for (const el of document.querySelectorAll<HTMLElement>(
      'button, a[href], select, input:not([type="hidden"]), textarea, [role="button"], summary',
    )) {
      if (el.parentElement?.closest('button, a[href], summary')) continue;
      if (el.tagName === 'A' && el.closest('p, li')) continue;
      targets.add(el.closest('label') ?? el);
    }
    return [...targets]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
      })
      .map((el) => {
        const r = el.getBoundingClientRect();
        return {
          el: `${el.tagName.toLowerCase()}.${el.className} ${el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30)}`,
          w: Math.round(r.width),
          h: Math.round(r.height),
        };
      })
      .filter((b) => b.w < 44 - 0.5 || b.h < 44 - 0.5);
  });
}

/** The visible controls in the header, the live bar and the dock: boxes in CSS px. */
async function controlBoxes(p: Page) {
  return p.evaluate(() => {
    // the controls, and the live bar's status badge and texts: none may overlap another
    const sel =
      '.app-header button, .app-header a, [data-testid="live-bar"] button, .dock button, [data-testid="live-bar"] .badge, .live-bar__follow > span, .live-bar__item';
    return [...document.querySelectorAll<HTMLElement>(sel)]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
      })
      .filter((el) => !el.parentElement?.closest('button')) // nested parts are not separate targets
      .map((el) => {
        const r = el.getBoundingClientRect();
        return {
          name: el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName,
          target: el.matches('button, a'),
          // text spilling out of its own box (a squeezed badge) overlaps its neighbours without its box
          // doing so; the two texts meant to be cut with an ellipsis are left out
          spills: !el.matches('.live-bar__follow > span, .live-bar__item') && el.scrollWidth > el.clientWidth + 1,
          x: r.x,
          y: r.y,
          w: r.width,
          h: r.height,
        };
      });
  });
}

describe('200 % browser zoom at 1280×800: the main controls hold', () => {
  let server: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    server = await buildTestApp({ listen: true, config: { clientDistDir: CLIENT_DIST } });
    browser = sharedBrowser;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('no overlap, nothing clipped off the screen, targets at least 44×44', async () => {
    // 200 % zoom of a 1280×800 screen = a 640×400 CSS-pixel layout drawn at twice the density
    const ctx = await browser.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2, locale: 'vi-VN' });
    const p = await ctx.newPage();
    await loginThroughUi(p, server.url, 'chair');
    await p.locator('.meeting-card', { hasText: DEMO_MEETING }).click();
    await p.locator('[data-testid="connection"][data-connection="online"]').waitFor();
    await p.getByTestId('meeting-start').click();
    await p.locator('[data-testid="live-bar"][data-meeting-status="running"]').waitFor();
    fs.mkdirSync('/tmp/hopso-a11y', { recursive: true });
    await p.screenshot({ path: '/tmp/hopso-a11y/meeting-zoom200.png' });
    const boxes = await controlBoxes(p);
    expect(boxes.length).toBeGreaterThan(3);
    const problems: string[] = [];
    for (const b of boxes) {
      if (b.spills) problems.push(`${b.name}: its text spills out of its box`);
      if (b.target && (b.w < 44 - 0.5 || b.h < 44 - 0.5)) problems.push(`${b.name}: ${b.w.toFixed(0)}×${b.h.toFixed(0)} < 44×44`);
      if (b.x < -0.5 || b.x + b.w > 640.5) problems.push(`${b.name}: clipped (x ${b.x.toFixed(0)}..${(b.x + b.w).toFixed(0)})`);
    }
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
        const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
        if (ox > 1 && oy > 1) problems.push(`${a.name} overlaps ${b.name}`);
      }
    expect(problems, problems.join('\n')).toEqual([]);
    await ctx.close();
  });
});
