// Picks the database from the configuration: SQLite in DATA_DIR by default, PostgreSQL when
// DATABASE_URL is postgres://…. The services move to the asynchronous Store (server/db/store.ts);
// until every module is converted, PostgreSQL serves only with PG_PREVIEW=1 (developers, the
// TEST_DB=pg pass): the synchronous SQLite handle `db` does not exist there, and any code still
// reaching for it fails loudly (plugins/context.ts) instead of writing somewhere else.
import type { Config } from '../config';
import { openDb, type Db } from './client';
import { SqliteStore, type Store } from './store';

export class StoreNotSupportedError extends Error {}

/** The URL without its password, for messages and logs. */
export const redactUrl = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

export interface OpenedStore {
  /** the synchronous SQLite connection of the code not yet converted; null on PostgreSQL */
  db: Db | null;
  database: Store;
}

export async function openStore(config: Pick<Config, 'dataDir' | 'databaseUrl' | 'pgPreview'>): Promise<OpenedStore> {
  const url = config.databaseUrl;
  if (url === undefined) {
    const db = openDb(config.dataDir);
    return { db, database: new SqliteStore(db) };
  }
  // the PostgreSQL client (pg, ~14 MB) is loaded only when DATABASE_URL asks for it
  const { isPostgresUrl, openPg } = await import('./client-pg');
  if (!isPostgresUrl(url)) {
    throw new StoreNotSupportedError(
      `DATABASE_URL must be postgres://… (got ${redactUrl(url).slice(0, 80)}); unset it to use SQLite in DATA_DIR`,
    );
  }
  const pg = await openPg(url);
  if (!config.pgPreview) {
    await pg.$client.end();
    throw new StoreNotSupportedError(
      `DATABASE_URL selects PostgreSQL (${redactUrl(url)}): its schema is migrated, but this version serves meetings from SQLite only ` +
        '(parts of the server are not on the asynchronous store yet, docs/scale-out.md). Unset DATABASE_URL to use SQLite in DATA_DIR.',
    );
  }
  const { PgStore } = await import('./store-pg');
  return { db: null, database: new PgStore(pg) };
}
