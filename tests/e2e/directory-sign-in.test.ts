// Directory sign-in and the administrators' status page in Debian's Chromium against the real
// server and a private slapd (tests/helpers/ldap.ts): the login form offers the organisation's
// directory only when one is configured, a directory person signs in through it (vi) and sees their
// meetings; when the directory disables them, the open page goes back to the login form saying why;
// an administrator's status page shows the versions. Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attribute, Change, Client } from 'ldapts';
import type { Browser, BrowserContext } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { CLIENT_DIST, collectErrors, launchBrowser, loginThroughUi } from '../helpers/browser';
import {
  LDAP_ADMIN_DN,
  LDAP_ADMIN_GROUP,
  LDAP_ADMIN_PASSWORD,
  LDAP_ORGANISER_GROUP,
  LDAP_PEOPLE,
  startLdap,
  type LdapServer,
} from '../helpers/ldap';

describe('directory sign-in in the browser', () => {
  let ldap: LdapServer;
  let server: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    ldap = await startLdap();
    server = await buildTestApp({
      listen: true,
      config: {
        clientDistDir: CLIENT_DIST,
        ldap: {
          url: ldap.url,
          bindDn: LDAP_ADMIN_DN,
          bindPassword: LDAP_ADMIN_PASSWORD,
          userBase: LDAP_PEOPLE,
          usernameAttribute: 'uid',
          userFilter: '(&(objectClass=inetOrgPerson)(!(employeeType=disabled)))',
          fullNameAttribute: 'cn',
          unitAttribute: 'ou',
          positionAttribute: 'title',
          mailAttribute: 'mail',
          adminGroupDn: LDAP_ADMIN_GROUP,
          organiserGroupDn: LDAP_ORGANISER_GROUP,
          timeoutMs: 2000,
        },
        directoryRecheckMs: 1000,
        liveSessionRecheckMs: 300,
      },
    });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await ldap?.close();
  });

  const newPage = async (locale = 'vi-VN') => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
    contexts.push(context);
    const page = await context.newPage();
    return { page, errors: collectErrors(page) };
  };

  it('a directory person signs in through the directory choice; a disabled account is sent back to the form (vi)', async () => {
    const { page, errors } = await newPage();
    await page.goto(server.url);
    await page.getByTestId('login-providers').waitFor();
    await page.getByLabel('Tài khoản cơ quan (LDAP/AD)').check();
    await page.locator('input[name="username"]').fill('tranthib');
    await page.locator('input[name="password"]').fill('wrong-password');
    await page.locator('button[type="submit"]').click();
    expect(await page.getByTestId('login-error').textContent()).toContain('Tên đăng nhập hoặc mật khẩu không đúng');
    await page.locator('input[name="password"]').fill('mat-khau-B2');
    await page.locator('button[type="submit"]').click();
    // an organiser (directory group): the meetings page with the new-meeting button
    await page.getByTestId('new-meeting').waitFor();
    expect(await page.locator('body').textContent()).toContain('Trần Thị Bình');

    const c = new Client({ url: ldap.url });
    await c.bind(LDAP_ADMIN_DN, LDAP_ADMIN_PASSWORD);
    await c.modify(
      `uid=tranthib,${LDAP_PEOPLE}`,
      new Change({ operation: 'add', modification: new Attribute({ type: 'employeeType', values: ['disabled'] }) }),
    );
    await c.unbind();
    // the meetings page holds no socket: its next request finds the session gone → login form
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator('input[name="username"]').count();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(1);
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  it("an administrator's status page lists the versions and no meeting under way", async () => {
    const { page } = await newPage();
    await page.goto(server.url);
    await page.getByTestId('login-providers').waitFor();
    // the local administrator signs in with the default (local) choice
    await loginThroughUi(page, server.url, 'admin');
    await page.getByTestId('admin-status-link').click();
    await page.getByTestId('admin-versions').waitFor();
    const text = await page.getByTestId('admin-status').textContent();
    expect(text).toContain('Tình trạng hệ thống');
    expect(text).toContain(process.version);
    expect(text).toContain('Không có cuộc họp nào đang diễn ra.');
  });
});
