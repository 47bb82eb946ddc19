// The viewer and the background web copy (services/web-copy-jobs.ts, issue 22 item 7): while a big
// document's copy is pending the viewer reads the original, pinned with ?variant=original; when the
// copy becomes ready during that reading, its later Range requests still ask for the original (the
// two files' bytes differ), and the next opening reads the copy. The room screen pins it the same
// way, even when its live state comes before the meeting's detail. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { collectErrors, launchBrowser, loginThroughUi } from '../helpers/browser';
import { multipartFile, session } from '../helpers/http';
import { api, command, connect, httpLogin, join } from '../helpers/live-client';
import { scannedLikePdf } from '../helpers/scanned-pdf';
import { WebCopyJobs } from '../../server/services/web-copy-jobs';
import { rooms } from '../../server/live/visibility';

const DIST = path.resolve('client/dist');
const ok = async (p: Promise<unknown>) => expect(await p).toMatchObject({ ok: true });

describe('viewer: a big document whose web copy is still being made', () => {
  let server: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let meetingId: string;
  let docId: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: DIST } });
    server.app.webCopies.stop(); // the copy stays pending until the test makes it
    const admin = await session(server.app, 'admin');
    meetingId = (await admin.get('/api/meetings')).json()[0].id;
    const mp = multipartFile(await scannedLikePdf(60), 'pending.pdf');
    const up = await admin.request({ method: 'POST', url: `/api/meetings/${meetingId}/documents`, ...mp });
    expect(up.statusCode).toBe(201);
    expect(up.json().webCopy).toBe('pending');
    docId = up.json().id;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('the room screen pins the original too, even when the room state arrives before the meeting', async () => {
    // the chair shows the pending document on the room screen
    const chairCookie = await httpLogin(server.url, 'chair');
    const chair = await session(server.app, 'chair', 'demo1234');
    expect((await chair.post(`/api/documents/${docId}/publish`, {})).statusCode).toBeLessThan(300);
    const ch = await connect(server.url, { cookie: chairCookie });
    const page = await context.newPage();
    try {
      await join(ch, meetingId);
      await ok(command(ch, meetingId, 'meeting.start', {}));
      await ok(command(ch, meetingId, 'document.show', { documentId: docId }));
      const link = await api<{ url: string }>(server.url, chairCookie, 'POST', `/api/meetings/${meetingId}/room-token`);
      const errors = collectErrors(page);
      const fileUrls: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes(`/api/room/documents/${docId}/file`)) fileUrls.push(new URL(r.url()).search);
      });
      // the meeting's detail (which says the copy is pending) comes a moment after the live state
      await page.route('**/api/room/meeting', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await route.continue();
      });
      await page.goto(`${server.url}${link.json.url}`);
      await page.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
      expect(fileUrls.length).toBeGreaterThan(0);
      expect(new Set(fileUrls)).toEqual(new Set(['?variant=original']));
      // (the room screen's session check answers 401 on a screen nobody logged in on, as in-the-room.test.ts)
      expect(errors.filter((x) => !x.includes('status of 401'))).toEqual([]);
    } finally {
      await page.close();
      ch.close();
    }
  }, 120_000);

  it('reads the original throughout, even once the copy is ready; the next opening reads the copy', async () => {
    const page = await context.newPage();
    await loginThroughUi(page, server.url, 'chair');
    await page.locator('.meeting-card').first().waitFor();
    const errors = collectErrors(page);
    const fileUrls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes(`/api/documents/${docId}/file`)) fileUrls.push(new URL(r.url()).search);
    });
    await page.goto(`${server.url}/meetings/${meetingId}?doc=${docId}`);
    await page.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    expect(fileUrls.length).toBeGreaterThan(0);
    expect(new Set(fileUrls)).toEqual(new Set(['?variant=original']));

    // the copy is made now (as the job would), while the page is open: the meeting is re-read
    const jobs = new WebCopyJobs(server.app.database, server.app.store, server.app.pdfWorkers, { timeoutMs: 120_000 });
    // as the documents routes do for the app's own runner: open pages re-read the meeting (now 'ready')
    jobs.onSettled((mid) => server.app.io.to(rooms.meeting(mid)).emit('meeting.changed', { meetingId: mid }));
    const reread = page.waitForResponse((r) => r.url().endsWith(`/api/meetings/${meetingId}`) && r.status() === 200);
    jobs.kick();
    await jobs.idle();
    expect(jobs.stats).toEqual({ made: 1, failed: 0 });
    const detail = (await (await reread).json()) as { documents: Array<{ id: string; webCopy: string | null }> };
    expect(detail.documents.find((d) => d.id === docId)?.webCopy).toBe('ready');
    const before = fileUrls.length;
    // further pages of the same reading: still the original's bytes
    const input = page.getByTestId('page-input');
    await input.fill('50');
    await input.press('Enter');
    await page.locator('.pdf-page[data-page-number="50"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    expect(fileUrls.length).toBeGreaterThan(before);
    expect(new Set(fileUrls)).toEqual(new Set(['?variant=original']));

    // the next opening reads the web copy
    // (counted from the new document on: the old one may still ask for neighbouring pages until it unloads)
    await page.reload({ waitUntil: 'commit' }); // back on page 50 (the address keeps the page)
    fileUrls.length = 0;
    await page.locator('.pdf-page[data-rendered="true"]').first().waitFor({ timeout: 30_000 });
    expect(fileUrls.length).toBeGreaterThan(0);
    expect(new Set(fileUrls)).toEqual(new Set(['']));
    expect(errors).toEqual([]);
  }, 120_000);
});
