// The device key (GET /api/me/device-key): what the client encrypts vote receipts with before they
// touch localStorage (client/src/votes/receipts.ts). One per account, the same at every sign-in,
// another account's different, never without a session, never cached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { client, session } from '../helpers/http';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('device key', () => {
  it('is 32 bytes per account, stable across sign-ins, different between accounts, no-store', async () => {
    const a1 = await (await session(t.app, 'delegate1')).get('/api/me/device-key');
    const a2 = await (await session(t.app, 'delegate1')).get('/api/me/device-key');
    const b = await (await session(t.app, 'delegate2')).get('/api/me/device-key');
    expect(a1.statusCode).toBe(200);
    expect(a1.headers['cache-control']).toBe('no-store');
    expect(Buffer.from(a1.json().key, 'base64url').length).toBe(32);
    expect(a2.json().key).toBe(a1.json().key);
    expect(b.json().key).not.toBe(a1.json().key);
  });

  it('is refused without a session', async () => {
    const r = await client(t.app).get('/api/me/device-key');
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('UNAUTHENTICATED');
    const forged = await client(t.app, 'hs_session=forged').get('/api/me/device-key');
    expect(forged.statusCode).toBe(401);
  });
});
