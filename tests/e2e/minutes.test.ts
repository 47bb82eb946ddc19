// Minutes e2e: in two browsers the secretary writes the minutes of the demo meeting while the chair
// reads them live and writes a conclusion; after the chair ends the meeting the secretary finalises
// and signs, then the chair signs; the file downloaded in the browser passes pdfsig. Attendance and
// the two votes are driven over sockets (their UI has its own tests). Needs `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { SHOTS_DIR as SHOTS, collectErrors, launchBrowser, openDemoMeeting, shot } from '../helpers/browser';
import { command, connect, demoMeeting, httpLogin, join, until, type LiveSocket } from '../helpers/live-client';
import { flat, pdfsig, pdftotext } from '../helpers/poppler';
import type { CommandAck } from '../../shared/events';

const DIST = path.resolve('client/dist');

const ok = (a: CommandAck) => {
  if (!a.ok) throw new Error(`refused: ${a.error.code} ${a.error.message}`);
  return a;
};

describe('minutes: the secretary writes, finalises and signs; the chair signs; pdfsig agrees', () => {
  let server: TestApp;
  let browser: Browser;
  let secCtx: BrowserContext;
  let chairCtx: BrowserContext;
  let sec: Page;
  let chair: Page;
  let errors: string[] = [];
  let socket: LiveSocket;
  let chairSocket: LiveSocket;
  let meetingId = '';
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'index.html')))
      throw new Error('client/dist missing: run `npm run build` before the e2e tests');
    server = await buildTestApp({ listen: true, config: { clientDistDir: DIST } });
    browser = await launchBrowser();
    const opts = { viewport: { width: 1400, height: 900 }, locale: 'vi-VN', acceptDownloads: true } as const;
    secCtx = await browser.newContext(opts);
    chairCtx = await browser.newContext(opts);
    sec = await secCtx.newPage();
    chair = await chairCtx.newPage();
    errors = [...collectErrors(sec), ...collectErrors(chair)];
    for (const p of [sec, chair]) p.on('dialog', (d) => void d.accept());
    const cookie = await httpLogin(server.url, 'secretary');
    const m = await demoMeeting(server.url, cookie);
    meetingId = m.meeting.id;
    for (const x of m.members) ids[x.username] = x.userId;
    socket = await connect(server.url, { cookie });
    await join(socket, meetingId);
    chairSocket = await connect(server.url, { cookie: await httpLogin(server.url, 'chair') });
    await join(chairSocket, meetingId);
  }, 60_000);

  afterAll(async () => {
    socket?.close();
    chairSocket?.close();
    await secCtx?.close();
    await chairCtx?.close();
    await browser?.close();
    await server?.close();
  });

  it('the secretary writes beside the document; the chair reads it live and writes a conclusion', async () => {
    await openDemoMeeting(sec, server.url, 'secretary');
    await openDemoMeeting(chair, server.url, 'chair');
    await chair.getByTestId('meeting-start').click();
    await sec.locator('[data-testid="live-bar"][data-meeting-status="running"]').waitFor();
    for (const u of ['chair', 'delegate1', 'delegate2', 'delegate3', 'delegate4'])
      ok(await command(socket, meetingId, 'attendance.mark', { userId: ids[u]!, status: 'present' }));
    ok(await command(socket, meetingId, 'attendance.mark', { userId: ids.delegate5!, status: 'excused', reason: 'nghỉ phép' }));

    await sec.getByTestId('open-minutes').click();
    await chair.getByTestId('open-minutes').click();
    await sec.getByTestId('minutes-number').fill('21/BB-VP');
    await sec.getByTestId('minutes-place').fill('Hà Giang');
    await sec
      .getByTestId('minutes-discussion-0')
      .fill('Đồng chí Chánh Văn phòng báo cáo kết quả công tác tháng 11: hoàn thành 95% nhiệm vụ.');
    await sec.locator('[data-testid="minutes-discussion-0-state"][data-state="saved"]').waitFor();
    // the chair's panel shows it without a reload
    await chair.getByTestId('minutes-discussion-0').getByText('hoàn thành 95% nhiệm vụ').waitFor();
    // and a screen reader hears it once the secretary pauses; the secretary does not hear their own text
    await expect
      .poll(() => chair.getByTestId('announcer').textContent(), { timeout: 10_000 })
      .toContain('Biên bản vừa cập nhật: Đồng chí Chánh Văn phòng báo cáo');
    expect(await sec.getByTestId('announcer').textContent()).not.toContain('Biên bản vừa cập nhật');
    await chair.getByTestId('minutes-conclusion-0').fill('Thống nhất thông qua báo cáo tháng 11');
    await chair.getByTestId('minutes-conclusion-0').blur();
    await chair.locator('[data-testid="minutes-conclusion-0-state"][data-state="saved"]').waitFor();
    await expect
      .poll(() => sec.getByTestId('minutes-conclusion-0').inputValue(), { timeout: 10_000 })
      .toBe('Thống nhất thông qua báo cáo tháng 11');

    // two votes, one secret, closed by the chair (over the socket)
    for (const [question, secret, rule] of [
      ['Thông qua Kế hoạch chuyển đổi số năm 2027', false, 'majority_of_members'],
      ['Phê duyệt dự toán kinh phí', true, 'majority_of_present'],
    ] as const) {
      const n = chairSocket.events.length;
      ok(await command(chairSocket, meetingId, 'vote.create', { question, secret, rule: { kind: rule } }));
      await until(() => chairSocket.events.slice(n).some((e) => e.type === 'vote.create'));
      const voteId = (chairSocket.events.slice(n).find((e) => e.type === 'vote.create')!.payload as { voteId: string }).voteId;
      ok(await command(chairSocket, meetingId, 'vote.open', { voteId }));
      for (const [u, choice] of [
        ['chair', 'for'],
        ['delegate1', 'for'],
        ['delegate2', 'for'],
        ['delegate3', 'against'],
        ['delegate4', 'abstain'],
      ] as const) {
        const s = u === 'chair' ? chairSocket : await connect(server.url, { cookie: await httpLogin(server.url, u) });
        if (u !== 'chair') await join(s, meetingId);
        ok(await command(s, meetingId, 'ballot.cast', { voteId, choice }));
        if (u !== 'chair') s.close();
      }
      ok(await command(chairSocket, meetingId, 'vote.close', { voteId }));
    }
    await sec.getByTestId('minutes-votes').getByText('Tán thành 3/6 (50,00%)').waitFor();
    await sec.getByTestId('minutes-conclusions').fill('Giao Văn phòng tổng hợp, hoàn thiện kế hoạch trước ngày 15 tháng 12.');
    await sec.getByTestId('minutes-conclusions').blur();
    await sec.locator('[data-testid="minutes-conclusions-state"][data-state="saved"]').waitFor();
    await shot(sec, 'minutes-secretary-editing');
    await shot(chair, 'minutes-chair-reading');
  }, 120_000);

  it('after the end: finalise and sign (secretary), then sign (chair); the downloaded file passes pdfsig', async () => {
    // the vote result dialogs (VotingDock) announced at each close: dismiss them
    for (const p of [chair, sec]) {
      for (let i = 0; i < 4 && (await p.locator('.ballot-backdrop').count()); i++)
        await p.locator('.ballot-backdrop').getByRole('button', { name: 'Đóng' }).first().click();
    }
    await chair.getByTestId('meeting-end').click();
    await sec.locator('[data-testid="live-bar"][data-meeting-status="ended"]').waitFor();
    await sec.getByTestId('minutes-finalize').click();
    await sec.locator('[data-testid="minutes-panel"][data-status="final"]').waitFor();
    await chair.locator('[data-testid="minutes-panel"][data-status="final"]').waitFor();
    await sec.getByTestId('minutes-sign').click();
    await chair.locator('[data-testid="minutes-panel"][data-status="signed_secretary"]').waitFor();
    await expect(chair.getByTestId('minutes-status').textContent()).resolves.toBe('Chờ chủ trì ký');
    await chair.getByTestId('minutes-sign').click();
    await sec.locator('[data-testid="minutes-panel"][data-status="signed_all"]').waitFor();
    await expect(sec.getByTestId('minutes-status').textContent()).resolves.toBe('Đã ký đủ');

    const [download] = await Promise.all([sec.waitForEvent('download'), sec.getByTestId('minutes-download').click()]);
    const file = path.join(SHOTS, 'minutes-demo-signed.pdf');
    fs.mkdirSync(SHOTS, { recursive: true });
    await download.saveAs(file);
    const report = pdfsig(file);
    const blocks = report.split(/Signature #\d+:/).slice(1);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toContain('Signer Certificate Common Name: Trần Thị Bình');
    expect(blocks[1]).toContain('Signer Certificate Common Name: Nguyễn Văn An');
    for (const b of blocks) expect(b).toContain('Signature Validation: Signature is Valid.');
    expect(blocks[1]).toContain('Total document signed');
    const text = flat(pdftotext(file));
    expect(text).toContain('Số: 21/BB-VP');
    expect(text).toContain('hoàn thành 95% nhiệm vụ');
    expect(text).toContain('Kết luận của chủ trì: Thống nhất thông qua báo cáo tháng 11.');
    expect(text).toContain('Tán thành 3/6 phiếu (50,00%)');
    expect(text).toContain('Tán thành 3/5 phiếu (60,00%)');

    await sec.getByTestId('minutes-verify').click();
    await sec.getByTestId('minutes-verification').getByText('Khớp với nhật ký cuộc họp.').waitFor();
    await shot(sec, 'minutes-signed');
    // the first visit's session check is a 401; nothing else may fail
    expect(errors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
  }, 120_000);
});
