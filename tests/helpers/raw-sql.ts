// Raw SQL from a test on whichever database the app runs (TEST_DB=pg or SQLite), for the checks a
// test states best in SQL: counts, "nothing stored" table snapshots, an edit made "by another
// process" behind the app's back. `?` placeholders on both (numbered for PostgreSQL here); counts
// come back as numbers on both (PostgreSQL's bigint arrives as a string).
import type { FastifyInstance } from 'fastify';
import type { PgStore } from '../../server/db/store-pg';
import type { SqliteStore } from '../../server/db/store';

const numbered = (text: string) => {
  let i = 0;
  return text.replace(/\?/g, () => `$${++i}`);
};

/** Every row the statement returns. */
export async function sqlAll<T = Record<string, unknown>>(app: FastifyInstance, text: string, ...args: unknown[]): Promise<T[]> {
  const store = app.database;
  if (store.dialect === 'pg') {
    const r = await (store as PgStore).db.$client.query(numbered(text), args);
    return r.rows as T[];
  }
  const stmt = (store as SqliteStore).db.$client.prepare(text);
  return (stmt.reader ? stmt.all(...args) : (stmt.run(...args), [])) as T[];
}

export async function sqlGet<T = Record<string, unknown>>(app: FastifyInstance, text: string, ...args: unknown[]) {
  return (await sqlAll<T>(app, text, ...args))[0];
}

/** A statement that returns nothing (an edit behind the app's back, as another process would). */
export async function sqlRun(app: FastifyInstance, text: string, ...args: unknown[]): Promise<void> {
  await sqlAll(app, text, ...args);
}

/** The first column of the first row as a number: `SELECT count(*) …`. */
export async function sqlCount(app: FastifyInstance, text: string, ...args: unknown[]): Promise<number> {
  const row = await sqlGet(app, text, ...args);
  return Number(Object.values(row ?? {})[0] ?? 0);
}

/**
 * Every row of each table as text, rows sorted (PostgreSQL returns rows in no fixed order, an
 * updated row moves): the "nothing changed" snapshot of a refusal.
 */
export async function tableSnapshot(app: FastifyInstance, tables: readonly string[]): Promise<string> {
  const out: string[] = [];
  for (const tb of tables) {
    const rows = (await sqlAll(app, `SELECT * FROM ${tb}`)).map((r) => JSON.stringify(r)).sort();
    out.push(`${tb}: ${rows.join('\n')}`);
  }
  return out.join('\n');
}

/** The live actor of a demo account, as the socket layer would make it (for direct service calls). */
export async function userActor(app: FastifyInstance, username: string) {
  const u = await sqlGet<{ id: string; is_admin: number | boolean }>(
    app,
    'SELECT id, is_admin FROM users WHERE username = ?',
    username,
  );
  if (!u) throw new Error(`no user ${username}`);
  return { kind: 'user' as const, user: { id: u.id, isAdmin: !!u.is_admin, username } };
}

/** The column names of a table, on either database. */
export async function columnsOf(app: FastifyInstance, table: string): Promise<string[]> {
  if (app.database.dialect === 'pg')
    return (
      await sqlAll<{ name: string }>(
        app,
        `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ?`,
        table,
      )
    ).map((c) => c.name);
  return (await sqlAll<{ name: string }>(app, `SELECT name FROM pragma_table_info(?)`, table)).map((c) => c.name);
}

/** Every table of the app's schema (migration bookkeeping included), on either database. */
export async function tableNames(app: FastifyInstance): Promise<string[]> {
  const rows =
    app.database.dialect === 'pg'
      ? await sqlAll<{ name: string }>(
          app,
          `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`,
        )
      : await sqlAll<{ name: string }>(app, `SELECT name FROM sqlite_master WHERE type = 'table'`);
  return rows.map((r) => r.name);
}

/**
 * Counts the statements this process sends to the app's database whose SQL starts with `prefix`
 * (written with `?` placeholders; PostgreSQL's `$n` are compared as `?`), on any connection: on
 * SQLite every prepared statement's get/all, on PostgreSQL every query of node-postgres's clients.
 * `stop()` puts the drivers back.
 */
export async function countStatements(app: FastifyInstance, prefix: string): Promise<{ count: () => number; stop: () => void }> {
  let n = 0;
  if (app.database.dialect === 'pg') {
    const pg = (await import('pg')).default;
    const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
    const real = proto.query;
    proto.query = function (this: unknown, ...a: unknown[]) {
      const q = a[0];
      const text = typeof q === 'string' ? q : (q as { text?: string } | null)?.text;
      if (text?.replace(/\$\d+/g, '?').startsWith(prefix)) n++;
      return real.apply(this, a);
    };
    return { count: () => n, stop: () => void (proto.query = real) };
  }
  const Statement = (
    (app.database as SqliteStore).db.$client.prepare('select 1').constructor as {
      prototype: { get: (...a: unknown[]) => unknown; all: (...a: unknown[]) => unknown };
    }
  ).prototype;
  const realGet = Statement.get;
  const realAll = Statement.all;
  Statement.get = function (this: { source: string }, ...a: unknown[]) {
    if (this.source.startsWith(prefix)) n++;
    return realGet.apply(this, a);
  };
  Statement.all = function (this: { source: string }, ...a: unknown[]) {
    if (this.source.startsWith(prefix)) n++;
    return realAll.apply(this, a);
  };
  return {
    count: () => n,
    stop: () => {
      Statement.get = realGet;
      Statement.all = realAll;
    },
  };
}
