// Deferred signing in the browser, step by step: the secretary (Vietnamese UI) prepares, her signing
// app (played by this test with her key on SoftHSM) makes a CMS over the digest the page shows; a
// tampered one is refused on screen and the minutes stay unsigned, the right one is embedded. The
// chair (English UI) sends his certificate, signs the attributes the page shows with pkcs11-tool
// (raw mode) and pastes the signature. pdfsig checks the file. Needs `npm run build` first.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildCmsForDigest } from '../../server/signing/cms';
import { Pkcs11Token } from '../../server/signing/pkcs11-signer';
import type { CommandAck } from '../../shared/events';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { CLIENT_DIST, collectErrors, launchBrowser, openDemoMeeting, shot } from '../helpers/browser';
import { api, command, connect, demoMeeting, httpLogin, join, type LiveSocket } from '../helpers/live-client';
import { tempDir } from '../helpers/minutes-signing';
import { createTestCa, pem, type TestCa } from '../helpers/official-pki';
import { pdfsig, writeTemp } from '../helpers/poppler';
import { createSoftHsm, keyOnToken, type SoftHsm } from '../helpers/softhsm';

const ok = (a: CommandAck) => {
  if (!a.ok) throw new Error(`refused: ${a.error.code} ${a.error.message}`);
  return a;
};

