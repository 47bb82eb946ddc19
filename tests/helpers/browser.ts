// Debian's Chromium driven by playwright-core (docs/design-notes.md, Stack traps): no browser download, ever.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** A persistent context in a fresh profile directory, removed on close. */
export async function launchPersistent(
  opts: Parameters<typeof chromium.launchPersistentContext>[1] = {},
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-chromium-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, ...opts });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Collects page errors and console errors so a test can assert the app ran cleanly. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** Logs in through the UI form. */
export async function loginThroughUi(page: Page, baseUrl: string, username: string, password = 'demo1234'): Promise<void> {
  await page.goto(baseUrl);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
}

// ---- flows shared by the e2e tests
export const DEMO_MEETING = 'Họp giao ban tháng 11';
export const CLIENT_DIST = path.resolve('client/dist');
/** Screenshots for a human to look at (not asserted). */
export const SHOTS_DIR = process.env.E2E_SHOTS_DIR ?? path.join(os.tmpdir(), 'hopso-e2e-shots');

export async function shot(p: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  await p.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`) });
}

/** Waits until the viewer shows page n, painted. */
export const pageShown = (p: Page, n: number) =>
  p.locator(`.pdf-page[data-page-number="${n}"][data-rendered="true"]`).waitFor({ timeout: 30_000 });

/** Logs in through the UI and opens the demo meeting, live connection up. */
export async function openDemoMeeting(p: Page, url: string, username: string): Promise<void> {
  await loginThroughUi(p, url, username);
  await p.locator('.meeting-card', { hasText: DEMO_MEETING }).click();
  await p.locator('.agenda-item').first().waitFor();
  await p.locator('[data-testid="connection"][data-connection="online"]').waitFor();
}
