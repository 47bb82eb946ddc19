// One asynchronous store for both databases (docs/scale-out.md, "one asynchronous store"): the
// services build their queries with Drizzle's builder on `store.tables` and `await` them, and the
// store decides how a write is isolated:
//  - SQLite (this file): one writer connection, a process-wide async mutex around
//    BEGIN IMMEDIATE…COMMIT. With async code, another flow's microtasks can run between two
//    statements of an open transaction; on one connection its statements would land inside that
//    transaction and vanish with its rollback. So every write takes the mutex, and reads outside a
//    write go to a second, read-only connection (WAL: it sees only committed data).
//  - PostgreSQL (store-pg.ts): a pooled connection per write, BEGIN, a transaction-scoped advisory
//    lock on the key (the meeting), savepoints for group commit.
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { SQL } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import * as schema from './schema';
import type { Db } from './client';
import { AppError } from '../errors';

/** schema.ts and schema-pg.ts have the same keys and columns (tests/unit/schema-parity.test.ts). */
export type Tables = typeof schema;

/**
 * What a service queries through: Drizzle's SQLite builder typed in its async mode, so that every
 * query is awaited (`await q.select()…` gives the rows; take `[0]` for one row). On PostgreSQL the
 * object is a node-postgres Drizzle database cast to this type (store-pg.ts): use only what both
 * builders have — no `.get()`, `.all()`, `.run()`, `.values()` (they do not exist on pg).
 */
export type Query = BaseSQLiteDatabase<'async', unknown, Tables>;

export interface Store {
  readonly dialect: 'sqlite' | 'pg';
  readonly tables: Tables;
  /** Reads outside a transaction (committed data only). */
  read<T>(fn: (q: Query, t: Tables) => Promise<T>): Promise<T>;
  /**
   * One write transaction. `lockKey` orders the writes that must not interleave (a meeting's id;
   * null: every write of the database): on SQLite all writes are serialised anyway, on PostgreSQL
   * writes with the same key wait for each other (pg_advisory_xact_lock), across processes too.
   * A thrown error rolls the whole transaction back and is rethrown.
   */
  write<T>(lockKey: string | null, fn: (tx: Query, t: Tables) => Promise<T>): Promise<T>;
  /** Inside `write` only: `fn` under a savepoint; a throw rolls back to it only and is rethrown. */
  savepoint<T>(tx: Query, fn: () => Promise<T>): Promise<T>;
  /**
   * Inside `write` only: one command of a group commit under a savepoint of its own. Like
   * `savepoint`, a throw rolls back to it only and is rethrown; but a success is not released on
   * its own (COMMIT releases every savepoint of the transaction), where that saves a round trip.
   */
  batchSavepoint<T>(tx: Query, fn: () => Promise<T>): Promise<T>;
  /** A raw statement with no result rows (a dialect's own SQL: branch on `dialect` to build it). */
  execute(q: Query, statement: SQL): Promise<void>;
  close(): Promise<void>;
}

/** `build(store)` once per store (prepared statements, lookups): tests open many stores. */
export function perStore<T>(build: (store: Store) => T): (store: Store) => T {
  const cache = new WeakMap<Store, T>();
  return (store) => {
    let v = cache.get(store);
    if (v === undefined) {
      v = build(store);
      cache.set(store, v);
    }
    return v;
  };
}

/** Writer connections on which an asynchronous write transaction is open (savepoints check it). */
export const asyncWriteOpen = new WeakSet<Db>();

/**
 * A unique (or primary) key refused the row: on SQLite a SqliteError code, on PostgreSQL SQLSTATE
 * 23505, possibly wrapped by Drizzle (DrizzleQueryError.cause).
 */
export function isUniqueViolation(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    if (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  }
  return false;
}

/** A simple FIFO async mutex: one holder at a time, waiters in arrival order. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => {
      release = r;
    });
    const prev = this.tail;
    this.tail = prev.then(() => next);
    await prev;
    return release;
  }
}

export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly tables = schema;
  private readonly mutex = new Mutex();
  private readonly reader: Database.Database;
  private readonly readQuery: Query;
  private savepoints: { open: Database.Statement; release: Database.Statement; rollback: Database.Statement } | null = null;

  /**
   * `db` is the writer connection (client.ts openDb: migrated, pragmas set); besides the Store, only
   * the live hot reads (live/hot-reads.ts) use it directly, never to write.
   * `readConnection: false` reads on the writer connection (measured against).
   */
  constructor(
    readonly db: Db,
    opts: { readConnection?: boolean } = {},
  ) {
    if (opts.readConnection === false) {
      this.reader = db.$client;
      this.readQuery = db as unknown as Query;
    } else {
      this.reader = new Database(path.resolve(db.$client.name), { readonly: true, fileMustExist: true });
      this.reader.pragma('busy_timeout = 5000');
      this.readQuery = drizzle(this.reader, { schema }) as unknown as Query;
    }
  }

  read<T>(fn: (q: Query, t: Tables) => Promise<T>): Promise<T> {
    return fn(this.readQuery, this.tables);
  }

  async write<T>(_lockKey: string | null, fn: (tx: Query, t: Tables) => Promise<T>): Promise<T> {
    const release = await this.mutex.lock();
    const client = this.db.$client;
    try {
      client.exec('BEGIN IMMEDIATE');
      asyncWriteOpen.add(this.db);
      let result: T;
      try {
        result = await fn(this.db as unknown as Query, this.tables);
      } catch (err) {
        asyncWriteOpen.delete(this.db);
        // a failed COMMIT or a constraint error may already have ended the transaction
        if (client.inTransaction) client.exec('ROLLBACK');
        throw err;
      }
      asyncWriteOpen.delete(this.db);
      client.exec('COMMIT');
      return result;
    } finally {
      release();
    }
  }

  async savepoint<T>(_tx: Query, fn: () => Promise<T>): Promise<T> {
    const client = this.db.$client;
    if (!asyncWriteOpen.has(this.db)) throw new AppError('INTERNAL', 'savepoint outside a write transaction');
    // one name, statements prepared once (a group commit opens one per command; exec compiled the
    // SQL every time): SQLite's RELEASE and ROLLBACK TO act on the most recent savepoint of that
    // name, so nested savepoints unwind in order all the same
    const sp = this.savepointStatements();
    sp.open.run();
    try {
      const result = await fn();
      sp.release.run();
      return result;
    } catch (err) {
      if (client.inTransaction) {
        sp.rollback.run();
        sp.release.run();
      }
      throw err;
    }
  }

  /** SQLite: no round trip to save, and a released savepoint keeps the stack (and its journal) short */
  batchSavepoint<T>(tx: Query, fn: () => Promise<T>): Promise<T> {
    return this.savepoint(tx, fn);
  }

  private savepointStatements() {
    const c = this.db.$client;
    this.savepoints ??= {
      open: c.prepare('SAVEPOINT hopso_sp'),
      release: c.prepare('RELEASE hopso_sp'),
      rollback: c.prepare('ROLLBACK TO hopso_sp'),
    };
    return this.savepoints;
  }

  async execute(q: Query, statement: SQL): Promise<void> {
    await q.run(statement);
  }

  async close(): Promise<void> {
    if (this.reader !== this.db.$client && this.reader.open) this.reader.close();
  }
}
