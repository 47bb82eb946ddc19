// migrations/pg applied on a real PostgreSQL 15 (a private cluster, tests/helpers/postgres.ts):
// every table of the schema exists with its columns, and processes starting together do not race.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import * as pgSchema from '../../server/db/schema-pg';
import fs from 'node:fs';
import path from 'node:path';
import { openPg, pgMigrationsFolder } from '../../server/db/client-pg';
import { startPostgres, type PgCluster } from '../helpers/postgres';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(() => cluster?.stop());

const tables = Object.values(pgSchema)
  .filter((t) => t instanceof PgTable)
  .map((t) => getTableConfig(t as PgTable));

describe('PostgreSQL migrations', () => {
  it('create every table and column of the schema', async () => {
    const db = await openPg(cluster.url);
    try {
      const { rows } = await db.$client.query<{ table_name: string; column_name: string; is_nullable: string }>(
        `SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
      );
      for (const t of tables) {
        const cols = rows.filter((r) => r.table_name === t.name);
        expect(cols.map((c) => c.column_name).sort(), t.name).toEqual(t.columns.map((c) => c.name).sort());
        for (const c of t.columns)
          expect(cols.find((r) => r.column_name === c.name)!.is_nullable, `${t.name}.${c.name}`).toBe(c.notNull ? 'NO' : 'YES');
      }
      // the (meeting, seq) key is the last guard of the per-meeting order
      await db.$client.query(`INSERT INTO users VALUES ('u', 'u', 'U', 'x', false, 0, NULL, 'now')`);
      await db.$client.query(`INSERT INTO meetings (id, title, created_at, updated_at) VALUES ('m', 'M', 'now', 'now')`);
      const ev = `INSERT INTO meeting_events VALUES ('m', 1, 't', 'u', '{}', 'now', 'p', 'h')`;
      await db.$client.query(ev);
      await expect(db.$client.query(ev)).rejects.toThrow(/duplicate key/);
    } finally {
      await db.$client.end();
    }
  });

  it('several processes starting at once migrate once, without racing', async () => {
    const url = cluster.createDatabase('together');
    const dbs = await Promise.all([1, 2, 3, 4].map(() => openPg(url, { poolSize: 2 })));
    try {
      // each migration of the journal applied exactly once, whichever process got there first
      const journal = JSON.parse(fs.readFileSync(path.join(pgMigrationsFolder, 'meta/_journal.json'), 'utf8')) as {
        entries: unknown[];
      };
      const { rows } = await dbs[0]!.$client.query<{ n: string }>('SELECT count(*) AS n FROM drizzle.__drizzle_migrations');
      expect(Number(rows[0]!.n)).toBe(journal.entries.length);
    } finally {
      await Promise.all(dbs.map((d) => d.$client.end()));
    }
  });
});
