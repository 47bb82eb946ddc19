// Login throttling (server/services/login-throttle.ts) on the real app and a real SQLite file:
// parallel guesses all count, the key is the normalised account, a stranger's failures never keep
// the owner out from another address, delays grow, the rule is shared by two processes' worth of
// app on one database, and an administrator sees and lifts a throttle (audited).
// The wall clock is frozen for the whole file (only `Date`; timers and I/O run for real): a delay
// can never run out between two logins however slow the machine is, so every count below is exact
// instead of depending on how long a password check takes under load.
import http from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session } from '../helpers/http';
import {
  ACCOUNT_FREE,
  ACCOUNT_SHARE_PER_SOURCE,
  PAIR_FREE,
  SOURCE_FREE,
  beginAttempt,
} from '../../server/services/login-throttle';
import { createUser } from '../../server/services/users';
import { AppError } from '../../server/errors';

let t: TestApp;
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-02T07:30:00Z'));
  t = await buildTestApp({ listen: true });
});
afterAll(async () => {
  await t.close();
  vi.useRealTimers();
});

const login = (app: TestApp['app'], username: string, password: string, from: string) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: from });

const throttleRow = async (app: TestApp['app'], key: string) => {
  const [row] = await app.database.read((q, t) =>
    q
      .select({ failures: t.loginThrottles.failures, blocked_until: t.loginThrottles.blockedUntil })
      .from(t.loginThrottles)
      .where(eq(t.loginThrottles.key, key)),
  );
  return row;
};

