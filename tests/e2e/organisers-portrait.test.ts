// Issue 21 end to end: the chair (an organiser, not an admin) creates a meeting, adds a member and an
// item, uploads a PDF, renames the item (the sidebar follows while the Prepare panel is still open),
// removes the document and undoes it; then a delegate on a portrait tablet (800×1280, touch) follows
// the chair's document and turns pages with taps, nothing covering the page controls.
// Needs `npm run build` first. Screenshots go to SHOTS_DIR (tests/helpers/browser.ts).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { CLIENT_DIST, collectErrors, launchBrowser, loginThroughUi, pageShown, shot } from '../helpers/browser';
import { command, connect, httpLogin, join, type LiveSocket } from '../helpers/live-client';

const SIZES_PDF = '/work/shared/fixtures/pdfs/sizes.pdf';
const TITLE = 'Họp tổ công tác chuyển đổi số';
const ITEM = 'Báo cáo tiến độ';
const RENAMED = 'Báo cáo tiến độ quý IV và kiến nghị';
const pageInput = (p: Page) => p.getByTestId('page-input').inputValue();

describe('organisers: the chair prepares, a delegate follows on a portrait tablet', () => {
  let server: TestApp;
  let browser: Browser;
  let chairCtx: BrowserContext, tabletCtx: BrowserContext;
  let chair: Page, tablet: Page;
  const errors: string[][] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: CLIENT_DIST } });
    browser = await launchBrowser();
    chairCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    tabletCtx = await browser.newContext({ viewport: { width: 800, height: 1280 }, hasTouch: true, locale: 'vi-VN' });
    chair = await chairCtx.newPage();
    tablet = await tabletCtx.newPage();
    errors.push(collectErrors(chair), collectErrors(tablet));
  });

  afterAll(async () => {
    await chairCtx?.close();
    await tabletCtx?.close();
    await browser?.close();
    await server?.close();
  });

  it('the chair (an organiser) creates a meeting and chairs it', async () => {
    await loginThroughUi(chair, server.url, 'chair');
    await chair.getByTestId('new-meeting').click();
    const form = chair.getByTestId('new-meeting-form');
    await form.locator('input[name="title"]').fill(TITLE);
    await form.locator('select[name="creatorRole"]').selectOption('chair');
    await chair.getByTestId('create-meeting').click();
    await chair.waitForURL(/\/meetings\/[A-Za-z0-9_-]+$/);
    await expect.poll(() => chair.locator('.meeting-heading__title').textContent()).toBe(TITLE);
    await shot(chair, 'organisers-chair-created-1280x800');
  });

  it('adds delegate1, an item and its PDF from the Prepare panel', async () => {
    await chair.getByTestId('open-prepare').click();
    const panel = chair.getByTestId('prepare-panel');
    const members = panel.getByTestId('prepare-members');
    await members.waitFor();
    expect(await panel.getByTestId('new-account-form').count()).toBe(0); // accounts stay with the administrators
    const memberForm = panel.getByTestId('add-member-form');
    await expect.poll(() => memberForm.locator('select[name="username"] option[value="delegate1"]').count()).toBe(1);
    await memberForm.locator('select[name="username"]').selectOption('delegate1');
    await memberForm.locator('select[name="role"]').selectOption('participant');
    await panel.getByTestId('add-member').click();
    await panel.locator('[data-prep-member="delegate1"]').waitFor();
    // the chair's own row has no remove button: an officer cannot lock themself out
    expect(await panel.locator('[data-prep-member="chair"] button').count()).toBe(0);

    await panel.locator('input[name="itemTitle"]').fill(ITEM);
    await panel.locator('input[name="itemDuration"]').fill('15');
    await panel.getByTestId('add-item').click();
    const item = panel.locator('.prep-item', { hasText: ITEM });
    await item.waitFor();
    await item.getByTestId('upload-input').setInputFiles(SIZES_PDF);
    await item.locator('[data-prep-document]').waitFor();
    expect(await item.getByTestId('doc-pages').textContent()).toBe('3 trang');
    expect(await item.getByTestId('doc-warning').count()).toBe(0);
    // an upload is a draft until sent to the members (issue 15): the delegate follows it below
    await item.getByTestId('publish-doc').click();
    await expect.poll(() => item.getByTestId('doc-status').first().textContent()).toContain('Đã gửi');
  });

  it('renames the item; the agenda beside it follows while the panel is still open', async () => {
    const panel = chair.getByTestId('prepare-panel');
    const item = panel.locator('.prep-item').first();
    await item.getByTestId('edit-item').click();
    const edit = item.getByTestId('edit-item-form');
    await edit.locator('input[name="editTitle"]').fill(RENAMED);
    await edit.locator('select[name="editPresenter"]').selectOption({ label: 'Lê Văn Cường' });
    await edit.locator('input[name="editDuration"]').fill('30');
    await edit.getByTestId('save-item').click();
    await expect.poll(() => item.locator('.prep-item__title').textContent()).toContain(RENAMED);
    expect(await item.locator('.prep-item__title').textContent()).toContain('Lê Văn Cường');
    // the sidebar learnt of it from the server's nudge, not from closing the panel
    expect(await panel.isVisible()).toBe(true);
    await expect.poll(() => chair.locator('#agenda-panel .agenda-item').first().textContent()).toContain(RENAMED);
    await shot(chair, 'organisers-prepare-renamed-1280x800');
  });

  it('removing the document offers an undo that puts it back', async () => {
    const item = chair.getByTestId('prepare-panel').locator('.prep-item').first();
    await item.getByRole('button', { name: 'Gỡ tài liệu: sizes.pdf' }).click();
    const undo = item.getByTestId('undo-detach');
    await undo.waitFor();
    await expect.poll(() => item.locator('[data-prep-document]').count()).toBe(0);
    await undo.getByRole('button', { name: 'Hoàn tác' }).click();
    await item.locator('[data-prep-document]').waitFor();
  });

  it('a PDF that renders blank is accepted with a clear warning', async () => {
    const panel = chair.getByTestId('prepare-panel');
    await panel.locator('input[name="itemTitle"]').fill('Phụ lục');
    await panel.getByTestId('add-item').click();
    const item = panel.locator('.prep-item', { hasText: 'Phụ lục' });
    await item.waitFor();
    await item.getByTestId('upload-input').setInputFiles('/work/shared/fixtures/pdfs/empty.pdf');
    const warning = item.getByTestId('doc-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('có thể bị hỏng');
    await shot(chair, 'organisers-prepare-warning-1280x800');
    await chair.keyboard.press('Escape'); // closes the Prepare panel
    await panel.waitFor({ state: 'detached' });
  });

  it('the chair starts the meeting and shows the document', async () => {
    await chair.getByTestId('meeting-start').click();
    await chair.locator('[data-testid="live-bar"][data-meeting-status="running"]').waitFor();
    await chair.locator('#agenda-panel [data-document-id]').first().click();
    await pageShown(chair, 1);
  });

  it('a delegate on a portrait tablet follows, the agenda folded and the live bar on one row', async () => {
    await loginThroughUi(tablet, server.url, 'delegate1');
    await tablet.locator('.meeting-card', { hasText: TITLE }).tap();
    await tablet.locator('[data-testid="connection"][data-connection="online"]').waitFor();
    await pageShown(tablet, 1);
    expect(await tablet.locator('#agenda-panel').isHidden()).toBe(true);
    const bar = await tablet.getByTestId('live-bar').boundingBox();
    expect(bar!.height).toBeLessThan(80);
    // the page controls are what a tap there reaches: nothing floats over them
    for (const id of ['prev-page', 'next-page', 'page-input']) {
      const covered = await tablet.getByTestId(id).evaluate((el) => {
        const r = el.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return !(top && (top === el || el.contains(top)));
      });
      expect(covered, `${id} covered`).toBe(false);
    }
    await shot(tablet, 'organisers-delegate-following-800x1280');
  });

  it('the delegate turns pages with taps, and taps back to the chair', async () => {
    await tablet.getByTestId('next-page').tap();
    await pageShown(tablet, 2);
    expect(await pageInput(tablet)).toBe('2');
    await tablet.getByTestId('next-page').tap();
    await pageShown(tablet, 3);
    expect(await pageInput(tablet)).toBe('3');
    await tablet.getByTestId('prev-page').tap();
    await pageShown(tablet, 2);
    await tablet.getByTestId('follow-badge').waitFor();
    await shot(tablet, 'organisers-delegate-browsing-800x1280');
    await tablet.getByTestId('return-to-chair').tap();
    await expect.poll(() => pageInput(tablet)).toBe('1');
    // following again: the chair's page turn moves the tablet
    await chair.getByTestId('next-page').click();
    await expect.poll(() => pageInput(tablet)).toBe('2');
    await pageShown(tablet, 2);
  });

  it('the agenda drawer opens by tap and Escape closes it', async () => {
    await tablet.getByTestId('toggle-agenda').tap();
    await tablet.locator('#agenda-panel').waitFor({ state: 'visible' });
    expect(await tablet.locator('#agenda-panel .agenda-item').first().textContent()).toContain(RENAMED);
    expect(await tablet.getByTestId('voting-dock').count()).toBe(0); // the floating buttons step aside
    await shot(tablet, 'organisers-delegate-agenda-800x1280');
    await tablet.keyboard.press('Escape');
    await tablet.locator('#agenda-panel').waitFor({ state: 'hidden' });
    await tablet.getByTestId('voting-dock').waitFor();
  });

  it('the attendance panel explains that quorum counts checked-in members; Escape closes it', async () => {
    await tablet.getByTestId('toggle-attendance').tap();
    await tablet.getByTestId('attendance-panel').waitFor();
    try {
      const hint = tablet.getByTestId('quorum-hint');
      await hint.waitFor({ timeout: 5000 });
      expect(await hint.textContent()).toContain('đã điểm danh');
    } finally {
      await tablet.keyboard.press('Escape');
      await tablet.getByTestId('attendance-panel').waitFor({ state: 'detached' });
    }
  });

  describe("with the chair's socket", () => {
    let sock: LiveSocket;
    let meetingId = '';
    beforeAll(async () => {
      meetingId = new URL(chair.url()).pathname.split('/')[2]!;
      sock = await connect(server.url, { cookie: await httpLogin(server.url, 'chair') });
      await join(sock, meetingId);
    });
    afterAll(() => {
      sock?.close();
    });

    it('a secret vote closed with no ballots shows no empty "ballots by receipt" list', async () => {
      const detail = (await (
        await fetch(`${server.url}/api/meetings/${meetingId}`, { headers: { cookie: await httpLogin(server.url, 'chair') } })
      ).json()) as { members: { userId: string }[] };
      for (const m of detail.members)
        expect((await command(sock, meetingId, 'attendance.mark', { userId: m.userId, status: 'present' })).ok).toBe(true);
      expect(
        (
          await command(sock, meetingId, 'vote.create', {
            question: 'Thông qua báo cáo?',
            secret: true,
            rule: { kind: 'majority_of_present' },
          })
        ).ok,
      ).toBe(true);
      const voteId = sock.events.find((e) => e.type === 'vote.create')!.payload as { voteId: string };
      expect((await command(sock, meetingId, 'vote.open', { voteId: voteId.voteId })).ok).toBe(true);
      await tablet.getByTestId('ballot').waitFor();
      expect((await command(sock, meetingId, 'vote.close', { voteId: voteId.voteId })).ok).toBe(true);
      const result = tablet.getByTestId('vote-result');
      await result.waitFor();
      await shot(tablet, 'organisers-delegate-empty-vote-800x1280');
      const lists = await result.locator('.vote-result__list').count();
      await tablet.keyboard.press('Escape'); // closes the result too
      await result.waitFor({ state: 'detached' });
      expect(lists).toBe(0);
    });

    it('after the end nothing says an item is "being discussed"', async () => {
      expect((await command(sock, meetingId, 'meeting.end', {})).ok).toBe(true);
      await tablet.locator('[data-testid="live-bar"][data-meeting-status="ended"]').waitFor();
      expect(await tablet.getByTestId('live-bar').textContent()).not.toContain(RENAMED);
      expect(await tablet.locator('body').textContent()).not.toContain('Đang thảo luận');
      await shot(tablet, 'organisers-delegate-ended-800x1280');
    });
  });

  it('ran without page errors', () => {
    // the login screen's session probe answers 401 before the login
    expect(errors.flat().filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
  });
});
