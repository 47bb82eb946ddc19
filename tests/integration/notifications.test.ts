// Notifications (issue 15): the in-app store read over REST, the live push to the user's own sockets,
// and the e-mail channel against a real SMTP server in this process — including a bouncing address,
// and an SMTP server that is down while the app restarts (the mail waits in the outbox, then goes).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session } from '../helpers/http';
import { barrier, connect, httpLogin, until } from '../helpers/live-client';
import { freePort, parseMail, startSmtp, type TestSmtp } from '../helpers/smtp';
import type { NotificationPush } from '../../shared/notifications-api';

const userId = async (t: TestApp, username: string) => (await session(t.app, username)).userId;
/** The outbox as stored, through the Store (runs on either database). */
const outbox = (t: TestApp) => t.app.database.read((q, tt) => q.select().from(tt.mailOutbox).orderBy(tt.mailOutbox.id));
async function untilAsync(pred: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('notifications: store, REST and live push', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ listen: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores one per recipient, lists newest first with paging, counts and marks read one’s own only', async () => {
    const d1 = await session(t.app, 'delegate1');
    const d2 = await session(t.app, 'delegate2');
    const stored = await t.app.notifications.notify({
      userIds: [d1.userId, d1.userId, 'no-such-user'],
      kind: 'test.hello',
      params: { n: 0 },
      link: '/meetings',
    });
    expect(stored).toBe(1);
    for (let i = 1; i <= 24; i++)
      await t.app.notifications.notify({ userIds: [d1.userId], kind: 'test.hello', params: { n: i }, link: '/meetings' });

    expect((await d1.get('/api/me/notifications/unread-count')).json()).toEqual({ unread: 25 });
    expect((await d2.get('/api/me/notifications/unread-count')).json()).toEqual({ unread: 0 });

    const seen: number[] = [];
    let next: string | null = null;
    do {
      const res = await d1.get(`/api/me/notifications?limit=10${next ? `&before=${next}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json();
      seen.push(...page.items.map((n: { params: { n: number } }) => n.params.n));
      next = page.next;
    } while (next);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i));

    const first = (await d1.get('/api/me/notifications?limit=1')).json().items[0];
    expect(first).toMatchObject({ kind: 'test.hello', meetingId: null, link: '/meetings', readAt: null });
    // another user cannot mark it: not found, and it stays unread
    expect((await d2.post(`/api/me/notifications/${first.id}/read`)).statusCode).toBe(404);
    expect((await d1.post(`/api/me/notifications/${first.id}/read`)).json()).toEqual({ unread: 24 });
    expect((await d1.post(`/api/me/notifications/${first.id}/read`)).json()).toEqual({ unread: 24 });
    expect((await d1.post('/api/me/notifications/read-all')).json()).toEqual({ unread: 0 });
    expect(
      (await d1.get('/api/me/notifications?limit=100')).json().items.every((n: { readAt: string | null }) => n.readAt !== null),
    ).toBe(true);
  });

  it('refuses bad input with a code and needs a login', async () => {
    const d1 = await session(t.app, 'delegate1');
    for (const url of [
      '/api/me/notifications?limit=0',
      '/api/me/notifications?limit=1000',
      '/api/me/notifications?before=%7B%7D',
      '/api/me/notifications?junk=1',
    ]) {
      const res = await d1.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code, url).toBe('INVALID');
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/me/notifications' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/me/notifications/read-all' })).statusCode).toBe(401);
  });

  it('pushes live to the recipient’s own sockets only', async () => {
    const s1 = await connect(t.url, { cookie: await httpLogin(t.url, 'delegate3') });
    const s2 = await connect(t.url, { cookie: await httpLogin(t.url, 'delegate4') });
    const got1: NotificationPush[] = [];
    const got2: NotificationPush[] = [];
    s1.on('notification', (m) => got1.push(m));
    s2.on('notification', (m) => got2.push(m));
    try {
      await t.app.notifications.notify({
        userIds: [await userId(t, 'delegate3')],
        kind: 'test.live',
        params: { title: 'Họp giao ban' },
        link: '/meetings',
      });
      await until(() => got1.length === 1);
      expect(got1[0]).toMatchObject({ unread: 1, notification: { kind: 'test.live', params: { title: 'Họp giao ban' } } });
      // a round trip on delegate4's socket after the push: had it been sent there, it would have arrived
      await barrier(s2);
      expect(got2).toEqual([]);
    } finally {
      s1.close();
      s2.close();
    }
  });
});

