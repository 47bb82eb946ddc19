// One native better-sqlite3 transaction function per database. Drizzle's `db.transaction` builds a
// whole query-builder object per call, a measurable share of a stroke; inside this transaction the
// database itself is the handle (better-sqlite3 runs every statement of the connection inside the
// open transaction) and statements prepared once (prepared.ts) commit or roll back with it.
// Nested calls become savepoints. A thrown error rolls back and is rethrown.
import type { Db } from './client';
import { perDb } from './prepared';
import { asyncWriteOpen } from './store';
import { AppError } from '../errors';

const nativeTransaction = perDb((db) => db.$client.transaction((fn: () => unknown) => fn()));

export function inTransaction<T>(db: Db, fn: () => T): T {
  return nativeTransaction(db)(fn) as T;
}

/**
 * A transaction that reads, then writes what the reads allowed: BEGIN IMMEDIATE takes the write
 * lock first (waiting up to busy_timeout), because in WAL a deferred transaction whose snapshot
 * another process committed past cannot upgrade to a writer (SQLITE_BUSY_SNAPSHOT, no waiting).
 */
export function inWriteTransaction<T>(db: Db, fn: () => T): T {
  // While services move to the asynchronous store (store.ts), a synchronous write can run from a
  // microtask while an asynchronous write transaction is open on this connection: it would become a
  // savepoint of that transaction and vanish with its rollback. Refused (retryable) instead.
  if (asyncWriteOpen.has(db)) throw new AppError('DATABASE_UNAVAILABLE', 'The database is busy with another write; try again');
  return nativeTransaction(db).immediate(fn) as T;
}
