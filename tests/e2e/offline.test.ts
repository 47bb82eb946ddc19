// The offline reader (issue 17, item 3) in Debian's Chromium against the built client (service
// worker, IndexedDB) and a real server: a delegate loads the meeting, loses the network, reloads,
// reads page 5 and draws two shared strokes ("2 changes waiting"); back online, the other delegate's
// browser receives both, in order, and the counter returns to 0. What the device keeps belongs to one
// account (another user signing in on the same browser finds none of it, logging out deletes it), a
// confidential document is never kept, nothing under /api is in the service worker's caches, and an
// app kept by the service worker against a newer server protocol says "a new version — reload".
// Needs `npm run build` first. The server is on 127.0.0.1, a secure context for service workers.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import os from 'node:os';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, CLIENT_DIST, launchBrowser, loginThroughUi } from '../helpers/browser';
import { api, demoMeeting, httpLogin } from '../helpers/live-client';
import type { DocumentAnnotations } from '../../shared/annotations';

/** What this browser profile holds in IndexedDB for the app: database → documents kept (file keys). */
const offlineDbs = (page: Page) =>
  page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const d of await indexedDB.databases()) {
      if (!d.name?.startsWith('hopso-offline-')) continue;
      out[d.name] = await new Promise<string[]>((resolve, reject) => {
        const req = indexedDB.open(d.name!);
        req.onsuccess = () => {
          const db = req.result;
          const keys = db.transaction('files').objectStore('files').getAllKeys();
          keys.onsuccess = () => {
            db.close();
            resolve(keys.result.map(String));
          };
          keys.onerror = () => {
            db.close();
            reject(keys.error);
          };
        };
        req.onerror = () => reject(req.error);
      });
    }
    return out;
  });

async function drawStroke(page: Page, dy: number) {
  const box = (await page.getByTestId('ink-layer').first().boundingBox())!;
  await page.mouse.move(box.x + 100, box.y + 150 + dy);
  await page.mouse.down();
  for (let i = 1; i <= 15; i++)
    await page.mouse.move(box.x + 100 + i * 15, box.y + 150 + dy + Math.sin(i / 2) * 15, { steps: 2 });
  await page.mouse.up();
}

