// Issue 23 "in the room", e2e: a room screen at 1920×1080 shows a whole A4 page while the chair is
// at fit-width; a secret vote closes and no tablet shows anyone's choice as "yours"; the secretary
// records the vote of a member present without a device, and the result names who recorded it.
// Debian Chromium (playwright-core) against the built client and a real server. Needs `npm run build`.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { CLIENT_DIST, collectErrors, launchBrowser, loginThroughUi, shot } from '../helpers/browser';
import { api, command, connect, demoMeeting, httpLogin, join, until, type LiveSocket } from '../helpers/live-client';
import type { MeetingDetail } from '../../shared/api';

const ROOM = { width: 1920, height: 1080 };

async function openMeetingPage(p: Page, url: string, username: string, meetingId: string) {
  await loginThroughUi(p, url, username);
  await p.locator('.meeting-card').first().waitFor();
  await p.goto(`${url}/meetings/${meetingId}`);
  await p.locator('[data-testid="connection"][data-connection="online"]').waitFor();
}

/** Everything a tablet shows, lower-cased: the check is on what a neighbour could read. */
// what a neighbour can read on the screen: the page's text less the polite live region, which is for
// screen readers only (visually hidden) and says a vote was recorded, never which choice
const screenText = async (p: Page) => {
  const all = await p.locator('body').innerText();
  const spoken = (await p.getByTestId('announcer').count()) ? await p.getByTestId('announcer').innerText() : '';
  return (spoken ? all.replace(spoken, '') : all).toLowerCase();
};

