// The PostgreSQL store (store.ts says what a Store is). A write takes a pooled connection, BEGIN,
// then `pg_advisory_xact_lock` on its key: writes of one meeting wait for each other across every
// process, others run side by side, and COMMIT/ROLLBACK (or a dead connection) releases the lock,
// so nothing leaks. Savepoints are Drizzle's nested transactions on that same connection.
// A database that cannot be reached (refused, restarted, shut down) is DATABASE_UNAVAILABLE (503,
// retryable): the transaction did not commit, nothing is half-written.
import { sql, type SQL } from 'drizzle-orm';
import type { PgTransaction } from 'drizzle-orm/pg-core';
import * as schemaPg from './schema-pg';
import type { PgDb } from './client-pg';
import type { Query, Store, Tables } from './store';
import { AppError } from '../errors';

/** The advisory lock of writes whose key is null (any fixed 64-bit number, not MIGRATION_LOCK_KEY). */
export const GLOBAL_WRITE_LOCK_KEY = 0x486f705772; // "HopWr"

// SQLSTATE classes and codes that mean "the server is not there", not "your query is wrong":
// 08 connection exception, 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now,
// 53300 too_many_connections; and the socket errors of node-postgres.
const UNAVAILABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

export function isUnavailable(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
    // node-postgres's own words when the socket closes under a query or a checkout
    if (
      typeof e.message === 'string' &&
      /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(e.message)
    )
      return true;
  }
  return false;
}

const unavailable = (err: unknown) =>
  isUnavailable(err) ? new AppError('DATABASE_UNAVAILABLE', 'The database cannot be reached; try again shortly') : err;

/**
 * Drizzle's pg builder stands in for the SQLite one: the tables are the pg mirror (same keys,
 * same column names, the parity test guarantees it), the query methods the services use are the
 * same, so this is the one place where the types are bent.
 */
const tablesPg = schemaPg as unknown as Tables;

const SAVEPOINT = sql.raw('SAVEPOINT hopso_batch');
const ROLLBACK_TO = sql.raw('ROLLBACK TO SAVEPOINT hopso_batch');

export class PgStore implements Store {
  readonly dialect = 'pg' as const;
  readonly tables = tablesPg;

  constructor(readonly db: PgDb) {}

  async read<T>(fn: (q: Query, t: Tables) => Promise<T>): Promise<T> {
    try {
      return await fn(this.db as unknown as Query, this.tables);
    } catch (err) {
      throw unavailable(err);
    }
  }

  async write<T>(lockKey: string | null, fn: (tx: Query, t: Tables) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(async (tx) => {
        await tx.execute(
          lockKey === null
            ? sql`SELECT pg_advisory_xact_lock(${GLOBAL_WRITE_LOCK_KEY})`
            : sql`SELECT pg_advisory_xact_lock(hashtext(${lockKey}))`,
        );
        return fn(tx as unknown as Query, this.tables);
      });
    } catch (err) {
      throw unavailable(err);
    }
  }

  async savepoint<T>(tx: Query, fn: () => Promise<T>): Promise<T> {
    // a nested Drizzle transaction is SAVEPOINT … RELEASE / ROLLBACK TO on the same connection
    return (tx as unknown as PgTransaction<never, never, never>).transaction(() => fn());
  }

  /**
   * One statement per command instead of two: SAVEPOINT, and ROLLBACK TO only on a throw, never
   * RELEASE. The savepoints of a batch nest (one name: ROLLBACK TO goes back to the most recent,
   * this command's, and keeps it), and COMMIT keeps what they hold. The server has as many
   * subtransactions as with RELEASE: a released one that wrote keeps its id until the commit.
   */
  async batchSavepoint<T>(tx: Query, fn: () => Promise<T>): Promise<T> {
    const q = tx as unknown as PgDb;
    await q.execute(SAVEPOINT);
    try {
      return await fn();
    } catch (err) {
      await q.execute(ROLLBACK_TO);
      throw err;
    }
  }

  async execute(q: Query, statement: SQL): Promise<void> {
    try {
      await (q as unknown as PgDb).execute(statement);
    } catch (err) {
      throw unavailable(err);
    }
  }

  async close(): Promise<void> {
    await this.db.$client.end();
  }
}