describe('notifications: e-mail through a real SMTP server', () => {
  let smtp: TestSmtp;
  let t: TestApp;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await buildTestApp({
      config: {
        smtpUrl: smtp.url,
        mailFrom: 'Họp Số <hop@example.test>',
        publicUrl: 'https://hop.example.test',
        mailPollMs: 60_000,
        mailRetryBaseMs: 50,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('mails users with an address, with a link into the app; a bouncing address fails alone and blocks nothing', async () => {
    const admin = await session(t.app, 'admin');
    const ids = { d1: await userId(t, 'delegate1'), d2: await userId(t, 'delegate2'), d3: await userId(t, 'delegate3') };
    expect((await admin.patch(`/api/users/${ids.d1}`, { email: 'delegate1@example.test' })).statusCode).toBe(200);
    expect((await admin.patch(`/api/users/${ids.d2}`, { email: 'bounce@example.test' })).statusCode).toBe(200);
    // a malformed address is refused and stores nothing
    expect((await admin.patch(`/api/users/${ids.d3}`, { email: 'not an address' })).statusCode).toBe(400);

    await t.app.notifications.notify({
      userIds: [ids.d1, ids.d2, ids.d3],
      kind: 'invitation.issued',
      meetingId: null,
      params: { title: 'Họp giao ban tháng 12', number: '15/GM-UBND', when: '08:30 ngày 10/12/2026', location: 'Phòng họp số 1' },
      link: '/meetings/abc',
    });
    await untilAsync(async () => smtp.received.length === 1 && (await outbox(t)).every((r) => r.status !== 'pending'));
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['delegate1@example.test']);
    const { subject, text } = await parseMail(mail.raw);
    expect(subject).toBe('Giấy mời họp: Họp giao ban tháng 12 / Meeting invitation: Họp giao ban tháng 12');
    expect(text).toContain('Số: 15/GM-UBND');
    expect(text).toContain('Mở trong Họp Số: https://hop.example.test/meetings/abc');
    const rows = await outbox(t);
    expect(rows.map((r) => [r.toAddress, r.status, r.attempts]).sort()).toEqual([
      ['bounce@example.test', 'failed', 1],
      ['delegate1@example.test', 'sent', 1],
    ]);
    expect(rows.find((r) => r.status === 'failed')!.lastError).toMatch(/^550/);
    // the in-app notification exists for all three, with or without e-mail
    for (const u of ['delegate1', 'delegate2', 'delegate3']) {
      expect((await (await session(t.app, u)).get('/api/me/notifications/unread-count')).json().unread).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('notifications: SMTP down', () => {
  it('queues the mail, survives a restart, and delivers once the server is up', async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-mail-'));
    const config = { smtpUrl: `smtp://127.0.0.1:${port}`, mailPollMs: 100, mailRetryBaseMs: 100, mailRetryMaxMs: 200 };
    let t = await buildTestApp({ dataDir, config: { ...config, seedDemo: true } });
    let smtp: TestSmtp | undefined;
    try {
      const admin = await session(t.app, 'admin');
      const d1 = await userId(t, 'delegate1');
      await admin.patch(`/api/users/${d1}`, { email: 'delegate1@example.test' });
      await t.app.notifications.notify({ userIds: [d1], kind: 'test.down', link: '/meetings' });
      // notify returned at once; the mail is queued and has been tried and failed
      await untilAsync(async () => ((await outbox(t)).find((r) => r.toAddress === 'delegate1@example.test')?.attempts ?? 0) >= 2);
      const [row] = await outbox(t);
      if (!row) throw new Error('no mail queued');
      expect(row.status).toBe('pending');
      expect(row.lastError).toMatch(/ECONNREFUSED|ECONNECTION/);
      await t.close();

      smtp = await startSmtp(port);
      t = await buildTestApp({ dataDir, config: { ...config, seedDemo: false } });
      await until(() => smtp!.received.length === 1);
      expect(smtp.received[0]!.to).toEqual(['delegate1@example.test']);
      await untilAsync(async () => (await outbox(t))[0]?.status === 'sent');
      expect((await parseMail(smtp.received[0]!.raw)).subject).toBe('Thông báo mới từ Họp Số / New notification from Họp Số');
    } finally {
      await t.close();
      await smtp?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
