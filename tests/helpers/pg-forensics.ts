// What PostgreSQL keeps below SQL, read the way someone holding the database's files would: every
// page of every relation of the database through the pageinspect extension (get_raw_page reads the
// page as stored, dead tuples and freed space included), and the files themselves under the private
// test cluster's data directory. Needs a superuser (the test cluster's "hop" is one) and pageinspect
// (shipped in Debian's postgresql-15).
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sqlAll, sqlGet, sqlRun } from './raw-sql';

export interface PageHit {
  rel: string;
  block: number;
  needle: string;
}

/** Each (relation, block) of the current database whose raw page holds one of the needles. */
export async function pagesHolding(app: FastifyInstance, needles: readonly string[]): Promise<PageHit[]> {
  await sqlRun(app, 'CREATE EXTENSION IF NOT EXISTS pageinspect');
  // heaps, TOAST tables, indexes, materialized views; not other sessions' temporary tables
  const rows = await sqlAll<{ rel: string; block: string; needle: string }>(
    app,
    `SELECT c.oid::regclass::text AS rel, b.blk::text AS block, n.needle
       FROM pg_class c
       CROSS JOIN LATERAL generate_series(0, pg_relation_size(c.oid) / current_setting('block_size')::bigint - 1) AS b(blk)
       CROSS JOIN unnest(?::text[]) AS n(needle)
      WHERE c.relkind IN ('r', 't', 'i', 'm') AND c.relpersistence <> 't'
        AND position(convert_to(n.needle, 'UTF8') IN get_raw_page(c.oid::regclass::text, b.blk)) > 0`,
    needles,
  );
  return rows.map((r) => ({ rel: r.rel, block: Number(r.block), needle: r.needle }));
}

/** The database's own directory (base/<oid>) and pg_wal under the cluster's data directory. */
export async function databaseDirs(app: FastifyInstance): Promise<{ base: string; wal: string }> {
  const dataDir = (await sqlGet<{ d: string }>(app, "SELECT current_setting('data_directory') AS d"))!.d;
  const oid = (await sqlGet<{ oid: string }>(app, 'SELECT oid::text AS oid FROM pg_database WHERE datname = current_database()'))!
    .oid;
  return { base: path.join(dataDir, 'base', oid), wal: path.join(dataDir, 'pg_wal') };
}

/** Files of `dir` holding one of the needles: "file: needle". A file removed meanwhile is skipped. */
export function filesHolding(dir: string, needles: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of fs.readdirSync(dir)) {
    let bytes: Buffer;
    try {
      const p = path.join(dir, f);
      if (!fs.statSync(p).isFile()) continue;
      bytes = fs.readFileSync(p);
    } catch {
      continue;
    }
    for (const n of needles) if (bytes.includes(Buffer.from(n))) out.push(`${f}: ${n}`);
  }
  return out;
}
