import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { asCookie, client } from '../helpers/http';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('auth', () => {
  it('logs in with the demo password and sets an httpOnly SameSite session cookie', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'chair', password: 'demo1234' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ username: 'chair', fullName: 'Nguyễn Văn An', isAdmin: false });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/hs_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const me = await client(t.app, asCookie(res)).get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('chair');
  });

  it('refuses a wrong password with 401 BAD_CREDENTIALS, and an unknown user the same way', async () => {
    for (const username of ['chair', 'nobody']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'wrong' } });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('BAD_CREDENTIALS');
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('answers 401 without a cookie and with a forged one', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/meetings' })).statusCode).toBe(401);
    const forged = await client(t.app, 'hs_session=forged-token').get('/api/meetings');
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('rotates the session id at login and the old one stops working', async () => {
    const first = asCookie(
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'delegate1', password: 'demo1234' } }),
    );
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: first },
      payload: { username: 'delegate1', password: 'demo1234' },
    });
    const secondCookie = asCookie(second);
    expect(secondCookie).not.toBe(first);
    expect((await client(t.app, first).get('/api/auth/me')).statusCode).toBe(401);
    expect((await client(t.app, secondCookie).get('/api/auth/me')).statusCode).toBe(200);
  });

  it('logout ends the session', async () => {
    const cookie = asCookie(
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'delegate2', password: 'demo1234' } }),
    );
    const out = await client(t.app, cookie).post('/api/auth/logout');
    expect(out.statusCode).toBe(204);
    expect((await client(t.app, cookie).get('/api/auth/me')).statusCode).toBe(401);
  });

  it('slows the address after repeated failures, even for the right password, but does not lock the account', async () => {
    for (let i = 0; i < 10; i++) {
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'delegate5', password: `bad${i}` } });
    }
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'delegate5', password: 'demo1234' },
    });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('LOGIN_THROTTLED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '192.0.2.10',
      payload: { username: 'delegate5', password: 'demo1234' },
    });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('rejects malformed login bodies with 400 INVALID', async () => {
    for (const payload of [
      {},
      { username: 'chair' },
      { username: 1, password: 2 },
      { username: 'chair', password: 'demo1234', extra: true },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INVALID');
    }
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{oops',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('INVALID');
  });

  it('refuses a state-changing request from another origin', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'https://evil.example', host: 'localhost:3000' },
      payload: { username: 'chair', password: 'demo1234' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('BAD_ORIGIN');
  });

  it('rate-limits login attempts per client and username', async () => {
    const limited = await buildTestApp({ seed: true, config: { loginRateLimitPerMinute: 3 } });
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) {
        codes.push(
          (await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'chair', password: 'x' } }))
            .statusCode,
        );
      }
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes[4]).toBe(429);
      // another account from the same client is not blocked by chair's attempts
      const other = await limited.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'secretary', password: 'demo1234' },
      });
      expect(other.statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('system endpoints', () => {
  it('health and OpenAPI are public', async () => {
    const h = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(h.json()).toEqual({ status: 'ok' });
    const oa = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(oa.statusCode).toBe(200);
    const doc = oa.json();
    expect(doc.openapi).toMatch(/^3/);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/meetings', '/api/meetings/{id}/documents', '/api/documents/{id}/file']),
    );
  });

  it('unknown API paths answer a JSON 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['content-security-policy']).toMatch(/worker-src 'self' blob:/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
