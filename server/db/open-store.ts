// Picks the database from the configuration: SQLite in DATA_DIR by default, PostgreSQL when
// DATABASE_URL is postgres://…. Every service reads and writes through the asynchronous Store
// (server/db/store.ts) on either. The synchronous SQLite handle `db` does not exist on PostgreSQL:
// anything reaching for it fails loudly (db/unconverted.ts) instead of writing somewhere else.
import type { Config } from '../config';
import { openDb, type Db } from './client';
import { SqliteStore, type Store } from './store';
import { scrubPgAtStart } from './scrub';

/** The configured database cannot be used: main.ts prints the message as one line. */
export class DatabaseOpenError extends Error {}

/** The URL without its password, for messages and logs. */
export const redactUrl = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

export interface OpenedStore {
  /** the synchronous SQLite connection (the live hot reads, live/hot-reads.ts); null on PostgreSQL */
  db: Db | null;
  database: Store;
}

export async function openStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<OpenedStore> {
  const url = config.databaseUrl;
  if (url === undefined) {
    const db = openDb(config.dataDir);
    return { db, database: new SqliteStore(db) };
  }
  // the PostgreSQL client (pg, ~14 MB) is loaded only when DATABASE_URL asks for it
  const { isPostgresUrl, openPg } = await import('./client-pg');
  if (!isPostgresUrl(url)) {
    throw new DatabaseOpenError(
      `DATABASE_URL must be postgres://… (got ${redactUrl(url).slice(0, 80)}); unset it to use SQLite in DATA_DIR`,
    );
  }
  let pg;
  try {
    pg = await openPg(url);
  } catch (err) {
    // unreachable, refused login, no such database, a failed migration: one line an operator can act
    // on (main.ts prints it without a stack trace); node-postgres's messages never hold the password
    const e = err as { code?: string; message?: string };
    const message = String(e.message || err).split('\n')[0]!;
    const code = e.code && !message.includes(e.code) ? ` (${e.code})` : '';
    throw new DatabaseOpenError(`cannot open PostgreSQL at ${redactUrl(url)}: ${message}${code}`);
  }
  const { PgStore } = await import('./store-pg');
  const database = new PgStore(pg);
  // a secret vote's key left behind by a process that died before its rewrite (scrub-pg.ts)
  // (one quick query here; the rewrite itself goes on in the background)
  await scrubPgAtStart(database).catch(() => {});
  return { db: null, database };
}
