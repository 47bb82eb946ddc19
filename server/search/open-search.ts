// The search engine of a store: FTS5 on SQLite (its layout is made by openDb, db/client.ts), full-text
// search on PostgreSQL (its layout made here, idempotent, after the migrations: pg-search.ts).
import type { Store, SqliteStore } from '../db/store';
import type { PgStore } from '../db/store-pg';
import type { SearchEngine } from './search-engine';
import { SqliteSearch } from './sqlite-fts';

export async function openSearchEngine(store: Store): Promise<SearchEngine> {
  if (store.dialect === 'sqlite') return new SqliteSearch(store as SqliteStore);
  const { PgSearch, installPgSearch } = await import('./pg-search');
  await installPgSearch(store as PgStore);
  return new PgSearch(store as PgStore);
}
