// The audit trail: administrative writes and refused commands, readable by administrators only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session, type Session } from '../helpers/http';
import { command, connect, httpLogin, join, rawCommand } from '../helpers/live-client';

let t: TestApp;
let admin: Session, chair: Session;
let mid: string;
beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  admin = await session(t.app, 'admin');
  chair = await session(t.app, 'chair');
  mid = (await chair.get('/api/meetings')).json()[0].id;
});
afterAll(async () => {
  await t.close();
});

type Entry = {
  action: string;
  outcome: string;
  code: string | null;
  actorName: string | null;
  meetingId: string | null;
  details: Record<string, unknown>;
};
const entries = async (q = ''): Promise<Entry[]> => (await admin.get(`/api/admin/audit${q}`)).json().entries;

describe('audit trail', () => {
  it('records administrative writes, refusals and failed logins — never passwords', async () => {
    const made = await admin.post('/api/meetings', { title: 'Họp kiểm toán' });
    // the demo chair is an organiser (issue 21): a plain delegate is the one refused
    await (await session(t.app, 'delegate1')).post('/api/meetings', { title: 'Không được phép' });
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'secretary', password: 'sai-mat-khau-123' },
    });
    await admin.post(`/api/meetings/${made.json().id}/members`, { username: 'delegate1', role: 'participant' });

    // the audit row is written after the response has gone (plugins/audit.ts): on PostgreSQL the
    // last one may land a moment after the request returned
    await expect
      .poll(async () => (await entries()).some((e) => e.action === 'POST /api/meetings/:id/members'), { timeout: 5000 })
      .toBe(true);
    const log = await entries();
    expect(log.find((e) => e.action === 'POST /api/meetings' && e.outcome === 'ok')?.actorName).toBe('admin');
    expect(log.find((e) => e.action === 'POST /api/meetings' && e.outcome === 'refused')).toMatchObject({
      actorName: 'delegate1',
      code: '403',
    });
    expect(log.find((e) => e.action === 'POST /api/auth/login' && e.outcome === 'refused')).toMatchObject({
      actorName: 'secretary',
      code: '401',
    });
    expect(log.find((e) => e.action === 'POST /api/meetings/:id/members')).toMatchObject({
      outcome: 'ok',
      meetingId: made.json().id,
    });
    const raw = JSON.stringify(await t.app.database.read((q, tt) => q.select().from(tt.auditLog)));
    expect(raw).not.toContain('sai-mat-khau-123');
    expect(raw).not.toContain('demo1234');
  });

  it('records refused socket commands, throttled per socket', async () => {
    const s = await connect(t.url, { cookie: await httpLogin(t.url, 'delegate2') });
    await join(s, mid);
    const ack = await command(s, mid, 'meeting.start', {});
    expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    let refused = (await entries(`?meetingId=${mid}&outcome=refused`)).filter((e) => e.action === 'command meeting.start');
    expect(refused[0]).toMatchObject({ actorName: 'delegate2', code: 'FORBIDDEN' });
    for (let i = 0; i < 60; i++) await rawCommand(s, { id: `junk-${i}`, meetingId: mid, type: 'meeting.start', payload: 'x' });
    refused = (await entries(`?meetingId=${mid}&outcome=refused&limit=1000`)).filter((e) => e.actorName === 'delegate2');
    expect(refused.length).toBeLessThanOrEqual(20);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    s.close();
  });

  it('is for administrators only, and validates its query', async () => {
    expect((await chair.get('/api/admin/audit')).statusCode).toBe(403);
    expect((await admin.get('/api/admin/audit?limit=abc')).statusCode).toBe(400);
    expect((await admin.get('/api/admin/audit?limit=2')).json().entries).toHaveLength(2);
  });
});
