// OpenID Connect sign-in in Debian's Chromium: the login page's "Đăng nhập bằng …" button leads to
// the provider (oidc-provider on loopback, tests/helpers/oidc-provider.ts), the person signs in on the
// provider's own login form, lands in the app as themselves (name, unit), and logout ends both the
// app's session and the provider's (RP-initiated logout) before coming back to the login page; a
// refused callback shows its reason in the person's language. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { CLIENT_DIST, collectErrors, launchBrowser, loginThroughUi } from '../helpers/browser';
import { axeViolations, formatViolations } from '../helpers/axe';
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, startOidcProvider, type OidcTestProvider } from '../helpers/oidc-provider';

describe('OpenID Connect sign-in in the browser', () => {
  let op: OidcTestProvider;
  let server: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    op = await startOidcProvider({
      'sub-mai-100': {
        preferred_username: 'ntmai',
        name: 'Nguyễn Thị Mai',
        unit: 'Sở Kế hoạch và Đầu tư',
        position: 'Trưởng phòng',
        email: 'mai.nt@skhdt.example.vn',
        groups: ['hop-organisers'],
      },
    });
    server = await buildTestApp({
      listen: true,
      config: {
        clientDistDir: CLIENT_DIST,
        oidc: {
          issuer: op.issuer,
          clientId: OIDC_CLIENT_ID,
          clientSecret: OIDC_CLIENT_SECRET,
          redirectUrl: 'http://127.0.0.1:1/api/auth/oidc/callback',
          postLogoutRedirectUrl: '',
          scopes: 'openid profile email hop offline_access',
          label: 'Cổng đăng nhập tỉnh',
          usernameClaim: 'preferred_username',
          fullNameClaim: 'name',
          unitClaim: 'unit',
          positionClaim: 'position',
          emailClaim: 'email',
          groupsClaim: 'groups',
          adminGroup: 'hop-admins',
          organiserGroup: 'hop-organisers',
          timeoutMs: 5000,
        },
      },
    });
    // the callback is on the port the app got
    server.app.config.oidc!.redirectUrl = `${server.url}/api/auth/oidc/callback`;
    server.app.config.oidc!.postLogoutRedirectUrl = `${server.url}/`;
    op.register(`${server.url}/api/auth/oidc/callback`, `${server.url}/`);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await op?.close();
  });

  const newPage = async (locale = 'vi-VN') => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
    contexts.push(context);
    const page = await context.newPage();
    return { page, errors: collectErrors(page) };
  };

  it("signs in through the provider's login form, lands as that person, and logs out of both (vi)", async () => {
    const { page, errors } = await newPage();
    const appFailures: string[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(server.url) && r.status() >= 500) appFailures.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(server.url);
    const button = page.getByTestId('login-oidc');
    expect(await button.textContent()).toContain('Đăng nhập bằng Cổng đăng nhập tỉnh');
    const loginViolations = await axeViolations(page);
    expect(loginViolations, formatViolations('login with OIDC', loginViolations)).toEqual([]);
    await button.click();
    // the provider's own page
    await page.waitForURL((u) => u.origin === op.issuer);
    await page.locator('input[name="login"]').fill('sub-mai-100');
    await page.locator('input[name="password"]').fill('mat-khau-cua-mai');
    await page.locator('button[type="submit"]').click();
    // back in the app, signed in: an organiser (group claim) sees the new-meeting button
    await page.getByTestId('new-meeting').waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).origin).toBe(server.url);
    expect(await page.locator('body').textContent()).toContain('Nguyễn Thị Mai');
    const me = (await page.evaluate(async () => (await fetch('/api/auth/me')).json())) as {
      user: { username: string; unit: string; authSource: string };
    };
    expect(me.user).toMatchObject({ username: 'ntmai', unit: 'Sở Kế hoạch và Đầu tư', authSource: 'oidc' });

    // logout: the app session ends, the provider asks to end its own, then the browser comes back
    await page.getByTestId('logout').click();
    await page.waitForURL((u) => u.origin === op.issuer);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL((u) => u.origin === server.url);
    await page.getByTestId('login-oidc').waitFor();
    expect(await page.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);

    // the provider's session ended too: signing in again asks for the login form
    await page.getByTestId('login-oidc').click();
    await page.waitForURL((u) => u.origin === op.issuer);
    await page.locator('input[name="login"]').waitFor();
    // the provider's pages fetch web fonts and a favicon that are not here: only the app's errors count
    expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    expect(appFailures).toEqual([]);
  });

  it('a refused callback says why on the login page', async () => {
    const { page } = await newPage();
    // a callback this browser never started: the code and state of nobody's sign-in
    await page.goto(`${server.url}/api/auth/oidc/callback?code=forged&state=forged&iss=${encodeURIComponent(op.issuer)}`);
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('Lượt đăng nhập này đã quá hạn hoặc không bắt đầu từ trình duyệt này');
    expect(new URL(page.url()).search).toBe(''); // the code is not left in the address bar
  });

  it("the administrator's accounts screen shows source, unit, position and e-mail, and sets a local account's e-mail (keyboard)", async () => {
    const { page, errors } = await newPage();
    await loginThroughUi(page, server.url, 'admin');
    await page.getByTestId('accounts-link').click();
    const mai = page.getByTestId('account-ntmai');
    await mai.waitFor();
    const row = await mai.textContent();
    for (const part of [
      'Nguyễn Thị Mai',
      'OpenID Connect',
      'Sở Kế hoạch và Đầu tư',
      'Trưởng phòng',
      'mai.nt@skhdt.example.vn',
      'theo thư mục',
    ])
      expect(row).toContain(part);
    // a directory account's e-mail is not editable here
    expect(await mai.locator('input').count()).toBe(0);
    const accountsViolations = await axeViolations(page);
    expect(accountsViolations, formatViolations('accounts', accountsViolations)).toEqual([]);

    const input = page.getByTestId('email-chair');
    await input.fill('not an address');
    await input.press('Enter');
    expect(await page.getByTestId('account-chair').getByRole('alert').textContent()).toContain('Địa chỉ e-mail không hợp lệ');
    await input.fill('chu.tri@ubnd.example.vn');
    await input.press('Enter');
    await expect
      .poll(
        async () => {
          const users = (await page.evaluate(async () => (await fetch('/api/users')).json())) as {
            username: string;
            email: string | null;
          }[];
          return users.find((u) => u.username === 'chair')?.email;
        },
        { timeout: 10_000 },
      )
      .toBe('chu.tri@ubnd.example.vn');
    expect(await page.getByTestId('account-chair').getByRole('alert').count()).toBe(0);
    expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
