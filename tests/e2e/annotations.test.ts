// Live annotations e2e: the chair draws with the mouse on a shared layer in one browser context;
// the participant's page shows the stroke (live, then committed). Screenshots of both pages and of
// the toolbar go to test-results/annotations/. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { collectErrors, launchBrowser, loginThroughUi } from '../helpers/browser';
import { api, command, connect, demoMeeting, httpLogin, join } from '../helpers/live-client';
import type { DocumentAnnotations } from '../../shared/annotations';

const DIST = path.resolve('client/dist');
const SHOTS = path.resolve('test-results/annotations');

describe('annotations: chair draws, participant sees', () => {
  let server: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let chair: Page;
  let delegate: Page;
  let errors: string[] = [];
  let href = '';
  let docId = '';

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await buildTestApp({ listen: true, config: { clientDistDir: DIST } });
    const m = await demoMeeting(server.url, await httpLogin(server.url, 'chair'));
    docId = m.documents[0]!.id;
    href = `/meetings/${m.meeting.id}?doc=${docId}`;
    browser = await launchBrowser();
    const open = async (user: string) => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
      contexts.push(ctx);
      const page = await ctx.newPage();
      errors = errors.concat(collectErrors(page));
      await loginThroughUi(page, server.url, user);
      await page.locator('.meeting-card').first().waitFor();
      await page.goto(`${server.url}${href}`);
      await page.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
      return page;
    };
    chair = await open('chair');
    delegate = await open('delegate1');
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it('the chair picks the pen on the shared layer and draws with the mouse; the participant sees the stroke', async () => {
    const bar = chair.getByTestId('annotation-toolbar');
    await bar.locator('[data-tool="pen"]').click();
    await bar.locator('[data-layer="shared"]').click();
    await bar.locator('[data-color="#1d4ed8"]').click();
    await bar.screenshot({ path: path.join(SHOTS, 'toolbar.png') });

    const layer = chair.getByTestId('ink-layer');
    const box = (await layer.boundingBox())!;
    // a wave across the upper part of page 1
    await chair.mouse.move(box.x + 120, box.y + 200);
    await chair.mouse.down();
    for (let i = 1; i <= 30; i++) await chair.mouse.move(box.x + 120 + i * 12, box.y + 200 + Math.sin(i / 3) * 30, { steps: 2 });
    // the pen is still down: the participant already sees the stroke being drawn (live ink relay)
    await delegate.locator('.ink-layer [data-preview-id] path').first().waitFor({ timeout: 10_000 });
    expect((await delegate.locator('.ink-layer [data-preview-id] path').first().getAttribute('d'))?.length ?? 0).toBeGreaterThan(
      50,
    );
    await chair.mouse.up();

    // committed on the chair's own page and on the participant's
    await chair.locator('.ink-layer [data-layer="shared"] path').first().waitFor();
    await delegate.locator('.ink-layer [data-layer="shared"] path').first().waitFor({ timeout: 10_000 });
    const d = await delegate.locator('.ink-layer [data-layer="shared"] path').first().getAttribute('d');
    expect(d?.length ?? 0).toBeGreaterThan(50);

    // the participant writes a private note and a red stroke; the chair sees neither
    const dbar = delegate.getByTestId('annotation-toolbar');
    await dbar.locator('[data-tool="pen"]').click();
    await dbar.locator('[data-layer="private"]').click();
    const dbox = (await delegate.getByTestId('ink-layer').boundingBox())!;
    await delegate.mouse.move(dbox.x + 150, dbox.y + 420);
    await delegate.mouse.down();
    for (let i = 1; i <= 20; i++) await delegate.mouse.move(dbox.x + 150 + i * 10, dbox.y + 420 + i * 4, { steps: 2 });
    await delegate.mouse.up();
    await delegate.locator('.ink-layer [data-layer="private"] path').first().waitFor();

    // barrier, not a sleep: a later shared stroke from another socket of the chair's; once the
    // chair's page shows it, everything the server sent that page before it has been drawn
    const chairCookie = await httpLogin(server.url, 'chair');
    const probe = await connect(server.url, { cookie: chairCookie });
    const meetingId = (await demoMeeting(server.url, chairCookie)).meeting.id;
    expect(await join(probe, meetingId)).toMatchObject({ ok: true });
    const later = {
      strokeId: 'barrierstroke01abcdefghijk',
      documentId: docId,
      page: 1,
      layer: 'shared' as const,
      tool: 'pen' as const,
      color: '#000000',
      width: 2,
      points: [
        [20, 20, 0.5],
        [40, 30, 0.5],
      ] as [number, number, number][],
    };
    expect(await command(probe, meetingId, 'stroke.add', later)).toMatchObject({ ok: true });
    await chair.locator('.ink-layer [data-stroke-id="barrierstroke01abcdefghijk"]').waitFor();
    expect(await chair.locator('.ink-layer [data-layer="private"]').count()).toBe(0);
    expect(await command(probe, meetingId, 'stroke.erase', { strokeId: later.strokeId })).toMatchObject({ ok: true });
    await chair.locator('.ink-layer [data-stroke-id="barrierstroke01abcdefghijk"]').waitFor({ state: 'detached' });
    probe.close();
    await chair.screenshot({ path: path.join(SHOTS, 'chair.png') });
    await delegate.screenshot({ path: path.join(SHOTS, 'delegate.png') });

    // the server agrees: the chair's set has the shared stroke only
    const set = await api<DocumentAnnotations>(
      server.url,
      await httpLogin(server.url, 'chair'),
      'GET',
      `/api/documents/${docId}/annotations`,
    );
    expect(set.json.strokes.map((s) => s.layer)).toEqual(['shared']);

    // undo with the keyboard removes the participant's own stroke
    await delegate.keyboard.press('Control+z');
    await expect.poll(() => delegate.locator('.ink-layer [data-layer="private"]').count()).toBe(0);
    await delegate.keyboard.press('Control+Shift+z');
    await expect.poll(() => delegate.locator('.ink-layer [data-layer="private"]').count()).toBe(1);

    // after a reload the marks are still there
    await delegate.reload();
    await delegate.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => delegate.locator('.ink-layer [data-stroke-id]').count()).toBe(2);
    expect(errors.filter((e) => !e.includes('favicon'))).toEqual([]);
  });
});
