// The asynchronous store (server/db/store.ts, store-pg.ts) on a real SQLite file and a real
// PostgreSQL cluster (tests/helpers/postgres.ts), the same cases on both: commit, rollback, the
// write that another flow's rollback must not swallow, savepoints, read-modify-write under
// concurrency (the advisory lock on PostgreSQL, across two pools = two processes), unique
// violations recognised, and the converted login throttle (services/login-throttle.ts) on both.
// Last, PostgreSQL stopped: DATABASE_UNAVAILABLE (503), a clear retryable code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../server/db/client';
import { openPg } from '../../server/db/client-pg';
import { PgStore } from '../../server/db/store-pg';
import { SqliteStore, isUniqueViolation, type Query, type Store } from '../../server/db/store';
import { AppError } from '../../server/errors';
import { PAIR_FREE, attemptFailed, beginAttempt, listThrottles } from '../../server/services/login-throttle';
import { startPostgres, type PgCluster } from '../helpers/postgres';

let cluster: PgCluster;
let dataDir: string;
let sqliteDb: Db;
const stores: Record<'sqlite' | 'pg', Store> = {} as never;
let pgOther: PgStore; // a second pool on the same database: another process
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-store-'));
  sqliteDb = openDb(dataDir);
  stores.sqlite = new SqliteStore(sqliteDb);
  cluster = await startPostgres();
  stores.pg = new PgStore(await openPg(cluster.url));
  pgOther = new PgStore(await openPg(cluster.url));
}, 120_000);
afterAll(async () => {
  await stores.sqlite?.close();
  sqliteDb?.$client.close();
  await stores.pg?.close().catch(() => {});
  await pgOther?.close().catch(() => {});
  cluster?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const at = '2026-01-01T00:00:00.000Z';
const far = '2099-01-01T00:00:00.000Z';
/** a row in login_throttles: a simple keyed table both schemas have */
const put = (s: Store, q: Query, key: string, failures = 0) =>
  q.insert(s.tables.loginThrottles).values({ key, kind: 'pair', failures, expiresAt: far, updatedAt: at });
const failuresOf = async (s: Store, key: string) => {
  const rows = await s.read((q) =>
    q.select({ f: s.tables.loginThrottles.failures }).from(s.tables.loginThrottles).where(eq(s.tables.loginThrottles.key, key)),
  );
  return rows[0]?.f;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(['sqlite', 'pg'] as const)('store on %s', (dialect) => {
  const s = () => stores[dialect];

  it('commits a write; a read outside it sees it only after the commit', async () => {
    const key = `${dialect}:commit`;
    let seenInside: number | undefined = -1;
    await s().write(null, async (q) => {
      await put(s(), q, key, 7);
      seenInside = await failuresOf(s(), key); // another connection: not committed yet
    });
    expect(seenInside).toBeUndefined();
    expect(await failuresOf(s(), key)).toBe(7);
  });

  it('a throw rolls the whole write back and is rethrown', async () => {
    const key = `${dialect}:rollback`;
    await expect(
      s().write(null, async (q) => {
        await put(s(), q, key, 1);
        throw new AppError('INVALID', 'no');
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    expect(await failuresOf(s(), key)).toBeUndefined();
  });

  it("another flow's write during an open transaction is not swallowed by that transaction's rollback", async () => {
    const a = `${dialect}:swallow-a`;
    const b = `${dialect}:swallow-b`;
    const first = s().write('m1', async (q) => {
      await put(s(), q, a, 1);
      await sleep(30); // real I/O wait: other flows run meanwhile
      throw new Error('refused');
    });
    await sleep(5);
    const second = s().write('m1', async (q) => {
      await put(s(), q, b, 2);
    });
    await expect(first).rejects.toThrow('refused');
    await second;
    expect(await failuresOf(s(), a)).toBeUndefined();
    expect(await failuresOf(s(), b)).toBe(2);
  });

  it('savepoints: a refused part rolls back alone, the rest commits', async () => {
    const keys = [1, 2, 3].map((i) => `${dialect}:sp${i}`);
    const outcome = await s().write('m2', async (q) => {
      const out: string[] = [];
      for (const [i, key] of keys.entries()) {
        try {
          await s().savepoint(q, async () => {
            await put(s(), q, key, i);
            if (i === 1) throw new AppError('FORBIDDEN', 'not this one');
          });
          out.push('ok');
        } catch (e) {
          out.push((e as AppError).code);
        }
      }
      return out;
    });
    expect(outcome).toEqual(['ok', 'FORBIDDEN', 'ok']);
    expect(await Promise.all(keys.map((k) => failuresOf(s(), k)))).toEqual([0, undefined, 2]);
  });

  it('a unique violation is recognised, and a savepoint keeps the transaction usable after it', async () => {
    const key = `${dialect}:unique`;
    await s().write(null, (q) => put(s(), q, key));
    const err = await s()
      .write(null, (q) => put(s(), q, key))
      .catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(new Error('other'))).toBe(false);
    // inside one transaction: the repeat fails under its savepoint, the next statement still runs
    const after = `${dialect}:unique-after`;
    await s().write(null, async (q) => {
      const again = await s()
        .savepoint(q, () => put(s(), q, key))
        .catch((e: unknown) => e);
      expect(isUniqueViolation(again)).toBe(true);
      await put(s(), q, after, 3);
    });
    expect(await failuresOf(s(), after)).toBe(3);
  });

  it('read-modify-write by 40 concurrent writes of one key (half from another pool on pg) loses none', async () => {
    const key = `${dialect}:counter`;
    await s().write(null, (q) => put(s(), q, key, 0));
    const other = dialect === 'pg' ? pgOther : s();
    const t = s().tables.loginThrottles;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? other : s()).write('meeting-x', async (q) => {
          const [row] = await q.select({ f: t.failures }).from(t).where(eq(t.key, key));
          await sleep(1); // widen the window a lost update would need
          await q
            .update(t)
            .set({ failures: row!.f + 1 })
            .where(eq(t.key, key));
        }),
      ),
    );
    expect(await failuresOf(s(), key)).toBe(40);
  });

  it('the converted login throttle: parallel guesses on one pair all count, the sixth waits', async () => {
    const other = dialect === 'pg' ? pgOther : s();
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => beginAttempt(i % 2 ? other : s(), `Guess-${dialect}`, '10.0.0.9')),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(results.length - refused.length).toBe(PAIR_FREE);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'LOGIN_THROTTLED' });
    expect(await failuresOf(s(), `pair:guess-${dialect}|10.0.0.9`)).toBe(PAIR_FREE);
    const listed = await listThrottles(s());
    expect(listed.find((r) => r.key === `pair:guess-${dialect}|10.0.0.9`)?.blockedUntil).toBeTruthy();
  });
});

