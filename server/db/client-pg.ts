// PostgreSQL (DATABASE_URL=postgres://…): a node-postgres pool under drizzle-orm/node-postgres, and
// the migrations of migrations/pg applied at start. Several processes may start at once (systemd
// starts every instance together): the migration runs under a session advisory lock, so one process
// migrates and the others wait, then find nothing left to do.
import path from 'node:path';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import * as schema from './schema-pg';
import { migrationsFolder } from '../locate';

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/** migrations/pg beside the SQLite ones, from the source or the build (server/locate.ts) */
export const pgMigrationsFolder = path.join(migrationsFolder, 'pg');

/** The advisory lock key every Họp Số process takes around migrations (any fixed 64-bit number). */
export const MIGRATION_LOCK_KEY = 0x486f70536f; // "HopSo"

export const isPostgresUrl = (url: string | undefined): url is string => !!url && /^postgres(ql)?:\/\//i.test(url);

export async function migratePg(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    // session-level, on this one connection: held across drizzle's own migration transaction
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle({ client, schema }), { migrationsFolder: pgMigrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

export async function openPg(url: string, opts: { poolSize?: number } = {}): Promise<PgDb> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
  // an idle client's error (the server restarted) must not crash the process; the pool drops it
  pool.on('error', () => {});
  // …nor may a checked-out one's (a transaction awaiting between statements when the server goes
  // away): node-postgres emits it on the client, which has no listener while checked out. Its next
  // query fails instead (DATABASE_UNAVAILABLE in store-pg.ts) and the pool discards it on release.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  try {
    await migratePg(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return drizzle({ client: pool, schema }) as PgDb;
}