describe('offline reader (PWA)', () => {
  let server: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let meetingId = '';
  let docId = '';
  let secretDocId = '';
  let thirdDocId = '';
  let chairCookie = '';
  let d1Id = '';
  let d2Id = '';
  let a: Page;
  let ctxA: BrowserContext;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIST, 'sw.js')))
      throw new Error('client/dist/sw.js missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: CLIENT_DIST } });
    expect(new URL(server.url).hostname).toBe('127.0.0.1'); // a secure context: service workers run
    const chair = await httpLogin(server.url, 'chair');
    chairCookie = chair;
    const m = await demoMeeting(server.url, chair);
    meetingId = m.meeting.id;
    docId = m.documents.find((d) => d.pageCount >= 5)!.id;
    secretDocId = m.documents.find((d) => d.id !== docId)!.id;
    thirdDocId = m.documents.find((d) => d.id !== docId && d.id !== secretDocId)!.id;
    expect((await api(server.url, chair, 'PUT', `/api/documents/${secretDocId}/confidentiality`, { level: 'mat' })).status).toBe(
      200,
    );
    d1Id = (await api<{ user: { id: string } }>(server.url, await httpLogin(server.url, 'delegate1'), 'GET', '/api/auth/me')).json
      .user.id;
    d2Id = (await api<{ user: { id: string } }>(server.url, await httpLogin(server.url, 'delegate2'), 'GET', '/api/auth/me')).json
      .user.id;
    browser = await launchBrowser();
    ctxA = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'vi-VN' });
    contexts.push(ctxA);
    a = await ctxA.newPage();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it('keeps the shell in the service worker and the readable documents (never a confidential one) per account', async () => {
    await loginThroughUi(a, server.url, 'delegate1');
    await a.locator('.meeting-card').first().waitFor();
    await a.goto(`${server.url}/meetings/${meetingId}?doc=${docId}`);
    await a.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    // the service worker is active (its precache of the shell is complete by then)
    await a.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // the meeting's documents reach the device, all but the confidential one
    await expect
      .poll(async () => (await offlineDbs(a))[`hopso-offline-${d1Id}`]?.includes(docId) ?? false, { timeout: 30_000 })
      .toBe(true);
    const m = await demoMeeting(server.url, await httpLogin(server.url, 'delegate1'));
    const readable = m.documents
      .filter((d) => d.confidentiality === null)
      .map((d) => d.id)
      .sort();
    await expect
      .poll(async () => [...((await offlineDbs(a))[`hopso-offline-${d1Id}`] ?? [])].sort(), { timeout: 30_000 })
      .toEqual(readable);
    expect((await offlineDbs(a))[`hopso-offline-${d1Id}`]).not.toContain(secretDocId);
    // the service worker's caches hold the app, nothing under /api (documents, marks, receipts, keys)
    const cached = await a.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys())
        for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
      return urls;
    });
    expect(cached.length).toBeGreaterThan(3);
    expect(cached).toContain('/index.html');
    expect(cached.filter((u) => u.startsWith('/api/') || u.startsWith('/socket.io'))).toEqual([]);

    // the storage panel shows what is kept (the figure for the demo meeting goes to the output)
    await a.goto(`${server.url}/`);
    const panel = a.getByTestId('offline-storage');
    await expect.poll(() => panel.getAttribute('data-documents'), { timeout: 15_000 }).toBe(String(readable.length));
    const kept = Number(await panel.getAttribute('data-kept'));
    const docBytes = m.documents.filter((d) => d.confidentiality === null).reduce((s, d) => s + d.size, 0);
    expect(kept).toBeGreaterThan(0);
    console.log(
      `offline storage, demo meeting, delegate1: ${kept} bytes kept for ${readable.length} documents (their stored sizes: ${docBytes} bytes); panel: "${await panel.locator('p').first().textContent()}"`,
    );
    await a.goto(`${server.url}/meetings/${meetingId}?doc=${docId}`);
    await a.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
  });

  it("keeps a confidential document only while the office allows it, as the member's watermarked copy", async () => {
    const keptSize = (id: string) =>
      a.evaluate(
        async ([db, key]) =>
          new Promise<number | null>((resolve, reject) => {
            const req = indexedDB.open(db!);
            req.onsuccess = () => {
              const get = req.result.transaction('files').objectStore('files').get(key!);
              get.onsuccess = () => {
                req.result.close();
                resolve(get.result ? (get.result.bytes as ArrayBuffer).byteLength : null);
              };
              get.onerror = () => reject(get.error);
            };
            req.onerror = () => reject(req.error);
          }),
        [`hopso-offline-${d1Id}`, id] as const,
      );
    expect((await api(server.url, chairCookie, 'PUT', `/api/documents/${secretDocId}/offline`, { allowed: true })).status).toBe(
      200,
    );
    await a.reload();
    await a.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => keptSize(secretDocId), { timeout: 30_000 }).not.toBeNull();
    // not the original: the copy served to this member, with their watermark drawn in
    const original = (await demoMeeting(server.url, chairCookie)).documents.find((d) => d.id === secretDocId)!;
    expect(await keptSize(secretDocId)).not.toBe(original.size);
    // the office withdraws it: the next load of the meeting removes it from the device
    expect((await api(server.url, chairCookie, 'PUT', `/api/documents/${secretDocId}/offline`, { allowed: false })).status).toBe(
      200,
    );
    await a.reload();
    await a.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => keptSize(secretDocId), { timeout: 30_000 }).toBeNull();
  });

  it('offline: reload, read page 5, draw two shared strokes (2 waiting); online: the other browser gets both in order', async () => {
    const ctxB = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'vi-VN' });
    contexts.push(ctxB);
    const b = await ctxB.newPage();
    await loginThroughUi(b, server.url, 'delegate2');
    await b.locator('.meeting-card').first().waitFor();
    await b.goto(`${server.url}/meetings/${meetingId}?doc=${docId}&page=5`);
    await b.locator('.pdf-page[data-page-number="5"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    await b
      .getByText(/Trực tuyến/)
      .first()
      .waitFor({ timeout: 15_000 });

    await ctxA.setOffline(true);
    await a.reload();
    await a.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    await a.getByTestId('page-input').fill('5');
    await a.getByTestId('page-input').press('Enter');
    await a.locator('.pdf-page[data-page-number="5"][data-rendered="true"]').waitFor({ timeout: 30_000 });

    const bar = a.getByTestId('annotation-toolbar');
    await bar.locator('[data-tool="pen"]').click();
    await bar.locator('[data-layer="shared"]').click();
    await drawStroke(a, 0);
    await expect.poll(() => a.getByTestId('outbox-count').getAttribute('data-count')).toBe('1');
    await drawStroke(a, 120);
    await expect.poll(() => a.getByTestId('outbox-count').getAttribute('data-count')).toBe('2');
    await expect.poll(() => a.getByTestId('outbox-count').textContent()).toContain('2 thay đổi đang chờ');
    // drawn at once, in the order they were made
    const mine = await a
      .locator('.ink-layer [data-layer="shared"][data-stroke-id]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-stroke-id')!));
    expect(mine).toHaveLength(2);
    // the queue is durable: a reload while still offline keeps both, still waiting
    await a.reload();
    await a.locator('.pdf-page[data-rendered="true"]').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => a.getByTestId('outbox-count').getAttribute('data-count'), { timeout: 15_000 }).toBe('2');
    await expect(b.locator('.ink-layer [data-layer="shared"][data-stroke-id]').count()).resolves.toBe(0);

    await ctxA.setOffline(false);
    await expect.poll(() => a.getByTestId('outbox-count').getAttribute('data-count'), { timeout: 30_000 }).toBe('0');
    expect(await a.getByTestId('outbox-count').isHidden()).toBe(true);
    // the other browser received both strokes
    await expect.poll(() => b.locator('.ink-layer [data-layer="shared"][data-stroke-id]').count(), { timeout: 15_000 }).toBe(2);
    const theirs = await b
      .locator('.ink-layer [data-layer="shared"][data-stroke-id]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-stroke-id')!));
    expect(new Set(theirs)).toEqual(new Set(mine));
    // ... in the order they were drawn: the log's seqs rise in drawing order
    const marks = (
      await api<DocumentAnnotations>(
        server.url,
        await httpLogin(server.url, 'delegate2'),
        'GET',
        `/api/documents/${docId}/annotations`,
      )
    ).json;
    const seqOf = (id: string) => marks.strokes.find((s) => s.strokeId === id)!.seq;
    expect(seqOf(mine[0]!)).toBeLessThan(seqOf(mine[1]!));
    expect(marks.strokes.filter((s) => mine.includes(s.strokeId))).toHaveLength(2); // each once
  });

  it('a queued mark the server refuses once back (its document deleted meanwhile) is shown until dismissed, never dropped silently', async () => {
    await a.goto(`${server.url}/meetings/${meetingId}?doc=${thirdDocId}`);
    await a.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    await ctxA.setOffline(true);
    const bar = a.getByTestId('annotation-toolbar');
    await bar.locator('[data-tool="pen"]').click();
    await bar.locator('[data-layer="shared"]').click();
    await drawStroke(a, 0);
    await expect.poll(() => a.getByTestId('outbox-count').getAttribute('data-count')).toBe('1');
    expect((await api(server.url, chairCookie, 'DELETE', `/api/meetings/${meetingId}/documents/${thirdDocId}`)).status).toBe(204);
    await ctxA.setOffline(false);
    const refused = a.getByTestId('offline-conflicts');
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.locator('li[data-code="NOT_FOUND"]').count()).toBe(1);
    expect(await refused.textContent()).toContain('Nét vẽ trang 1');
    await expect.poll(() => a.getByTestId('outbox-count').getAttribute('data-count')).toBe('0');
    // kept across a reload until the user has seen it
    await a.reload();
    await refused.waitFor({ timeout: 15_000 });
    await refused.locator('button').first().click();
    await expect.poll(() => refused.count()).toBe(0);
  });

  it('a mark queued offline on a document that got a new version meanwhile is saved on the old version, and said so', async () => {
    await a.goto(`${server.url}/meetings/${meetingId}?doc=${docId}`);
    await a.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    const d1 = await httpLogin(server.url, 'delegate1');
    const strokesOnOld = async () =>
      (await api<DocumentAnnotations>(server.url, d1, 'GET', `/api/documents/${docId}/annotations`)).json.strokes.length;
    const before = await strokesOnOld();
    await ctxA.setOffline(true);
    const bar = a.getByTestId('annotation-toolbar');
    await bar.locator('[data-tool="pen"]').click();
    await bar.locator('[data-layer="shared"]').click();
    await drawStroke(a, 40);
    await expect.poll(() => a.getByTestId('outbox-count').getAttribute('data-count')).toBe('1');
    // meanwhile the office circulates version 2 of the document (uploaded, then published)
    const bytes = await (
      await fetch(`${server.url}/api/documents/${docId}/file?original=1`, { headers: { cookie: chairCookie } })
    ).arrayBuffer();
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'ban-2.pdf');
    const up = await fetch(`${server.url}/api/documents/${docId}/versions`, {
      method: 'POST',
      body: form,
      headers: { cookie: chairCookie },
    });
    expect(up.status).toBe(201);
    const v2 = (await up.json()) as { id: string };
    expect((await api(server.url, chairCookie, 'POST', `/api/documents/${v2.id}/publish`)).status).toBe(200);
    await ctxA.setOffline(false);
    const notices = a.getByTestId('offline-conflicts');
    await notices.waitFor({ timeout: 30_000 });
    expect(await notices.locator('li[data-code="SUPERSEDED"]').count()).toBe(1);
    expect(await notices.textContent()).toContain('Đã lưu trên bản cũ');
    // saved, not dropped: on the old version, where its author drew it
    await expect.poll(strokesOnOld, { timeout: 15_000 }).toBe(before + 1);
    await expect.poll(() => a.getByTestId('outbox-count').getAttribute('data-count')).toBe('0');
    await notices.locator('button').first().click();
    await expect.poll(() => notices.count()).toBe(0);
  });

  it('another user signing in on the same browser finds nothing of the last one; logging out deletes it', async () => {
    // the first user's session just ends (no logout): the next person signs in on the same profile
    await ctxA.clearCookies();
    await loginThroughUi(a, server.url, 'delegate2');
    await a.locator('.meeting-card').first().waitFor();
    const dbs = await offlineDbs(a);
    expect(Object.keys(dbs)).not.toContain(`hopso-offline-${d1Id}`);
    expect(Object.values(dbs).flat()).toEqual([]);
    const panel = a.getByTestId('offline-storage');
    await expect.poll(() => panel.getAttribute('data-documents')).toBe('0');
    // and offline, a reload opens delegate2's (empty) store, not delegate1's documents
    await a.goto(`${server.url}/meetings/${meetingId}?doc=${docId}`);
    await a.locator('.pdf-page[data-page-number="1"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    await expect
      .poll(async () => (await offlineDbs(a))[`hopso-offline-${d2Id}`]?.length ?? 0, { timeout: 30_000 })
      .toBeGreaterThan(0);
    await a.goto(`${server.url}/`);
    await a.getByTestId('logout').click();
    await a.locator('input[name="username"]').waitFor();
    await expect.poll(async () => Object.keys(await offlineDbs(a))).toEqual([]);
  });

  it('is installable: Chromium finds nothing missing (manifest, icons, service worker)', async () => {
    // a real profile (a persistent context): in a throwaway one Chromium only answers 'in-incognito'
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-pwa-'));
    const ctx = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS.filter((x) => !x.startsWith('--user-data-dir')),
    });
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      const cdp = await ctx.newCDPSession(page);
      // the check can fail: a page with no manifest is not installable
      await page.goto(`${server.url}/api/version`);
      expect((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors.length).toBeGreaterThan(0);
      await page.goto(`${server.url}/`);
      await page.locator('input[name="username"]').waitFor();
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      expect(installabilityErrors).toEqual([]);
      const manifest = (await (await fetch(`${server.url}/manifest.webmanifest`)).json()) as {
        name: string;
        icons: { sizes: string }[];
      };
      expect(manifest.name).toBe('Họp Số');
      expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    } finally {
      await ctx.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an app kept by the service worker against a newer server protocol asks for a reload', async () => {
    const page = await ctxA.newPage();
    await page.goto(`${server.url}/`);
    await page.locator('input[name="username"]').waitFor();
    expect(await page.getByTestId('update-banner').count()).toBe(0);
    server.app.config.protocolVersion = 999;
    try {
      await page.reload();
      const banner = page.getByTestId('update-banner');
      await banner.waitFor({ timeout: 15_000 });
      expect(await banner.getAttribute('data-reason')).toBe('protocol');
      expect(await banner.textContent()).toContain('Đã có phiên bản mới');
      // served by the service worker, not the network
      expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    } finally {
      server.app.config.protocolVersion = undefined;
    }
    await page.close();
  });
});
