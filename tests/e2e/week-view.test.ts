// The week view e2e (lịch công tác tuần, issue 15), in a real browser: a delegate opens "Lịch tuần",
// sees this week's meetings in their days with time, place, their reply and the giấy mời; moves week
// by the keyboard (→ / PageUp) and the buttons; taps a meeting to open it. On a phone (touch) a
// sideways swipe changes the week, in English; at 200 % zoom the days stack, nothing is clipped and
// every target is at least 44×44. Needs `npm run build` first.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { CLIENT_DIST, collectErrors, launchBrowser, loginThroughUi, shot } from '../helpers/browser';
import { api, httpLogin } from '../helpers/live-client';
import { addDays, vnDateOf, weekStartOf } from '../../shared/week-api';
import { users } from '../../server/db/schema';
import { eq } from 'drizzle-orm';

describe('lịch công tác tuần', () => {
  let server: TestApp;
  let browser: Browser;
  const errors: string[] = [];
  const weekStart = weekStartOf(vnDateOf(new Date()));
  const ids: Record<'mon' | 'wed' | 'next', string> = { mon: '', wed: '', next: '' };

  const asUser = (username: string) => {
    const u = server.app.db.select().from(users).where(eq(users.username, username)).get()!;
    return { kind: 'user' as const, user: { id: u.id, isAdmin: u.isAdmin, username: u.username } };
  };

  beforeAll(async () => {
    if (!fs.existsSync(`${CLIENT_DIST}/index.html`))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: CLIENT_DIST } });
    browser = await launchBrowser();
    const cookie = await httpLogin(server.url, 'secretary');
    const make = async (title: string, day: string, location: string) => {
      const r = await api(server.url, cookie, 'POST', '/api/meetings', {
        title,
        startsAt: `${day}T01:30:00.000Z`,
        location,
        organization: 'Văn phòng',
      });
      expect(r.status).toBe(201);
      const id = (r.json as { id: string }).id;
      expect(
        (await api(server.url, cookie, 'POST', `/api/meetings/${id}/members`, { username: 'delegate1', role: 'participant' }))
          .status,
      ).toBe(201);
      return id;
    };
    ids.mon = await make('Giao ban đầu tuần', weekStart, 'Phòng 201');
    ids.wed = await make('Họp chuyên đề chuyển đổi số', addDays(weekStart, 2), 'Hội trường A');
    ids.next = await make('Giao ban tuần sau', addDays(weekStart, 7), 'Phòng 201');
    expect((await api(server.url, cookie, 'POST', `/api/meetings/${ids.wed}/invitations`, { number: '21/GM-VP' })).status).toBe(
      201,
    );
    expect(
      (
        await server.app.live.execute(asUser('delegate1'), {
          id: 'e2e-absent',
          meetingId: ids.wed,
          type: 'invitation.reply',
          payload: { status: 'absent', reason: 'Đi công tác' },
        })
      ).event,
    ).toBeTruthy();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const dayOf = (p: Page, day: string) => p.locator(`[data-testid="week-day"][data-day="${day}"]`);

  it('desktop, Vietnamese: this week, the keyboard and the buttons move the week, a tap opens the meeting', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    const p = await ctx.newPage();
    errors.push(...collectErrors(p));
    await loginThroughUi(p, server.url, 'delegate1');
    await p.getByTestId('week-link').click();
    await p.locator(`[data-testid="week-grid"][data-week-start="${weekStart}"]`).waitFor();
    expect(await p.getByTestId('week-day').count()).toBe(7);
    await expect(p.locator('h1').textContent()).resolves.toContain(`Tuần từ ${weekStart.slice(8, 10)}/${weekStart.slice(5, 7)}`);
    // each meeting in its day, with its time (08:30 Vietnam time), place, my reply, the giấy mời
    const mon = dayOf(p, weekStart).getByTestId('week-meeting');
    await expect(mon.textContent()).resolves.toMatch(
      /08:30.*Giao ban đầu tuần.*Phòng 201.*Chưa trả lời.*Chưa phát hành giấy mời/,
    );
    const wed = dayOf(p, addDays(weekStart, 2)).getByTestId('week-meeting');
    await expect(wed.getByTestId('week-reply').textContent()).resolves.toBe('Báo vắng');
    await expect(wed.getByTestId('week-invitation').textContent()).resolves.toBe('Giấy mời số 21/GM-VP');
    await expect(dayOf(p, vnDateOf(new Date())).textContent()).resolves.toContain('Hôm nay');
    await shot(p, 'week-view-1280x800');

    // → next week (the keyboard), the URL holds it; PageUp back; the buttons too
    await p.keyboard.press('ArrowRight');
    await p.locator(`[data-testid="week-grid"][data-week-start="${addDays(weekStart, 7)}"]`).waitFor();
    expect(new URL(p.url()).searchParams.get('date')).toBe(addDays(weekStart, 7));
    await expect(p.getByTestId('week-meeting').textContent()).resolves.toContain('Giao ban tuần sau');
    await p.keyboard.press('PageUp');
    await p.locator(`[data-testid="week-grid"][data-week-start="${weekStart}"]`).waitFor();
    await p.keyboard.press('PageDown');
    await p.locator(`[data-testid="week-grid"][data-week-start="${addDays(weekStart, 7)}"]`).waitFor();
    await p.getByTestId('week-prev').click();
    await p.getByTestId('week-prev').click();
    await p.locator(`[data-testid="week-grid"][data-week-start="${addDays(weekStart, -7)}"]`).waitFor();
    expect(await p.getByTestId('week-meeting').count()).toBe(0);
    await p.getByTestId('week-today').click();
    await p.locator(`[data-testid="week-grid"][data-week-start="${weekStart}"]`).waitFor();
    // the browser's back button returns to the week before
    await p.goBack();
    await p.locator(`[data-testid="week-grid"][data-week-start="${addDays(weekStart, -7)}"]`).waitFor();
    await p.goForward();
    await p.locator(`[data-testid="week-grid"][data-week-start="${weekStart}"]`).waitFor();

    // Tab to the meeting and Enter opens it
    const link = dayOf(p, addDays(weekStart, 2)).getByTestId('week-meeting');
    await link.focus();
    await p.keyboard.press('Enter');
    await p.waitForURL(`**/meetings/${ids.wed}`);
    await p.locator('[data-testid="connection"][data-connection="online"]').waitFor();
    // a member has no unit view
    await p.goto(`${server.url}/week`);
    await p.getByTestId('week-grid').waitFor();
    expect(await p.getByTestId('week-scope-unit').count()).toBe(0);
    await ctx.close();
  }, 90_000);

  it('phone, English, touch: a sideways swipe changes the week; a tap opens the meeting', async () => {
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
      locale: 'en-US',
    });
    await ctx.addInitScript(() => localStorage.setItem('hopso.lang', 'en'));
    const p = await ctx.newPage();
    errors.push(...collectErrors(p));
    await loginThroughUi(p, server.url, 'delegate1');
    await p.getByTestId('week-link').tap();
    await p.locator(`[data-testid="week-grid"][data-week-start="${weekStart}"]`).waitFor();
    await expect(p.locator('h1').textContent()).resolves.toContain('Week of');
    await expect(dayOf(p, addDays(weekStart, 2)).getByTestId('week-reply').textContent()).resolves.toBe('Absent');
    // one day under the other, nothing wider than the phone
    const [a, b] = [await dayOf(p, weekStart).boundingBox(), await dayOf(p, addDays(weekStart, 1)).boundingBox()];
    expect(b!.y).toBeGreaterThanOrEqual(a!.y + a!.height - 1);
    expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot(p, 'week-view-phone-en');

    // a finger swipe from right to left: the next week (real touch events through the DevTools protocol)
    const cdp = await ctx.newCDPSession(p);
    const y = (await p.getByTestId('week-grid').boundingBox())!.y + 40;
    const swipe = async (fromX: number, toX: number) => {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: fromX, y }] });
      for (let i = 1; i <= 5; i++)
        await cdp.send('Input.dispatchTouchEvent', {
          type: 'touchMove',
          touchPoints: [{ x: fromX + ((toX - fromX) * i) / 5, y }],
        });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    };
    // a tap opens the meeting; back to the week
    await dayOf(p, weekStart).getByTestId('week-meeting').tap();
    await p.waitForURL(`**/meetings/${ids.mon}`);
    await p.goBack();
    await p.locator(`[data-testid="week-grid"][data-week-start="${weekStart}"]`).waitFor();
    await swipe(340, 60);
    await p.locator(`[data-testid="week-grid"][data-week-start="${addDays(weekStart, 7)}"]`).waitFor();
    await swipe(60, 340);
    await p.locator(`[data-testid="week-grid"][data-week-start="${weekStart}"]`).waitFor();
    await expect(dayOf(p, weekStart).getByTestId('week-meeting').textContent()).resolves.toContain('Giao ban đầu tuần');
    await ctx.close();
  }, 90_000);

  it("the office's view: an organiser of the unit switches to the whole unit; a meeting not theirs is listed, not a link", async () => {
    const admin = await httpLogin(server.url, 'admin');
    const secId = server.app.db.select().from(users).where(eq(users.username, 'secretary')).get()!.id;
    expect((await api(server.url, admin, 'PATCH', `/api/users/${secId}`, { unit: 'Văn phòng' })).status).toBe(200);
    const chairCookie = await httpLogin(server.url, 'chair');
    const r = await api(server.url, chairCookie, 'POST', '/api/meetings', {
      title: 'Họp riêng của lãnh đạo',
      startsAt: `${addDays(weekStart, 3)}T02:00:00.000Z`,
      location: 'Phòng lãnh đạo',
      organization: 'Văn phòng',
      creatorRole: 'chair',
    });
    expect(r.status).toBe(201);
    const otherId = (r.json as { id: string }).id;
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    const p = await ctx.newPage();
    errors.push(...collectErrors(p));
    await loginThroughUi(p, server.url, 'secretary');
    await p.getByTestId('week-link').click();
    await p.locator(`[data-testid="week-grid"][data-week-start="${weekStart}"]`).waitFor();
    expect(await p.locator(`[data-meeting-id="${otherId}"]`).count()).toBe(0);
    await p.getByTestId('week-scope-unit').click();
    const other = p.locator(`[data-meeting-id="${otherId}"]`);
    await other.waitFor();
    expect(new URL(p.url()).searchParams.get('scope')).toBe('unit');
    expect(await other.evaluate((el) => el.tagName)).toBe('DIV');
    await expect(other.textContent()).resolves.toContain('Không tham dự (chỉ xem lịch)');
    await expect(p.getByTestId('week-scope-unit').getAttribute('aria-checked')).resolves.toBe('true');
    await shot(p, 'week-view-unit');
    await ctx.close();
  }, 90_000);

  it('200 % zoom at 1280×800: days stacked, nothing clipped, every target at least 44×44', async () => {
    const ctx = await browser.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2, locale: 'vi-VN' });
    const p = await ctx.newPage();
    errors.push(...collectErrors(p));
    await loginThroughUi(p, server.url, 'delegate1');
    await p.getByTestId('week-link').click();
    await p.locator(`[data-testid="week-grid"][data-week-start="${weekStart}"]`).waitFor();
    await shot(p, 'week-view-zoom200');
    expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const targets = await p.$$eval('.week-page button, .week-page a', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { name: e.getAttribute('data-testid') ?? e.textContent ?? '', w: r.width, h: r.height, x: r.x };
      }),
    );
    expect(targets.length).toBeGreaterThanOrEqual(5);
    for (const tg of targets) {
      expect(tg.w, tg.name).toBeGreaterThanOrEqual(43.5);
      expect(tg.h, tg.name).toBeGreaterThanOrEqual(43.5);
      expect(tg.x + tg.w, tg.name).toBeLessThanOrEqual(640.5);
    }
    await ctx.close();
    expect(errors).toEqual([]);
  }, 90_000);
});
