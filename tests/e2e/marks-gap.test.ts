// A stroke event lost on the way must not leave a participant's marks behind the server's. The
// participant's WebSocket runs through a Playwright route that drops exactly one frame (a stroke.add
// in the middle of three); the next event shows the meeting store a gap, it rejoins while staying
// online and catches up, and the marks must end equal to the server's set. Needs `npm run build`.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { collectErrors, launchBrowser, loginThroughUi } from '../helpers/browser';
import { command, connect, demoMeeting, httpLogin, join, type LiveSocket } from '../helpers/live-client';
import type { DocumentAnnotations, InkPoint, StrokeAdd } from '../../shared/annotations';

const DIST = path.resolve('client/dist');

describe('marks after a lost stroke event', () => {
  let server: TestApp;
  let browser: Browser;
  let page: Page;
  let chair: LiveSocket;
  let mid = '';
  let docId = '';
  let errors: string[] = [];
  let upgraded = false;
  const dropped: string[] = [];
  let dropId = 'none-yet';

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: DIST } });
    const chairCookie = await httpLogin(server.url, 'chair');
    const m = await demoMeeting(server.url, chairCookie);
    mid = m.meeting.id;
    docId = m.documents[0]!.id;
    chair = await connect(server.url, { cookie: chairCookie });
    expect(await join(chair, mid)).toMatchObject({ ok: true });
    expect(await command(chair, mid, 'meeting.start', {})).toMatchObject({ ok: true });

    browser = await launchBrowser();
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    page = await ctx.newPage();
    // the participant's socket: every frame passes, except the one event carrying dropId
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage((msg) => {
        // from here on everything flows over this WebSocket: the client is WebSocket-only ('40' is
        // socket.io's connect packet); '5' is engine.io's upgrade packet, were polling ever first again
        if (typeof msg === 'string' && (msg === '5' || msg.startsWith('40'))) upgraded = true;
        upstream.send(msg);
      });
      upstream.onMessage((msg) => {
        if (typeof msg === 'string' && msg.startsWith('42["event"') && msg.includes(dropId)) {
          dropped.push(dropId);
          return;
        }
        ws.send(msg);
      });
    });
    await loginThroughUi(page, server.url, 'delegate1');
    await page.locator('.meeting-card').first().waitFor();
    errors = collectErrors(page); // from here on (the login page's own 401 for "who am I" is expected)
    await page.goto(`${server.url}/meetings/${mid}?doc=${docId}`);
    await page.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="connection"][data-connection="online"]').waitFor();
  });

  afterAll(async () => {
    chair?.close();
    await browser?.close();
    await server?.close();
  });

  let k = 0;
  const line = (y: number): InkPoint[] => Array.from({ length: 12 }, (_, i) => [80 + i * 12, y + i * 3, 0.5]);
  const stroke = (y: number): StrokeAdd => ({
    strokeId: `gapstroke${++k}abcdefghijklmnop`,
    documentId: docId,
    page: 1,
    layer: 'shared',
    tool: 'pen',
    color: '#1d4ed8',
    width: 2,
    points: line(y),
  });
  const shown = () =>
    page.locator('.ink-layer [data-stroke-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-stroke-id')!).sort());

  it("the participant's marks end equal to the server's", async () => {
    await expect.poll(() => upgraded, { timeout: 15_000 }).toBe(true);
    const [a, b, c, d] = [stroke(100), stroke(160), stroke(220), stroke(280)];
    dropId = b.strokeId!;
    for (const s of [a, b, c]) expect(await command(chair, mid, 'stroke.add', s)).toMatchObject({ ok: true });
    // the next event, not dropped: once it is on the page, whatever the store did with the gap is done
    expect(await command(chair, mid, 'stroke.add', d)).toMatchObject({ ok: true });
    await page.locator(`.ink-layer [data-stroke-id="${d.strokeId}"]`).waitFor({ timeout: 15_000 });

    expect(dropped).toEqual([b.strokeId]); // the frame really was lost on the way
    // the server's set for this participant, read with the page's own session
    const set = await page.evaluate(
      async (url) => (await fetch(url)).json() as Promise<DocumentAnnotations>,
      `/api/documents/${docId}/annotations`,
    );
    const onServer = set.strokes
      .filter((s) => s.page === 1)
      .map((s) => s.strokeId)
      .sort();
    expect(onServer).toEqual([a, b, c, d].map((s) => s.strokeId).sort());
    expect(await shown()).toEqual(onServer);
    expect(errors).toEqual([]);
  });
});
