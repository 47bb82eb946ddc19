// Display settings (issue 19): kept per user on the server, one's own only, validated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session } from '../helpers/http';

describe('GET/PUT /api/me/settings', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('starts off, is saved per user and follows them to a new session', async () => {
    const d1 = await session(t.app, 'delegate1');
    expect((await d1.get('/api/me/settings')).json()).toEqual({ largeText: false, highContrast: false });
    const put = await d1.put('/api/me/settings', { largeText: true, highContrast: true });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ largeText: true, highContrast: true });
    const again = await session(t.app, 'delegate1'); // another device
    expect((await again.get('/api/me/settings')).json()).toEqual({ largeText: true, highContrast: true });
    // someone else's settings did not change
    const d2 = await session(t.app, 'delegate2');
    expect((await d2.get('/api/me/settings')).json()).toEqual({ largeText: false, highContrast: false });
  });

  it('refuses a malformed body with 400 and changes nothing', async () => {
    const d2 = await session(t.app, 'delegate2');
    for (const body of [
      { largeText: 'yes', highContrast: false },
      { largeText: true },
      { largeText: true, highContrast: true, fontSize: 300 },
    ]) {
      const res = await d2.put('/api/me/settings', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBeTypeOf('string');
    }
    expect((await d2.get('/api/me/settings')).json()).toEqual({ largeText: false, highContrast: false });
  });

  it('needs a login', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/me/settings' })).statusCode).toBe(401);
  });
});
