// The real client in Chromium through the shipped nginx site (deploy/nginx.conf) in front of several
// server processes sharing a private Redis and one database: two on one SQLite DATA_DIR, and three
// on one PostgreSQL (the guide's deployment, docs/deployment.md). The chair's pages, REST and
// WebSocket all go through nginx; a delegate opened directly on each process follows the chair's
// page turns. The client speaks WebSocket only, so nginx needs no sticky sessions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, launchBrowser, openDemoMeeting, pageShown } from '../helpers/browser';
import { freePort, startServer, type ServerProcess } from '../helpers/server-process';
import { startRedis, type RedisServer } from '../helpers/redis';
import { startNginx, type Nginx } from '../helpers/nginx';
import { postgresAvailable, startPostgres, type PgCluster } from '../helpers/postgres';

const DIST = path.resolve('client/dist');

/**
 * The deployment of docs/deployment.md on one machine: Redis, N processes on one database (SQLite
 * in a shared DATA_DIR, or PostgreSQL with DATABASE_URL), nginx in front. The first process seeds
 * the demo; the others start together after it.
 */
function deployment(db: 'sqlite' | 'pg', processes: number) {
  const ctx = {
    dataDir: '',
    redis: undefined as RedisServer | undefined,
    pg: undefined as PgCluster | undefined,
    nginx: undefined as Nginx | undefined,
    servers: [] as ServerProcess[],
    browser: undefined as Browser | undefined,
  };
  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    ctx.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `hopso-e2e-nginx-${db}-`));
    ctx.redis = await startRedis();
    if (db === 'pg') ctx.pg = await startPostgres();
    const env = {
      REDIS_URL: ctx.redis.url,
      CLIENT_DIST: DIST,
      TRUST_PROXY: '127.0.0.1',
      ...(ctx.pg ? { DATABASE_URL: ctx.pg.url } : {}),
    };
    ctx.servers.push(await startServer(ctx.dataDir, await freePort(), env));
    const others = await Promise.all(
      Array.from({ length: processes - 1 }, async () => startServer(ctx.dataDir, await freePort(), { ...env, SEED_DEMO: '0' })),
    );
    ctx.servers.push(...others);
    ctx.nginx = await startNginx(ctx.servers.map((s) => Number(new URL(s.url).port)));
    ctx.browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.nginx?.stop();
    await Promise.all(ctx.servers.map((s) => s.kill('SIGTERM')));
    await ctx.redis?.stop();
    ctx.pg?.stop();
    if (ctx.dataDir) fs.rmSync(ctx.dataDir, { recursive: true, force: true });
  });
  return ctx;
}

/** The chair through nginx turns pages; one delegate opened directly on each other process follows. */
async function chairLeadsThroughNginx(ctx: ReturnType<typeof deployment>) {
  const browser = ctx.browser!;
  const opts = { viewport: { width: 1280, height: 800 }, locale: 'vi-VN' } as const;
  const page = async () => (await browser.newContext(opts)).newPage();
  const chair = await page();
  const delegates: Page[] = [];
  for (let i = 0; i < ctx.servers.length; i++) delegates.push(await page());
  const errors = [chair, ...delegates].map((p) => collectErrors(p));

  await openDemoMeeting(chair, ctx.nginx!.url, 'chair');
  for (const [i, d] of delegates.entries()) await openDemoMeeting(d, ctx.servers[i]!.url, `delegate${i + 1}`);

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
}

describe('behind nginx, two processes on one SQLite DATA_DIR', () => {
  const ctx = deployment('sqlite', 2);
  it('a chair through nginx turns pages; delegates on either process follow', () => chairLeadsThroughNginx(ctx));
});

describe.skipIf(!postgresAvailable())('behind nginx, three processes on PostgreSQL', () => {
  const ctx = deployment('pg', 3);
  it('a chair through nginx turns pages; delegates on each process follow', () => chairLeadsThroughNginx(ctx));
});