describe('in the room: whole page on the projector, secret results private, votes recorded for members without a device', () => {
  let server: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let room: Page;
  let d1: Page;
  let d2: Page;
  let secretary: Page;
  let ch: LiveSocket;
  let m: MeetingDetail;
  const errors: string[][] = [];
  const idOf = (u: string) => m.members.find((x) => x.username === u)!.userId;
  const ok = async (p: Promise<unknown>) => expect(await p).toMatchObject({ ok: true });

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: CLIENT_DIST } });
    browser = await launchBrowser();
    const page = async (viewport: { width: number; height: number }) => {
      const ctx = await browser.newContext({ viewport, locale: 'vi-VN', hasTouch: true });
      contexts.push(ctx);
      const p = await ctx.newPage();
      errors.push(collectErrors(p));
      return p;
    };
    room = await page(ROOM);
    d1 = await page({ width: 1280, height: 800 });
    d2 = await page({ width: 800, height: 1280 });
    secretary = await page({ width: 1280, height: 800 });

    // running, five of six voting members present; delegate3 is in the room without a tablet
    const chairCookie = await httpLogin(server.url, 'chair');
    m = await demoMeeting(server.url, chairCookie);
    ch = await connect(server.url, { cookie: chairCookie });
    await join(ch, m.meeting.id);
    await ok(command(ch, m.meeting.id, 'meeting.start', {}));
    for (const u of ['chair', 'delegate1', 'delegate2', 'delegate3', 'delegate4']) {
      await ok(command(ch, m.meeting.id, 'attendance.mark', { userId: idOf(u), status: 'present' }));
    }
    const link = await api<{ url: string }>(server.url, chairCookie, 'POST', `/api/meetings/${m.meeting.id}/room-token`);
    await room.goto(`${server.url}${link.json.url}`);
    await room.locator('[data-testid="room-screen"][data-state="ready"]').waitFor();
  });

  afterAll(async () => {
    ch?.close();
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it('the room screen (1920×1080) shows the whole A4 page while the chair reads at fit-width', async () => {
    const doc = m.documents.find((d) => d.pageCount >= 1)!;
    await ok(command(ch, m.meeting.id, 'document.show', { documentId: doc.id }));
    // the chair at fit-width, scrolled to the middle of the page
    await ok(command(ch, m.meeting.id, 'page.set', { documentId: doc.id, page: 1, view: { fit: 'width', x: 0.5, y: 0.5 } }));
    const pageBox = room.locator('.pdf-page[data-page-number="1"][data-rendered="true"]');
    await pageBox.waitFor({ timeout: 30_000 });
    const canvas = room.locator('.pdf-page__canvas').first();
    const box = (await canvas.boundingBox())!;
    expect(box.width).toBeGreaterThan(300);
    // A4 is 1:1.414; the whole of it inside the viewport
    expect(box.height / box.width).toBeGreaterThan(1.38);
    expect(box.height / box.width).toBeLessThan(1.45);
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(ROOM.width);
    expect(box.y + box.height).toBeLessThanOrEqual(ROOM.height);
    // and nothing of the page is scrolled out of its own box
    const scroll = await room.locator('.viewer__scroll').evaluate((el) => ({ sh: el.scrollHeight, ch: el.clientHeight }));
    expect(scroll.sh).toBeLessThanOrEqual(scroll.ch + 1);
    await shot(room, 'in-room-projector-whole-page-1920x1080');
  });

  it('a secret vote closes and no tablet shows "phiếu của bạn" / "your ballot" until the voter asks', async () => {
    await openMeetingPage(d1, server.url, 'delegate1', m.meeting.id);
    await openMeetingPage(d2, server.url, 'delegate2', m.meeting.id);
    const created = await command(ch, m.meeting.id, 'vote.create', {
      question: 'Giới thiệu nhân sự trưởng ban',
      secret: true,
      rule: { kind: 'majority_of_present' },
    });
    expect(created).toMatchObject({ ok: true });
    await until(() => ch.events.some((e) => e.type === 'vote.create'));
    const voteId = (ch.events.find((e) => e.type === 'vote.create')!.payload as { voteId: string }).voteId;
    await ok(command(ch, m.meeting.id, 'vote.open', { voteId }));
    for (const [p, choice] of [
      [d1, 'for'],
      [d2, 'against'],
    ] as const) {
      const ballot = p.getByTestId('ballot');
      await ballot.waitFor();
      await ballot.locator(`.ballot__choice[data-choice="${choice}"]`).click();
      await ballot.getByTestId('ballot-confirm').click();
      await ballot.getByTestId('ballot-recorded').waitFor();
    }
    await ok(command(ch, m.meeting.id, 'vote.close', { voteId }));
    for (const [p, name] of [
      [d1, 'in-room-secret-result-delegate1-1280x800'],
      [d2, 'in-room-secret-result-delegate2-800x1280'],
    ] as const) {
      await p.locator('.ballot--result [data-testid="vote-result"]').waitFor();
      const text = await screenText(p);
      expect(text).not.toContain('phiếu của bạn');
      expect(text).not.toContain('your ballot');
      expect(await p.locator('.vote-result__mine').count()).toBe(0);
      await shot(p, name);
    }
    await room.locator('[data-testid="room-vote"][data-status="closed"]').waitFor();
    expect(await screenText(room)).not.toContain('phiếu của bạn');
    // the explicit check: only then is the voter's own receipt marked
    await d1.locator('.ballot--result').getByTestId('check-receipt').click();
    await d1.locator('.ballot--result .vote-result__mine').waitFor();
    await shot(d1, 'in-room-secret-result-delegate1-checked-1280x800');
    for (const p of [d1, d2]) await p.locator('.ballot--result').getByTestId('result-close').click();
  });

  it('the secretary records the vote of a member present without a device; the result says who recorded it', async () => {
    await openMeetingPage(secretary, server.url, 'secretary', m.meeting.id);
    const created = await command(ch, m.meeting.id, 'vote.create', {
      question: 'Thông qua quy chế làm việc',
      secret: false,
      rule: { kind: 'majority_of_members' },
    });
    expect(created).toMatchObject({ ok: true });
    await secretary.getByTestId('dock-votes').click();
    const draft = secretary.locator('[data-testid="vote-card"][data-status="draft"]');
    await draft.waitFor();
    const voteId = (await draft.getAttribute('data-vote-id'))!;
    await ok(command(ch, m.meeting.id, 'vote.open', { voteId }));
    const card = secretary.locator(`[data-testid="vote-card"][data-vote-id="${voteId}"][data-status="open"]`);
    await card.waitFor();
    await card.getByTestId('record-votes').locator('summary').click();
    await card.getByTestId('record-member').selectOption(idOf('delegate3'));
    await shot(secretary, 'in-room-secretary-records-1280x800');
    await card.getByTestId('record-for').click();
    await card.locator('[data-testid="vote-count"][data-cast="1"]').waitFor();
    await room.locator('[data-testid="room-vote"][data-status="open"][data-cast="1"]').waitFor();
    // the public running counts are not on the projector by default
    expect(await room.locator('.room-vote__running').count()).toBe(0);
    await shot(room, 'in-room-projector-named-vote-open-1920x1080');
    await ok(command(ch, m.meeting.id, 'vote.close', { voteId }));
    const closed = secretary.locator(`[data-testid="vote-card"][data-vote-id="${voteId}"][data-status="closed"]`);
    await closed.waitFor();
    await closed.locator('.vote-result__list summary').click();
    const recorded = m.members.find((x) => x.username === 'secretary')!.fullName;
    expect(await closed.locator('.vote-result__list').innerText()).toContain(`ghi nhận bởi ${recorded}`);
    await shot(secretary, 'in-room-secretary-result-1280x800');
  });

  it('after the meeting ends, the projector keeps no stale item or vote banner', async () => {
    await ok(command(ch, m.meeting.id, 'meeting.end', {}));
    await room.locator('[data-testid="room-screen"][data-meeting-status="ended"]').waitFor();
    expect(await room.getByTestId('room-vote').count()).toBe(0);
    expect(await screenText(room)).not.toContain('nội dung đang thảo luận');
    await shot(room, 'in-room-projector-ended-1920x1080');
    for (const e of errors) expect(e.filter((x) => !x.includes('status of 401'))).toEqual([]);
  });
});
