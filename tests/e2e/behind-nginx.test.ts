// The real client in Chromium through the shipped nginx site (deploy/nginx.conf) in front of two
// server processes sharing one DATA_DIR and a private Redis: the chair's pages, REST and WebSocket
// all go through nginx; delegates opened directly on each process follow the chair's page turns
// (at least one of them is on the other process). The client speaks WebSocket only, so nginx
// needs no sticky sessions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, launchBrowser, openDemoMeeting, pageShown } from '../helpers/browser';
import { freePort, startServer, type ServerProcess } from '../helpers/server-process';
import { startRedis, type RedisServer } from '../helpers/redis';
import { startNginx, type Nginx } from '../helpers/nginx';

const DIST = path.resolve('client/dist');
let dataDir = '';
let redis: RedisServer;
let nginx: Nginx;
const servers: ServerProcess[] = [];
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(path.join(DIST, 'index.html')))
    throw new Error('client/dist missing: run `npm run build` before the e2e tests');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-e2e-nginx-'));
  redis = await startRedis();
  const env = { REDIS_URL: redis.url, CLIENT_DIST: DIST, TRUST_PROXY: '127.0.0.1' };
  servers.push(await startServer(dataDir, await freePort(), env));
  servers.push(await startServer(dataDir, await freePort(), { ...env, SEED_DEMO: '0' }));
  nginx = await startNginx(servers.map((s) => Number(new URL(s.url).port)));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await nginx?.stop();
  await Promise.all(servers.map((s) => s.kill('SIGTERM')));
  await redis?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('behind nginx, two processes', () => {
  it('a chair through nginx turns pages; delegates on either process follow', async () => {
    const opts = { viewport: { width: 1280, height: 800 }, locale: 'vi-VN' } as const;
    const page = async () => (await browser.newContext(opts)).newPage();
    const chair = await page();
    const delegates: Page[] = [await page(), await page()];
    const errors = [chair, ...delegates].map((p) => collectErrors(p));

    await openDemoMeeting(chair, nginx.url, 'chair');
    await openDemoMeeting(delegates[0]!, servers[0]!.url, 'delegate1');
    await openDemoMeeting(delegates[1]!, servers[1]!.url, 'delegate2');

    await chair.getByTestId('meeting-start').click();
    await chair.locator('[data-testid="live-bar"][data-meeting-status="running"]').waitFor();
    await chair.locator('.agenda-item').first().locator('[data-document-id]').first().click();
    await pageShown(chair, 1);
    for (const d of delegates) await pageShown(d, 1);
    await chair.getByTestId('next-page').click();
    await pageShown(chair, 2);
    await chair.getByTestId('next-page').click();
    await pageShown(chair, 3);
    for (const d of delegates) {
      await pageShown(d, 3);
      await d.locator('[data-follow-mode="follow"]').waitFor();
    }
    // the 401 is the app asking who is logged in before the login form
    expect(errors.flat().filter((e) => !/401 \(Unauthorized\)/.test(e))).toEqual([]);
  });
});
