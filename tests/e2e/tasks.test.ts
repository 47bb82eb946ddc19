// Tasks e2e: a task made of a conclusion (over the API, as the secretary) shows on the chair's overdue
// dashboard and in the owner's own list, in Debian's Chromium against the real server; a delegate
// does not get the dashboard. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { collectErrors, launchBrowser, loginThroughUi, shot } from '../helpers/browser';
import { session } from '../helpers/http';
import { command, connect, httpLogin, join } from '../helpers/live-client';

const DIST = path.resolve('client/dist');

describe('tasks: the overdue dashboard and one\'s own tasks', () => {
  let server: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: DIST, taskReminderPollMs: 0 } });
    const chair = await session(server.app, 'chair');
    const delegate1 = await session(server.app, 'delegate1');
    const mid = (await chair.get('/api/meetings')).json()[0].id as string;
    const s = await connect(server.url, { cookie: await httpLogin(server.url, 'chair') });
    await join(s, mid);
    expect(await command(s, mid, 'minutes.update', { field: 'conclusions', text: 'Giao Văn phòng tổng hợp báo cáo.', baseVersion: 0 })).toMatchObject({ ok: true });
    s.close();
    const res = await (await session(server.app, 'secretary')).post(`/api/meetings/${mid}/tasks`, { conclusionKey: 'conclusions', title: 'Tổng hợp báo cáo quý IV', ownerId: delegate1.userId, ownerUnit: 'Văn phòng', deadline: '2026-01-15' });
    expect(res.statusCode, res.body).toBe(201);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  it('the chair opens Nhiệm vụ from the meetings list and sees the task as overdue', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    contexts.push(ctx);
    const page = await ctx.newPage();
    const errors = collectErrors(page);
    await loginThroughUi(page, server.url, 'chair');
    await page.getByTestId('tasks-link').click();
    const task = page.getByTestId('overdue-tasks').getByTestId('task');
    await task.first().waitFor();
    expect(await task.count()).toBe(1);
    expect(await task.getAttribute('data-state')).toBe('overdue');
    expect(await task.getByTestId('task-state').textContent()).toBe('Quá hạn');
    expect(await task.textContent()).toContain('Hạn: 15/01/2026');
    expect(await task.textContent()).toContain('Lê Văn Cường, Văn phòng');
    await shot(page, 'tasks-overdue-chair');
    expect(errors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
  });

  it('the owner sees it among their own tasks and gets no dashboard', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await loginThroughUi(page, server.url, 'delegate1');
    await page.getByTestId('tasks-link').click();
    const mine = page.getByTestId('my-tasks').getByTestId('task');
    await mine.first().waitFor();
    expect(await mine.textContent()).toContain('Tổng hợp báo cáo quý IV');
    expect(await page.getByTestId('overdue-tasks').count()).toBe(0);
  });
});
