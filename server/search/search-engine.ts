// The one interface search goes through (routes, tests, the benchmark), so the engine can change
// with the store: SQLite FTS5 now (sqlite-fts.ts), PostgreSQL full-text search with unaccent later
// (pg-search.sql holds its SQL; the PostgreSQL store is not served yet, server/db/open-store.ts).
import type { SearchHit } from '../../shared/search-api';

export interface SearchCaller {
  id: string;
  /** an administrator may read every meeting (policies/meeting-policy.meetingAccess): searches them all */
  isAdmin: boolean;
}

export interface SearchEngine {
  /** Indexes what changed since the last call (the change queue the tables' triggers fill). */
  sync(): void;
  /** Drops the index and builds it again from the tables. */
  rebuild(): void;
  /** At most `limit` hits the caller may see, best first. An empty query (no words) finds nothing. */
  search(caller: SearchCaller, query: string, limit: number): SearchHit[];
  /** Indexed rows and the bytes the index takes on disk (for the benchmark and the note). */
  stats(): { rows: number; bytes: number };
}
