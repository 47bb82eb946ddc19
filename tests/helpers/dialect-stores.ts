// Both databases for one test file that runs the same cases on each: a SqliteStore on a fresh file
// and a PgStore on a private PostgreSQL cluster (tests/helpers/postgres.ts), opened in beforeAll and
// closed in afterAll. `stores.sqlite` / `stores.pg` are set once beforeAll has run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openDb, type Db } from '../../server/db/client';
import { openPg } from '../../server/db/client-pg';
import { SqliteStore, type Store } from '../../server/db/store';
import { PgStore } from '../../server/db/store-pg';
import { startPostgres, type PgCluster } from './postgres';

export interface DialectStores {
  sqlite: Store;
  pg: Store;
  /** the SQLite writer connection under `sqlite` */
  sqliteDb: Db;
  cluster: PgCluster;
}

export function dialectStores(name: string): DialectStores {
  const stores = {} as DialectStores;
  let dataDir = '';
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `hopso-${name}-dialects-`));
    stores.sqliteDb = openDb(dataDir);
    stores.sqlite = new SqliteStore(stores.sqliteDb);
    stores.cluster = await startPostgres();
    stores.pg = new PgStore(await openPg(stores.cluster.url));
  }, 120_000);
  afterAll(async () => {
    await stores.sqlite?.close();
    stores.sqliteDb?.$client.close();
    await stores.pg?.close().catch(() => {});
    stores.cluster?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return stores;
}
