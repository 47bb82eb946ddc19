// Accessibility e2e (issue 19): axe-core's WCAG 2.1 A/AA rules on every screen, run in the page
// under the production CSP (tests/helpers/axe.ts). One server and one browser for the whole file;
// a failure prints each rule id and the nodes it found. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { CLIENT_DIST, DEMO_MEETING, launchBrowser, loginThroughUi, pageShown } from '../helpers/browser';
import { axeViolations, formatViolations } from '../helpers/axe';

const VIEWPORT = { width: 800, height: 1280 };

async function expectNoViolations(page: Page, screen: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations.length, formatViolations(screen, violations)).toBe(0);
}

describe.each(['vi-VN'] as const)('axe: WCAG 2.1 A/AA on every screen (%s, 800×1280)', (locale) => {
  let server: TestApp;
  let browser: Browser;
  let chairCtx: BrowserContext;
  let delegateCtx: BrowserContext;
  let chair: Page;
  let delegate: Page;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIST, 'index.html'))) throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: CLIENT_DIST } });
    browser = await launchBrowser();
    const opts = { viewport: VIEWPORT, locale } as const;
    chairCtx = await browser.newContext(opts);
    delegateCtx = await browser.newContext(opts);
    chair = await chairCtx.newPage();
    delegate = await delegateCtx.newPage();
  });

  afterAll(async () => {
    await chairCtx?.close();
    await delegateCtx?.close();
    await browser?.close();
    await server?.close();
  });

  it('login page', async () => {
    await delegate.goto(server.url);
    await delegate.locator('input[name="username"]').waitFor();
    await expectNoViolations(delegate, 'login');
  });

  it('meetings page', async () => {
    await loginThroughUi(delegate, server.url, 'delegate1');
    await delegate.locator('.meeting-card').first().waitFor();
    await expectNoViolations(delegate, 'meetings');
  });

  it('meeting page (chair, running, a document open) and the delegate’s', async () => {
    await loginThroughUi(chair, server.url, 'chair');
    await chair.locator('.meeting-card', { hasText: DEMO_MEETING }).click();
    await chair.locator('[data-testid="connection"][data-connection="online"]').waitFor();
    await expectNoViolations(chair, 'meeting overview (chair, scheduled)');
    await chair.getByTestId('toggle-agenda').click();
    await chair.locator('.agenda-item').first().waitFor();
    await expectNoViolations(chair, 'meeting with the agenda open (chair)');
    await chair.getByTestId('meeting-start').click();
    await chair.locator('[data-testid="live-bar"][data-meeting-status="running"]').waitFor();
    await chair.locator('.agenda-item').first().locator('[data-document-id]').first().click();
    await pageShown(chair, 1);
    await expectNoViolations(chair, 'meeting (chair)');

    await delegate.locator('.meeting-card').first().click();
    await delegate.locator('[data-testid="connection"][data-connection="online"]').waitFor();
    await pageShown(delegate, 1);
    await expectNoViolations(delegate, 'meeting (delegate)');
  });

  it('minutes and prepare drawers', async () => {
    await chair.getByTestId('open-minutes').click();
    await chair.locator('[aria-pressed="true"][data-testid="open-minutes"]').waitFor();
    await expectNoViolations(chair, 'minutes drawer');
    await chair.keyboard.press('Escape');
    const prepare = chair.getByTestId('open-prepare');
    if (await prepare.count()) {
      await prepare.click();
      await chair.locator('[aria-pressed="true"][data-testid="open-prepare"]').waitFor();
      await expectNoViolations(chair, 'prepare drawer');
      await chair.keyboard.press('Escape');
    }
  });
});