/** A login over a real TCP connection, from a chosen loopback address (127.0.0.0/8 is all local). */
function realLogin(
  url: string,
  username: string,
  password: string,
  localAddress: string,
): Promise<{ status: number; retryAfter?: string }> {
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/api/auth/login`,
      {
        method: 'POST',
        localAddress,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('login throttling', () => {
  it('counts every one of many parallel wrong guesses (app.inject): only the free ones reach the password check', async () => {
    const res = await Promise.all(Array.from({ length: 60 }, (_, i) => login(t.app, 'delegate3', `wrong-${i}`, '10.1.0.1')));
    const codes = res.map((r) => r.statusCode);
    const throttled = res.filter((r) => r.statusCode === 429);
    console.log(
      `[throttle] 60 parallel wrong guesses (inject): ${codes.filter((c) => c === 401).length} checked (401), ${throttled.length} refused 429; pair row ${JSON.stringify(await throttleRow(t.app, 'pair:delegate3|10.1.0.1'))}`,
    );
    // exactly PAIR_FREE get through (the clock is frozen: no delay runs out during the burst)
    const checked = codes.filter((c) => c === 401).length;
    expect(checked).toBe(PAIR_FREE);
    expect(throttled).toHaveLength(60 - checked);
    for (const r of throttled) {
      expect(r.json().error.code).toBe('LOGIN_THROTTLED');
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // every guess that was checked is counted (before: each read 0 and wrote 1)
    expect((await throttleRow(t.app, 'pair:delegate3|10.1.0.1'))?.failures).toBe(checked);
    // even the right password waits now, from that address
    expect((await login(t.app, 'delegate3', 'demo1234', '10.1.0.1')).statusCode).toBe(429);
  });

  it('holds on a real listening server with 40 concurrent connections', async () => {
    const res = await Promise.all(Array.from({ length: 40 }, (_, i) => realLogin(t.url, 'delegate4', `bad-${i}`, '127.0.0.7')));
    const checked = res.filter((r) => r.status === 401).length;
    const refused = res.filter((r) => r.status === 429);
    console.log(
      `[throttle] 40 concurrent wrong guesses over TCP: ${checked} checked (401), ${refused.length} refused 429 (Retry-After ${refused[0]?.retryAfter} s)`,
    );
    expect(checked).toBe(PAIR_FREE);
    expect(refused).toHaveLength(40 - checked);
    expect((await throttleRow(t.app, 'pair:delegate4|127.0.0.7'))?.failures).toBe(checked);
    expect(refused.every((r) => Number(r.retryAfter) >= 1)).toBe(true);
    // the owner, from another address, is not slowed at all
    expect((await realLogin(t.url, 'delegate4', 'demo1234', '127.0.0.8')).status).toBe(200);
  });

  it('keys on the normalised account: " chair", "chair\\t", "CHAIR" share one count', async () => {
    const from = '10.1.0.2';
    const variants = [' secretary', 'secretary\t', 'SECRETARY', ' Secretary ', 'secretary'];
    for (const username of variants) expect((await login(t.app, username, 'wrong', from)).statusCode).toBe(401);
    const next = await login(t.app, '\tsecretary  ', 'wrong', from);
    expect(next.statusCode).toBe(429);
    expect(next.json().error.code).toBe('LOGIN_THROTTLED');
  });

  it('the per-process flood guard (LOGIN_RATE_LIMIT) also keys on the normalised name', async () => {
    const limited = await buildTestApp({ config: { loginRateLimitPerMinute: 3 } });
    try {
      const codes = [];
      for (const username of ['chair', ' chair', 'chair\t', 'CHAIR'])
        codes.push((await login(limited.app, username, 'x', '10.1.0.3')).statusCode);
      expect(codes).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  it('50 failures on chair from one address, then the chair logs in at once from another', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 50; i++) codes.push((await login(t.app, 'chair', `guess-${i}`, '203.0.113.66')).statusCode);
    console.log(
      `[throttle] 50 sequential failures on chair from one address: ${codes.filter((c) => c === 401).length}×401, ${codes.filter((c) => c === 429).length}×429`,
    );
    expect(codes.filter((c) => c === 401)).toHaveLength(PAIR_FREE);
    const attacker = await login(t.app, 'chair', 'demo1234', '203.0.113.66');
    expect(attacker.statusCode).toBe(429);
    expect(Number(attacker.headers['retry-after'])).toBeGreaterThan(0);
    const owner = await login(t.app, 'chair', 'demo1234', '198.51.100.7');
    expect(owner.statusCode).toBe(200);
  });

  it('an office behind one address logs in all at once without slowing itself', async () => {
    const office = Array.from({ length: 40 }, (_, i) => `phong${String(i).padStart(2, '0')}`);
    await Promise.all(
      office.map((username) => createUser(t.app.database, { username, fullName: `Cán bộ ${username}`, password: 'demo1234' })),
    );
    const res = await Promise.all(office.map((username) => login(t.app, username, 'demo1234', '10.10.0.1')));
    expect(res.map((r) => r.statusCode)).toEqual(office.map(() => 200));
  });

  it('an address spraying many accounts is slowed once its own failures pass SOURCE_FREE', async () => {
    const codes: number[] = [];
    for (let i = 0; i < SOURCE_FREE + 3; i++) codes.push((await login(t.app, `spray${i}`, 'x', '10.11.0.1')).statusCode);
    expect(codes.slice(0, SOURCE_FREE)).toEqual(Array(SOURCE_FREE).fill(401));
    expect(codes.at(-1)).toBe(429);
    // the same address's other users wait too (that is what a per-address limit is), another address does not
    expect((await login(t.app, 'observer1', 'x', '10.11.0.2')).statusCode).toBe(401);
  });

  it('delays double per further failure and are capped (the service, on the real database)', async () => {
    const db = t.app.database;
    let now = Date.parse('2026-01-01T08:00:00Z');
    const waits: number[] = [];
    for (let i = 0; i < 16; i++) {
      try {
        await beginAttempt(db, 'growth', '10.9.9.9', now);
        // a failure: the ticket is never given back
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        const wait = ((e as AppError).details as { retryAfterSeconds: number }).retryAfterSeconds;
        waits.push(wait);
        now += wait * 1000; // the caller waits exactly as long as told, then tries again
        await beginAttempt(db, 'growth', '10.9.9.9', now);
      }
    }
    console.log(`[throttle] successive waits for one pair (s): ${waits.join(', ')}`);
    expect(waits.slice(0, 6)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(Math.max(...waits)).toBeLessThanOrEqual(15 * 60);
  });

  it('one stranger cannot trip the account-wide limit; many can slow unknown addresses but not a trusted one', async () => {
    // delegate5 has logged in from 10.2.0.1 before: that address is trusted for the account
    expect((await login(t.app, 'delegate5', 'demo1234', '10.2.0.1')).statusCode).toBe(200);
    const sources = Math.ceil(ACCOUNT_FREE / ACCOUNT_SHARE_PER_SOURCE);
    // one address alone: its pair throttles, the account counter takes only its share
    for (let i = 0; i < 20; i++) await login(t.app, 'delegate5', 'x', '10.3.0.1');
    expect((await throttleRow(t.app, 'account:delegate5'))?.failures).toBe(ACCOUNT_SHARE_PER_SOURCE);
    expect((await login(t.app, 'delegate5', 'demo1234', '10.4.0.1')).statusCode).toBe(200); // a new address is not slowed
    // a spread-out attack from many addresses
    for (let s = 2; s <= sources + 1; s++) {
      for (let i = 0; i < ACCOUNT_SHARE_PER_SOURCE; i++) await login(t.app, 'delegate5', 'x', `10.3.0.${s}`);
    }
    expect((await throttleRow(t.app, 'account:delegate5'))?.blocked_until).not.toBeNull();
    const unknown = await login(t.app, 'delegate5', 'demo1234', '10.5.0.1');
    expect(unknown.statusCode).toBe(429);
    expect((await login(t.app, 'delegate5', 'demo1234', '10.2.0.1')).statusCode).toBe(200); // trusted
  });

  it('answers an unknown account exactly like a known one', async () => {
    const seq = async (username: string, from: string) => {
      const out: string[] = [];
      for (let i = 0; i < PAIR_FREE + 2; i++) {
        const r = await login(t.app, username, 'x', from);
        out.push(`${r.statusCode}:${r.json().error.code}:${r.headers['retry-after'] ?? '-'}`);
      }
      return out;
    };
    expect(await seq('nobody-here', '10.6.0.1')).toEqual(await seq('observer1', '10.6.0.2'));
  });

  it('the rule holds across processes: two apps on one database share the counts', async () => {
    const other = await buildTestApp({ dataDir: t.dataDir, seed: false });
    try {
      const from = '10.7.0.1';
      const first = await Promise.all(
        Array.from({ length: 10 }, (_, i) => login(i % 2 ? other.app : t.app, 'secretary', 'x', from)),
      );
      expect(first.filter((r) => r.statusCode === 401)).toHaveLength(PAIR_FREE);
      expect((await login(other.app, 'secretary', 'demo1234', from)).statusCode).toBe(429);
      expect((await login(t.app, 'secretary', 'demo1234', from)).statusCode).toBe(429);
    } finally {
      await other.close();
    }
  });
});

describe('administrators and login throttles', () => {
  it('lists current throttles and lifts one; the lift is audited; others may not', async () => {
    const from = '10.8.0.1';
    for (let i = 0; i < PAIR_FREE; i++) await login(t.app, 'delegate2', 'x', from);
    expect((await login(t.app, 'delegate2', 'demo1234', from)).statusCode).toBe(429);

    const admin = await session(t.app, 'admin');
    const list = await admin.get('/api/admin/login-throttles');
    expect(list.statusCode).toBe(200);
    const row = list.json().throttles.find((r: { key: string }) => r.key === `pair:delegate2|${from}`);
    expect(row).toMatchObject({ kind: 'pair', account: 'delegate2', source: from, failures: PAIR_FREE });
    expect(Date.parse(row.blockedUntil)).toBeGreaterThan(Date.now());
    expect(list.json().throttles.some((r: { kind: string }) => r.kind === ('trusted' as string))).toBe(false);

    const chair = await session(t.app, 'chair', 'demo1234');
    const denied = await chair.del(`/api/admin/login-throttles/${encodeURIComponent(row.key)}`);
    expect(denied.statusCode).toBe(403);
    expect(await throttleRow(t.app, row.key)).toBeDefined();

    // one millisecond on, so the lift is the newest audit row (rows of one instant have no order)
    vi.setSystemTime(Date.now() + 1);
    const lifted = await admin.del(`/api/admin/login-throttles/${encodeURIComponent(row.key)}`);
    expect(lifted.statusCode).toBe(204);
    expect((await login(t.app, 'delegate2', 'demo1234', from)).statusCode).toBe(200);
    const audit = (await admin.get('/api/admin/audit?limit=20')).json().entries as {
      action: string;
      details: { key?: string };
    }[];
    expect(audit.find((e) => e.action === 'login-throttle.lift')?.details.key).toBe(row.key);

    expect((await admin.del(`/api/admin/login-throttles/${encodeURIComponent(row.key)}`)).statusCode).toBe(404);
    expect((await admin.del('/api/admin/login-throttles/trusted%3Adelegate2%7C10.8.0.1')).statusCode).toBe(400);
  });
});
