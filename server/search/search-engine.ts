// The one interface search goes through (routes, tests, the benchmark), with one engine per store:
// SQLite FTS5 (sqlite-fts.ts) and PostgreSQL full-text search (pg-search.ts). Both index the same
// entries (sources.ts) of the same folded text (fold.ts), kept in step by the same change queue
// (`search_dirty`, filled by triggers in the change's own transaction), so they find the same rows
// (tests/integration/search-dialects.test.ts). What differs is the index itself and its SQL.
//
// What is shared lives here: the indexing loop over the queue (`QueuedSearch.sync`), the passes of a
// query (the phrase first, then every word; the last word a prefix), and the rows → hits step with
// its snippets (cut from the original text, so both engines show the same words marked).
import { eq } from 'drizzle-orm';
import type { SearchHit } from '../../shared/search-api';
import type { Query, Store, Tables } from '../db/store';
import { entriesOf, type IndexEntry, type SourceKind } from './sources';
import { pickSnippetText, snippet } from './snippet';

export interface SearchCaller {
  id: string;
  /** an administrator may read every meeting (policies/meeting-policy.meetingAccess): searches them all */
  isAdmin: boolean;
}

export interface SearchEngine {
  /** Indexes what changed since the last call (the change queue the tables' triggers fill). */
  sync(): Promise<void>;
  /** Drops the index and builds it again from the tables. */
  rebuild(): Promise<void>;
  /** At most `limit` hits the caller may see, best first. An empty query (no words) finds nothing. */
  search(caller: SearchCaller, query: string, limit: number): Promise<SearchHit[]>;
  /** Indexed rows and the bytes the index takes on disk (for the benchmark and the note). */
  stats(): Promise<{ rows: number; bytes: number }>;
  /** Indexed rows of one meeting (tests: a deleted meeting leaves none). */
  rowsOf(meetingId: string): Promise<number>;
}

/** Above this many matching rows a pass is read newest first rather than scored (both engines). */
export const BROAD_MATCH = 1000;

/** Queue entries indexed per write transaction: short transactions, others' writes go between them. */
export const SYNC_BATCH = 200;

/**
 * The lock key of indexing writes: two processes syncing take turns (the second finds the queue
 * emptied), without waiting for every other write of the database (a null key would).
 */
export const SEARCH_LOCK_KEY = 'search-index';

/**
 * The passes of a query, in order: with several words the phrase (the words in this order, next to
 * each other), then every word anywhere; the last word is a prefix in both (typing is not finished).
 */
export const queryPasses = (terms: readonly string[]): Array<'phrase' | 'words'> =>
  terms.length > 1 ? ['phrase', 'words'] : ['words'];

/** A row as both engines read it back for the hit (after the second rights check). */
export interface HitRow {
  kind: SearchHit['kind'];
  meetingId: string;
  meetingTitle: string;
  itemId: string | null;
  documentId: string | null;
  minutesKey: string | null;
  opinionId: string | null;
  page: number | null;
  title: string;
  body: string;
}

/** The hit shown for a row: the snippet from its title or its text, whichever holds the words. */
export function toHit(r: HitRow, terms: readonly string[]): SearchHit {
  const { body, ...rest } = r;
  const titleRow = r.kind === 'meeting' || r.kind === 'agenda' || (r.kind === 'document' && r.page === null);
  const title = r.title || r.meetingTitle; // a general part of the minutes is titled by its meeting
  return { ...rest, title, snippet: snippet(pickSnippetText(titleRow ? [title, body] : [body, title], terms), terms) };
}

/**
 * The indexing loop both engines share: in batches, each one write transaction that reads the queue
 * inside it, replaces the index rows of each queued source by its entries as the tables hold them
 * now, and empties those queue entries. The engine says how its index is written.
 */
export abstract class QueuedSearch {
  constructor(protected readonly store: Store) {}

  /** Up to `limit` queue entries this transaction may index (locked to it on PostgreSQL). */
  protected abstract pending(tx: Query, limit: number): Promise<Array<{ src: SourceKind; id: string }>>;
  /** The index rows of one source; of the whole meeting when `src` is a meeting that is gone. */
  protected abstract staleRows(tx: Query, src: SourceKind, id: string, meetingGone: boolean): Promise<number[]>;
  protected abstract deleteRows(tx: Query, ids: number[]): Promise<void>;
  protected abstract insert(tx: Query, src: SourceKind, id: string, entries: IndexEntry[]): Promise<void>;
  protected abstract done(tx: Query, src: SourceKind, id: string): Promise<void>;
  /** Whether anything is queued (a cheap read before taking the write lock). */
  protected abstract anyPending(): Promise<boolean>;

  async sync(): Promise<void> {
    if (!(await this.anyPending())) return;
    for (;;) {
      const n = await this.store.write(SEARCH_LOCK_KEY, (tx, t) => this.batch(tx, t));
      if (n === 0) return;
    }
  }

  private async batch(tx: Query, t: Tables): Promise<number> {
    const rows = await this.pending(tx, SYNC_BATCH);
    for (const { src, id } of rows) {
      let meetingGone = false;
      if (src === 'meeting') {
        meetingGone = (await tx.select({ id: t.meetings.id }).from(t.meetings).where(eq(t.meetings.id, id))).length === 0;
      }
      const stale = await this.staleRows(tx, src, id, meetingGone);
      if (stale.length > 0) await this.deleteRows(tx, stale);
      const entries = await entriesOf(tx, t, src, id);
      if (entries.length > 0) await this.insert(tx, src, id, entries);
      await this.done(tx, src, id);
    }
    return rows.length;
  }
}
