// The SQLite schema and its PostgreSQL mirror can never drift: every table, column (type family,
// nullability, default, enum), primary key, index and foreign key is compared through Drizzle's own
// table configs, and each dialect's migrations folder must already hold everything its schema says
// (drizzle-kit would generate nothing more).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import { generateDrizzleJson, generateMigration, generateSQLiteDrizzleJson, generateSQLiteMigration } from 'drizzle-kit/api';
import * as sqliteSchema from '../../server/db/schema';
import * as pgSchema from '../../server/db/schema-pg';

// Column types with the same meaning in both dialects. A type missing here fails the test: a new
// kind of column needs a deliberate decision, written down in schema-pg.ts's header.
const TYPE_FAMILY: Record<string, string> = {
  SQLiteText: 'text',
  PgText: 'text',
  SQLiteInteger: 'integer',
  PgInteger: 'integer',
  SQLiteBoolean: 'boolean',
  PgBoolean: 'boolean',
  SQLiteReal: 'double',
  PgDoublePrecision: 'double',
};

interface AnyColumn {
  name: string;
  columnType: string;
  notNull: boolean;
  hasDefault: boolean;
  default: unknown;
  primary: boolean;
  isUnique: boolean;
  enumValues?: string[];
}
interface AnyIndex {
  config: { name: string; unique: boolean; columns: unknown[] };
}
interface AnyFk {
  reference: () => { columns: { name: string }[]; foreignColumns: { name: string; table: unknown }[] };
  onDelete?: string;
  onUpdate?: string;
}

const family = (c: AnyColumn) => {
  const f = TYPE_FAMILY[c.columnType];
  if (!f) throw new Error(`column ${c.name}: no known ${c.columnType} counterpart (add it to TYPE_FAMILY deliberately)`);
  return f;
};
const tableName = (t: unknown) => (t as { [k: symbol]: string })[Symbol.for('drizzle:Name')];

/** One dialect-neutral description of a table. */
function describeTable(cfg: {
  name: string;
  columns: unknown[];
  indexes: unknown[];
  primaryKeys: unknown[];
  foreignKeys: unknown[];
  uniqueConstraints: unknown[];
}) {
  return {
    name: cfg.name,
    columns: (cfg.columns as AnyColumn[])
      .map((c) => ({
        name: c.name,
        type: family(c),
        notNull: c.notNull,
        hasDefault: c.hasDefault,
        default: c.default,
        primary: c.primary,
        unique: c.isUnique,
        enum: c.enumValues ?? null,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    primaryKey: (cfg.primaryKeys as { columns: { name: string }[] }[]).map((pk) => pk.columns.map((c) => c.name)),
    indexes: (cfg.indexes as AnyIndex[])
      .map((i) => ({
        name: i.config.name,
        unique: i.config.unique,
        columns: i.config.columns.map((c) => (c as { name: string }).name),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: (cfg.foreignKeys as AnyFk[])
      .map((fk) => {
        const r = fk.reference();
        return {
          columns: r.columns.map((c) => c.name),
          table: tableName(r.foreignColumns[0]!.table),
          foreignColumns: r.foreignColumns.map((c) => c.name),
          onDelete: fk.onDelete ?? 'no action',
          onUpdate: fk.onUpdate ?? 'no action',
        };
      })
      .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
    unique: (cfg.uniqueConstraints as { columns: { name: string }[] }[]).map((u) => u.columns.map((c) => c.name)),
  };
}

const sqliteTables = Object.entries(sqliteSchema).filter(([, v]) => v instanceof SQLiteTable) as [string, SQLiteTable][];
const pgTables = Object.entries(pgSchema).filter(([, v]) => v instanceof PgTable) as [string, PgTable][];

describe('schema parity: SQLite and PostgreSQL', () => {
  it('export the same tables under the same names', () => {
    expect(sqliteTables.length).toBeGreaterThan(10);
    expect(pgTables.map(([k]) => k).sort()).toEqual(sqliteTables.map(([k]) => k).sort());
  });

  for (const [key, table] of sqliteTables) {
    it(`${key}: same columns, keys, indexes and foreign keys`, () => {
      const mirror = (pgSchema as Record<string, unknown>)[key];
      expect(mirror, `schema-pg.ts has no ${key}`).toBeInstanceOf(PgTable);
      expect(describeTable(pgConfig(mirror as PgTable))).toEqual(describeTable(sqliteConfig(table)));
    });
  }

  it('the comparison sees a difference (a drifted column fails it)', () => {
    const users = describeTable(sqliteConfig(sqliteSchema.users));
    const drifted = { ...users, columns: users.columns.map((c) => (c.name === 'locked_until' ? { ...c, notNull: true } : c)) };
    expect(drifted).not.toEqual(users);
  });
});

// The last snapshot drizzle-kit wrote for a migrations folder.
function lastSnapshot(dir: string): Record<string, unknown> {
  const meta = path.resolve(import.meta.dirname, '../../', dir, 'meta');
  const journal = JSON.parse(fs.readFileSync(path.join(meta, '_journal.json'), 'utf8')) as { entries: { idx: number }[] };
  const idx = String(journal.entries.at(-1)!.idx).padStart(4, '0');
  return JSON.parse(fs.readFileSync(path.join(meta, `${idx}_snapshot.json`), 'utf8')) as Record<string, unknown>;
}

describe('migrations hold the whole schema, for each dialect', () => {
  it('SQLite: migrations/ has nothing left to generate', async () => {
    const prev = lastSnapshot('migrations');
    const cur = await generateSQLiteDrizzleJson(sqliteSchema, prev.id as string);
    expect(await generateSQLiteMigration(prev as never, cur)).toEqual([]);
  });

  it('PostgreSQL: migrations/pg has nothing left to generate', async () => {
    const prev = lastSnapshot('migrations/pg');
    const cur = generateDrizzleJson(pgSchema, prev.id as string);
    expect(await generateMigration(prev as never, cur)).toEqual([]);
  });
});
