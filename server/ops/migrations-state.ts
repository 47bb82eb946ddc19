// Which migrations this build ships and which the database has applied, on either dialect: the
// readiness probe (routes/health.ts) and the status page (routes/admin/status.ts) compare them.
// Drizzle's migrator records each applied migration in its own table (SQLite: __drizzle_migrations;
// PostgreSQL: drizzle.__drizzle_migrations) with the journal's `when` as created_at.
import fs from 'node:fs';
import path from 'node:path';
import { count, sql } from 'drizzle-orm';
import { integer, numeric, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Store } from '../db/store';
import { migrationsFolder } from '../locate';

const sqliteMigrations = sqliteTable('__drizzle_migrations', {
  id: integer('id').primaryKey(),
  hash: text('hash').notNull(),
  createdAt: numeric('created_at'),
});

// pg-core is loaded only on PostgreSQL (an SQLite server never needs it: start footprint)
let pgMigrations: Promise<typeof sqliteMigrations> | undefined;
const pgMigrationsTable = () =>
  (pgMigrations ??= import('drizzle-orm/pg-core').then(
    ({ bigint, pgSchema, serial, text: pgText }) =>
      pgSchema('drizzle').table('__drizzle_migrations', {
        id: serial('id').primaryKey(),
        hash: pgText('hash').notNull(),
        createdAt: bigint('created_at', { mode: 'number' }),
      }) as unknown as typeof sqliteMigrations,
  ));

export interface ShippedMigrations {
  entries: { tag: string; when: number }[];
  count: number;
  /** the newest migration's `when` */
  newest: number;
}

/** The journal of the dialect's migrations folder (migrations/ or migrations/pg). */
export function shippedMigrations(dialect: Store['dialect']): ShippedMigrations {
  const folder = dialect === 'pg' ? path.join(migrationsFolder, 'pg') : migrationsFolder;
  const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  return { entries: journal.entries, count: journal.entries.length, newest: Math.max(...journal.entries.map((e) => e.when)) };
}

/**
 * How many migrations are applied and the newest one's `when` (null: none). One read: it also
 * tells that the database answers (throws if it does not).
 */
export async function appliedMigrations(store: Store): Promise<{ n: number; newest: number | null }> {
  // the two tables differ only in their dialect; the read handle is the store's own dialect's
  const table = store.dialect === 'pg' ? await pgMigrationsTable() : sqliteMigrations;
  const [row] = await store.read((q) =>
    q
      .select({
        n: count(),
        // bigint on PostgreSQL (a string from the driver), numeric on SQLite: a number on both
        newest: sql<number | null>`max(${table.createdAt})`.mapWith(Number),
      })
      .from(table),
  );
  return { n: row?.n ?? 0, newest: row?.newest ?? null };
}
