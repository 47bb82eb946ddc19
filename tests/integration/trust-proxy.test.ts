// Behind nginx every request comes from 127.0.0.1. With TRUST_PROXY naming the proxy, the audit
// trail (and the login limit keyed by address) sees the client's address from X-Forwarded-For;
// without it, the header is ignored, so a client cannot pick its own address.
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session } from '../helpers/http';

const apps: TestApp[] = [];
afterAll(async () => {
  for (const a of apps) await a.close();
});

async function auditedIp(trustProxy: string | false): Promise<unknown> {
  const t = await buildTestApp({ config: { trustProxy } });
  apps.push(t);
  await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: '127.0.0.1',
    headers: { 'x-forwarded-for': '203.0.113.7' },
    payload: { username: 'secretary', password: 'sai-mat-khau-123' },
  });
  const admin = await session(t.app, 'admin');
  const entries = (await admin.get('/api/admin/audit')).json().entries as {
    action: string;
    outcome: string;
    details: { ip?: string };
  }[];
  return entries.find((e) => e.action === 'POST /api/auth/login' && e.outcome === 'refused')?.details.ip;
}

describe('TRUST_PROXY', () => {
  it('the proxy named: the client address from X-Forwarded-For', async () => {
    expect(await auditedIp('127.0.0.1')).toBe('203.0.113.7');
  });
  it('no proxy named: the header is ignored', async () => {
    expect(await auditedIp(false)).toBe('127.0.0.1');
  });
});
