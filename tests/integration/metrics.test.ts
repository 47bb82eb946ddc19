// /metrics and the health checks against the real app on a real port: the text is read by an
// independent parser (parse-prometheus-text-format), counters move when a meeting runs and a
// document is uploaded, and the endpoint refuses anyone without the token.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { command, connect, demoMeeting, httpLogin, join, type LiveSocket } from '../helpers/live-client';
import { buckets, family, labelSets, scrape, valueOf } from '../helpers/prometheus';
import { fixture } from '../helpers/fixtures';
import { multipartFile } from '../helpers/http';
import { buildApp } from '../../server/app';
import { ConfigError, loadConfig } from '../../server/config';
import type { AdminStatus } from '../../shared/admin-api';
import { PROTOCOL_VERSION } from '../../shared/events';
import { sqlRun } from '../helpers/raw-sql';

const TOKEN = 'metrics-token-for-the-test-0123456789';
let t: TestApp;
const sockets: LiveSocket[] = [];

beforeAll(async () => {
  t = await buildTestApp({ listen: true, config: { metricsToken: TOKEN } });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t.close();
});

/** The migrations shipped for the app's database (migrations/ or migrations/pg/). */
const shippedJournal = (app: TestApp['app']) =>
  JSON.parse(
    fs.readFileSync(path.resolve(app.database.dialect === 'pg' ? 'migrations/pg' : 'migrations', 'meta/_journal.json'), 'utf8'),
  ) as { entries: { tag: string }[] };

