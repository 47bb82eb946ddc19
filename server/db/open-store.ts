// Picks the database from the configuration: SQLite in DATA_DIR by default, PostgreSQL when
// DATABASE_URL is postgres://…. The services are still synchronous better-sqlite3 code, so for now
// PostgreSQL is migrated (which proves the URL, the credentials and the migrations) and then the
// start is refused with a message saying so; docs/scale-out.md plans the asynchronous store that
// lifts this.
import type { Config } from '../config';
import { openDb, type Db } from './client';

export class StoreNotSupportedError extends Error {}

/** The URL without its password, for messages and logs. */
export const redactUrl = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

export async function openStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<Db> {
  const url = config.databaseUrl;
  if (url === undefined) return openDb(config.dataDir);
  // the PostgreSQL client (pg, ~14 MB) is loaded only when DATABASE_URL asks for it
  const { isPostgresUrl, openPg } = await import('./client-pg');
  if (!isPostgresUrl(url)) {
    throw new StoreNotSupportedError(
      `DATABASE_URL must be postgres://… (got ${redactUrl(url).slice(0, 80)}); unset it to use SQLite in DATA_DIR`,
    );
  }
  const pg = await openPg(url, { poolSize: 1 });
  await pg.$client.end();
  throw new StoreNotSupportedError(
    `DATABASE_URL selects PostgreSQL (${redactUrl(url)}): its schema is migrated, but this version serves meetings from SQLite only ` +
      '(the asynchronous store is not built yet, docs/scale-out.md). Unset DATABASE_URL to use SQLite in DATA_DIR.',
  );
}