describe('deferred signing in the minutes panel (vi, en)', () => {
  let server: TestApp;
  let browser: Browser;
  let secCtx: BrowserContext;
  let chairCtx: BrowserContext;
  let sec: Page;
  let chair: Page;
  let errors: string[] = [];
  let socket: LiveSocket;
  let hsm: SoftHsm;
  let ca: TestCa;
  let token: Pkcs11Token;
  let chairCert: Uint8Array;
  let meetingId = '';

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    hsm = createSoftHsm();
    ca = await createTestCa();
    await keyOnToken(hsm, ca, { label: 'binh', id: '21', fullName: 'Trần Thị Bình' });
    chairCert = await keyOnToken(hsm, ca, { label: 'an', id: '22', fullName: 'Nguyễn Văn An' });
    token = await Pkcs11Token.open({ modulePath: hsm.modulePath, tokenLabel: hsm.tokenLabel, pin: hsm.pin });
    server = await buildTestApp({ listen: true, config: { clientDistDir: CLIENT_DIST } });
    const admin = await httpLogin(server.url, 'admin');
    expect((await api(server.url, admin, 'POST', '/api/admin/trusted-certificates', { pem: ca.pem })).status).toBe(201);
    const cookie = await httpLogin(server.url, 'secretary');
    const m = await demoMeeting(server.url, cookie);
    meetingId = m.meeting.id;
    const ids = Object.fromEntries(m.members.map((x) => [x.username, x.userId]));
    socket = await connect(server.url, { cookie });
    await join(socket, meetingId);
    const chairSocket = await connect(server.url, { cookie: await httpLogin(server.url, 'chair') });
    await join(chairSocket, meetingId);
    ok(await command(chairSocket, meetingId, 'meeting.start', {}));
    for (const u of ['chair', 'delegate1'])
      ok(await command(socket, meetingId, 'attendance.mark', { userId: ids[u]!, status: 'present' }));
    ok(await command(chairSocket, meetingId, 'meeting.end', {}));
    chairSocket.close();
    expect((await api(server.url, cookie, 'POST', `/api/meetings/${meetingId}/minutes/finalize`)).status).toBe(201);

    browser = await launchBrowser();
    secCtx = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'vi-VN' });
    chairCtx = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    sec = await secCtx.newPage();
    chair = await chairCtx.newPage();
    errors = [...collectErrors(sec), ...collectErrors(chair)];
  }, 180_000);

  afterAll(async () => {
    socket?.close();
    await secCtx?.close();
    await chairCtx?.close();
    await browser?.close();
    await server?.close();
    await token?.close();
  });

  const digestShown = async (p: Page) => p.locator('[data-step="2"] textarea').first().inputValue();

  it('the secretary (vi): prepare, a tampered CMS refused on screen, then her token’s CMS accepted', async () => {
    await openDemoMeeting(sec, server.url, 'secretary');
    await sec.getByTestId('open-minutes').click();
    await sec.getByTestId('minutes-sign-external').click();
    const panel = sec.getByTestId('external-signing');
    await expect(panel.getByRole('heading', { name: 'Ký số bằng USB token hoặc dịch vụ ký từ xa' }).isVisible()).resolves.toBe(
      true,
    );
    await sec.getByTestId('external-prepare').click();
    await sec.locator('[data-step="2"]').waitFor();
    const digestHex = await digestShown(sec);
    expect(digestHex).toMatch(/^[0-9a-f]{64}$/);
    const cms = await buildCmsForDigest(new Uint8Array(Buffer.from(digestHex, 'hex')), token.signerFor('binh')!);
    const tampered = Buffer.from(cms);
    tampered[tampered.length - 20] = tampered[tampered.length - 20]! ^ 0x01;
    await sec.getByTestId('external-result').fill(tampered.toString('base64'));
    await sec.getByTestId('external-complete').click();
    const message = sec.getByTestId('external-result-message');
    await sec.locator('[data-testid="external-result-message"][data-ok="false"]').waitFor();
    expect(await message.textContent()).toContain('Chữ ký không hợp lệ');
    expect(await sec.getByTestId('minutes-status').textContent()).toBe('Chờ thư ký ký');
    await shot(sec, 'external-signing-refused-vi');

    await sec.getByTestId('external-result').fill(Buffer.from(cms).toString('base64'));
    await sec.getByTestId('external-complete').click();
    await sec.locator('[data-testid="external-result-message"][data-ok="true"]').waitFor();
    expect(await message.textContent()).toContain('Chữ ký hợp lệ');
    await sec.locator('[data-testid="minutes-panel"][data-status="signed_secretary"]').waitFor();
    await shot(sec, 'external-signing-done-vi');
  });

  it('the chair (en): raw mode with his certificate; the page’s attributes signed by pkcs11-tool; pdfsig valid', async () => {
    await openDemoMeeting(chair, server.url, 'chair');
    await chair.locator('[data-lang="en"]').click(); // the interface switched to English
    await expect.poll(() => chair.evaluate(() => document.documentElement.lang)).toBe('en');
    await chair.getByTestId('open-minutes').click();
    await chair.getByTestId('minutes-sign-external').click();
    await chair.getByRole('heading', { name: 'Sign with a USB token or a remote-signing service' }).waitFor();
    await chair.getByTestId('external-mode-raw').check();
    await chair.getByTestId('external-certificate').fill(`${pem('CERTIFICATE', chairCert)}${ca.pem}`);
    await chair.getByTestId('external-prepare').click();
    await chair.locator('[data-step="2"]').waitFor();
    expect(await chair.locator('[data-step="2"]').textContent()).toContain(
      'Sign the data (signed attributes) below with SHA-256 and your RSA key',
    );
    const attrs = Buffer.from(await digestShown(chair), 'base64');
    const dir = tempDir('hop-so-app-');
    fs.writeFileSync(path.join(dir, 'attrs.der'), attrs);
    execFileSync(
      'pkcs11-tool',
      [
        '--module',
        hsm.modulePath,
        '--token-label',
        hsm.tokenLabel,
        '--login',
        '--pin',
        hsm.pin,
        '--sign',
        '--id',
        '22',
        '--mechanism',
        'SHA256-RSA-PKCS',
        '-i',
        path.join(dir, 'attrs.der'),
        '-o',
        path.join(dir, 'sig.bin'),
      ],
      { stdio: 'pipe', env: { ...process.env, SOFTHSM2_CONF: hsm.conf } },
    );
    await chair.getByTestId('external-result').fill(fs.readFileSync(path.join(dir, 'sig.bin')).toString('base64'));
    await chair.getByTestId('external-complete').click();
    await chair.locator('[data-testid="external-result-message"][data-ok="true"]').waitFor();
    expect(await chair.getByTestId('external-result-message').textContent()).toContain(
      'The signature is valid and its certificate trusted',
    );
    await chair.locator('[data-testid="minutes-panel"][data-status="signed_all"]').waitFor();
    await chair.getByTestId('minutes-verify').click();
    await chair.getByTestId('minutes-verification').waitFor();
    expect((await chair.getByTestId('minutes-verification').textContent())?.match(/certificate trusted/g)).toHaveLength(2);
    await shot(chair, 'external-signing-done-en');

    const res = await fetch(`${server.url}/api/meetings/${meetingId}/minutes.pdf`, {
      headers: { cookie: await httpLogin(server.url, 'delegate1') },
    });
    const report = pdfsig(writeTemp(new Uint8Array(await res.arrayBuffer()), 'e2e-deferred.pdf'));
    expect(report.match(/Signature is Valid/g)).toHaveLength(2);
    expect(report).toContain('Signer Certificate Common Name: Trần Thị Bình');
    expect(report).toContain('Signer Certificate Common Name: Nguyễn Văn An');
    expect(errors).toEqual([]);
  });
});