describe('/metrics', () => {
  it('is refused without the token, with a wrong one, and with another scheme', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-wrong-token', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const r = await fetch(`${t.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(r.status).toBe(401);
      expect((await r.json()).error.code).toBe('UNAUTHENTICATED');
      expect(r.headers.get('www-authenticate')).toContain('Bearer');
    }
    // a signed-in administrator's cookie is not the token either
    const admin = await httpLogin(t.url, 'admin');
    expect((await fetch(`${t.url}/metrics`, { headers: { cookie: admin } })).status).toBe(401);
  });

  it('does not exist when no token is configured', async () => {
    const other = await buildTestApp({ listen: true });
    try {
      const r = await fetch(`${other.url}/metrics`);
      expect(r.status).toBe(404);
      expect(await r.text()).not.toContain('hopso_');
    } finally {
      await other.close();
    }
  });

  it('parses, and its counters move when a meeting runs and a document is uploaded', async () => {
    const before = await scrape(t.url, TOKEN);
    for (const name of [
      'hopso_http_request_duration_seconds',
      'hopso_live_command_duration_seconds',
      'hopso_sockets_connected',
      'hopso_meetings_live',
      'hopso_pdf_queue_depth',
      'hopso_document_upload_duration_seconds',
      'hopso_pdf_inspection_duration_seconds',
      'nodejs_eventloop_lag_seconds',
      'process_resident_memory_bytes',
    ]) {
      expect(family(before, name).name).toBe(name);
    }
    expect(family(before, 'hopso_http_request_duration_seconds').type).toBe('HISTOGRAM');
    expect(valueOf(before, 'hopso_meetings_live')).toBe(0);
    expect(valueOf(before, 'hopso_pdf_queue_depth', { pool: 'files' })).toBe(0);

    const chairCookie = await httpLogin(t.url, 'chair');
    const m = await demoMeeting(t.url, chairCookie);
    const chair = await connect(t.url, { cookie: chairCookie });
    sockets.push(chair);
    expect((await join(chair, m.meeting.id)).ok).toBe(true);
    expect((await command(chair, m.meeting.id, 'meeting.start', {})).ok).toBe(true);
    expect((await command(chair, m.meeting.id, 'document.show', { documentId: m.documents[0]!.id })).ok).toBe(true);
    expect((await command(chair, m.meeting.id, 'page.set', { documentId: m.documents[0]!.id, page: 2 })).ok).toBe(true);
    // a refused command is timed under its refusal code
    const refused = await command(chair, m.meeting.id, 'meeting.start', {});
    expect(refused.ok).toBe(false);
    const refusedCode = refused.ok ? '' : refused.error.code;

    const admin = await httpLogin(t.url, 'admin');
    const up = multipartFile(fixture('rotation.pdf'), 'rotation.pdf');
    const r = await fetch(`${t.url}/api/meetings/${m.meeting.id}/documents`, {
      method: 'POST',
      headers: { cookie: admin, origin: t.url, ...up.headers },
      body: up.payload,
    });
    expect(r.status).toBe(201);
    const bad = multipartFile(Buffer.from('not a pdf at all'), 'x.pdf');
    const r2 = await fetch(`${t.url}/api/meetings/${m.meeting.id}/documents`, {
      method: 'POST',
      headers: { cookie: admin, origin: t.url, ...bad.headers },
      body: bad.payload,
    });
    expect(r2.status).toBe(415);

    const after = await scrape(t.url, TOKEN);
    expect(valueOf(after, 'hopso_live_command_duration_seconds', { type: 'meeting.start', outcome: 'ok' })).toBe(1);
    expect(valueOf(after, 'hopso_live_command_duration_seconds', { type: 'document.show', outcome: 'ok' })).toBe(1);
    expect(valueOf(after, 'hopso_live_command_duration_seconds', { type: 'page.set', outcome: 'ok' })).toBe(1);
    expect(valueOf(after, 'hopso_live_command_duration_seconds', { type: 'meeting.start', outcome: refusedCode })).toBe(1);
    expect(valueOf(after, 'hopso_meetings_live')).toBe(1);
    expect(valueOf(after, 'hopso_sockets_connected')).toBeGreaterThanOrEqual(1);
    expect(valueOf(after, 'hopso_document_upload_duration_seconds', { outcome: 'ok' })).toBe(1);
    expect(valueOf(after, 'hopso_pdf_inspection_duration_seconds', { outcome: 'ok' })).toBe(1);
    expect(valueOf(after, 'hopso_document_upload_duration_seconds', { outcome: 'NOT_A_PDF' })).toBe(1);
    // HTTP by route pattern, never by raw URL (ids would make a series per meeting)
    const pattern = { route: '/api/meetings/:id', method: 'GET', status_code: '200' };
    expect(valueOf(after, 'hopso_http_request_duration_seconds', pattern)).toBeGreaterThanOrEqual(1);
    expect(labelSets(after, 'hopso_http_request_duration_seconds').some((l) => l.route?.includes(m.meeting.id))).toBe(false);
    // buckets are cumulative and end at +Inf = count
    const b = buckets(after, 'hopso_http_request_duration_seconds', pattern);
    expect(b.at(-1)).toEqual(['+Inf', valueOf(after, 'hopso_http_request_duration_seconds', pattern)]);
    for (let i = 1; i < b.length; i++) expect(b[i]![1]).toBeGreaterThanOrEqual(b[i - 1]![1]);
    // a command type no one registered is one 'other' series, not a new series per name
    await command(chair, m.meeting.id, 'no.such.command' as 'meeting.start', {});
    const last = await scrape(t.url, TOKEN);
    expect(labelSets(last, 'hopso_live_command_duration_seconds').some((l) => l.type === 'no.such.command')).toBe(false);
    expect(valueOf(last, 'hopso_live_command_duration_seconds', { type: 'other' })).toBe(1);
  });

  it("the administrators' status page shows the live meeting, who is connected, and versions; nobody else sees it", async () => {
    const admin = await httpLogin(t.url, 'admin');
    const r = await fetch(`${t.url}/api/admin/status`, { headers: { cookie: admin } });
    expect(r.status).toBe(200);
    const s = (await r.json()) as AdminStatus;
    const journal = shippedJournal(t.app);
    expect(s.versions).toMatchObject({
      app: '0.1.0',
      node: process.version,
      protocol: PROTOCOL_VERSION,
      migrations: journal.entries.length,
      latestMigration: journal.entries.at(-1)!.tag,
    });
    // the meeting the previous test started, with the chair's socket in it
    expect(s.liveMeetings).toHaveLength(1);
    expect(s.liveMeetings[0]).toMatchObject({ status: 'running' });
    expect(s.liveMeetings[0]!.sockets).toBeGreaterThanOrEqual(1);
    expect(s.connectedUsers.find((u) => u.username === 'chair')).toMatchObject({ sockets: 1 });
    expect(s.connectedUsers.find((u) => u.username === 'chair')!.fullName).not.toBe('chair');
    // refused: signed out, and a signed-in non-administrator (the chair of that very meeting)
    expect((await fetch(`${t.url}/api/admin/status`)).status).toBe(401);
    const chair = await httpLogin(t.url, 'chair');
    const refused = await fetch(`${t.url}/api/admin/status`, { headers: { cookie: chair } });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('FORBIDDEN');
  });

  it('counts the e-mail outbox by status when SMTP is configured, from the database', async () => {
    // without SMTP there is no outbox: the family is there with no series
    expect(family(await scrape(t.url, TOKEN), 'hopso_mail_outbox').metrics).toHaveLength(0);
    // an SMTP server that is not there: nothing is sent (the job's first run may fail on it and retry)
    const t2 = await buildTestApp({
      listen: true,
      config: { metricsToken: TOKEN, smtpUrl: 'smtp://127.0.0.1:9', mailPollMs: 3_600_000 },
    });
    try {
      expect(valueOf(await scrape(t2.url, TOKEN), 'hopso_mail_outbox', { status: 'pending' })).toBe(0);
      // written behind the app's back, as another process would
      const at = new Date().toISOString();
      const add = (id: string, status: string, next: string) =>
        sqlRun(
          t2.app,
          "insert into mail_outbox (id, to_address, subject, body, status, attempts, next_attempt_at, created_at) values (?, 'a@example.vn', 'Giấy mời', '-', ?, 0, ?, ?)",
          id,
          status,
          next,
          at,
        );
      await add('m1', 'pending', '2999-01-01T00:00:00.000Z');
      await add('m2', 'pending', '2999-01-01T00:00:00.000Z');
      await add('m3', 'failed', at);
      await add('m4', 'sent', at);
      const s2 = await scrape(t2.url, TOKEN);
      expect(valueOf(s2, 'hopso_mail_outbox', { status: 'pending' })).toBe(2);
      expect(valueOf(s2, 'hopso_mail_outbox', { status: 'failed' })).toBe(1);
      expect(labelSets(s2, 'hopso_mail_outbox').some((l) => l.status === 'sent')).toBe(false);
    } finally {
      await t2.close();
    }
  });

  it('refuses to start with a token too short to guard anything', async () => {
    const config = loadConfig(
      { NODE_ENV: 'test' },
      { dataDir: fs.mkdtempSync(path.join(t.dataDir, 'short-')), metricsToken: 'short', seedDemo: false },
    );
    await expect(buildApp(config, { logger: false })).rejects.toThrow(ConfigError);
    await expect(buildApp(config, { logger: false })).rejects.toThrow(/METRICS_TOKEN must be at least 16/);
  });
});

describe('health and readiness', () => {
  it('answers alive and ready (every shipped migration applied) without a login', async () => {
    expect(await (await fetch(`${t.url}/api/health`)).json()).toEqual({ status: 'ok' });
    const r = await fetch(`${t.url}/api/health/ready`);
    expect(r.status).toBe(200);
    const journal = shippedJournal(t.app);
    expect(await r.json()).toEqual({ status: 'ready', migrations: journal.entries.length });
  });

  it('is not ready when a shipped migration is missing from the database', async () => {
    const other = await buildTestApp({ listen: true, seed: false });
    try {
      // another process (an older version's migrator) left the newest migration unapplied
      const table = other.app.database.dialect === 'pg' ? 'drizzle.__drizzle_migrations' : '__drizzle_migrations';
      await sqlRun(other.app, `delete from ${table} where created_at = (select max(created_at) from ${table})`);
      const r = await fetch(`${other.url}/api/health/ready`);
      expect(r.status).toBe(503);
      expect(await r.json()).toEqual({ status: 'not-ready', reason: 'migrations-pending' });
      // alive all the same: a restart would not help, a migration would
      expect((await fetch(`${other.url}/api/health`)).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