describe('PostgreSQL specifics', () => {
  it('counting on expired rows while other failures sweep them: no deadlock, every count lands', async () => {
    const s = stores.pg;
    const past = '2020-01-01T00:00:00.000Z';
    const errors: unknown[] = [];
    for (let round = 0; round < 5; round++) {
      const accounts = Array.from({ length: 20 }, (_, i) => `sweep${round}-${i}`);
      // expired counters of each account, as stale rows are left behind: the account-wide row
      // older than the pair's (another address counted first), so a sweep in index order meets them
      // in the opposite order to a count (pair, then account)
      await s.write(null, async (q) => {
        for (const a of accounts) {
          await q.insert(s.tables.loginThrottles).values([
            { key: `account:${a}`, kind: 'account', account: a, failures: 9, expiresAt: past, updatedAt: past },
            {
              key: `pair:${a}|10.20.0.1`,
              kind: 'pair',
              account: a,
              source: '10.20.0.1',
              failures: 9,
              expiresAt: past,
              updatedAt: past,
            },
          ]);
        }
      });
      const ticket = { account: 'someone', source: `10.21.0.${round}`, countedOnAccount: false };
      const work = accounts.flatMap((a, i) => [
        beginAttempt(i % 2 ? pgOther : s, a, '10.20.0.1'),
        attemptFailed(i % 2 ? s : pgOther, ticket),
      ]);
      for (const r of await Promise.allSettled(work)) if (r.status === 'rejected') errors.push(r.reason);
      // each expired pair row started again from one (the sweep may have deleted it first: then one too)
      for (const a of accounts) expect(await failuresOf(s, `pair:${a}|10.20.0.1`)).toBe(1);
    }
    expect(errors).toEqual([]);
  });
});

describe('PostgreSQL down', () => {
  it('a write whose server goes away is DATABASE_UNAVAILABLE (503); so are the next write and a read', async () => {
    const s = stores.pg;
    const key = 'pg:down';
    // a write whose connection dies mid-transaction: the server shuts down under it
    const pending = s
      .write('m-down', async (q) => {
        await put(s, q, key, 1);
        await sleep(300);
        await q.select().from(s.tables.loginThrottles).where(eq(s.tables.loginThrottles.key, key));
      })
      .catch((e: unknown) => e);
    await sleep(50);
    cluster.stop();
    const err = await pending;
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('DATABASE_UNAVAILABLE');
    expect((err as AppError).status).toBe(503);
    const next = await s.write(null, (q) => put(s, q, 'pg:after')).catch((e: unknown) => e);
    expect((next as AppError).code).toBe('DATABASE_UNAVAILABLE');
    const read = await s.read((q) => q.select().from(s.tables.loginThrottles)).catch((e: unknown) => e);
    expect((read as AppError).code).toBe('DATABASE_UNAVAILABLE');
  });
});
