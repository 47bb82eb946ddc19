// Prepared statements, built once per database handle. Building and preparing a query with Drizzle
// costs far more than running it, and every live command runs several (a stroke: access check,
// idempotency lookup, document check, stroke id, three inserts), so the hot paths prepare theirs
// once, with placeholders (`sql.placeholder`), through Drizzle's query builder: the same queries
// on PostgreSQL, only the driver differs.
import type { Db } from './client';

/** `build(db)` once per database handle (tests open many databases: they are not kept alive). */
export function perDb<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let v = cache.get(db);
    if (v === undefined) {
      v = build(db);
      cache.set(db, v);
    }
    return v;
  };
}
