// GET /api/version (no login): the live protocol the server speaks. The app compares it with its own
// (client/src/offline/UpdateBanner) so an app kept by the service worker is never used against a
// newer server without telling the user; the socket handshake refuses the old protocol the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/events';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { connect, httpLogin } from '../helpers/live-client';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ listen: true });
});
afterAll(async () => {
  await t.close();
});

describe('GET /api/version', () => {
  it('answers the protocol without a login, never cached', async () => {
    const r = await fetch(`${t.url}/api/version`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(await r.json()).toEqual({ protocol: PROTOCOL_VERSION });
  });

  it('a newer server says so, and refuses sockets of the old protocol with PROTOCOL_MISMATCH', async () => {
    const cookie = await httpLogin(t.url, 'delegate1');
    t.app.config.protocolVersion = PROTOCOL_VERSION + 1;
    try {
      expect(await (await fetch(`${t.url}/api/version`)).json()).toEqual({ protocol: PROTOCOL_VERSION + 1 });
      await expect(connect(t.url, { cookie, origin: t.url, auth: { protocol: PROTOCOL_VERSION } })).rejects.toThrow(/protocol/i);
    } finally {
      t.app.config.protocolVersion = undefined;
    }
    const ok = await connect(t.url, { cookie, origin: t.url, auth: { protocol: PROTOCOL_VERSION } });
    ok.close();
  });
});
