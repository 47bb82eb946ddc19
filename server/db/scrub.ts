// Making a deletion reach the files. secure_delete (client.ts) zeroes freed cells and pages in the
// pages it writes, but in WAL mode the older copies of those pages stay in hopso.db-wal as earlier
// frames until the WAL is reset, and a reset alone overwrites from the start without shortening the
// file. A TRUNCATE checkpoint copies the latest pages into hopso.db and cuts the WAL to zero bytes.
// Used after a secret vote closes (its key and sealed ballots must be gone from every file) and at
// start (a crash between that commit and its scrub).
import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { SqliteStore, type Store } from './store';

/**
 * One TRUNCATE checkpoint, without waiting: another connection reading an older snapshot (a backup)
 * makes it give up at once rather than stall the event loop for busy_timeout. True when the WAL is
 * now empty.
 */
export function scrubWal(db: Db): boolean {
  const c = db.$client;
  if (!c.open) return true;
  let previous: number | undefined;
  try {
    previous = c.pragma('busy_timeout', { simple: true }) as number;
    c.pragma('busy_timeout = 0');
    const [r] = c.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    return r !== undefined && r.busy === 0 && r.log === 0;
  } catch {
    // SQLITE_BUSY (another writer holds the lock): try again later. Never thrown at the caller: the
    // command that asked for the scrub has already committed.
    return false;
  } finally {
    if (previous !== undefined && c.open) c.pragma(`busy_timeout = ${previous}`);
  }
}

/** scrubWal now, and again later (doubling the wait up to a minute) until it succeeds or the database is closed. */
export function scrubWalUntilDone(db: Db, delayMs = 250): void {
  if (scrubWal(db)) return;
  const timer = setTimeout(() => scrubWalUntilDone(db, Math.min(delayMs * 2, 60_000)), delayMs);
  timer.unref();
}

/**
 * After a secret vote's close committed: on SQLite the WAL scrub above; on PostgreSQL a VACUUM of
 * the two tables whose dead tuples held the sealed ballots and the vote key (best effort, outside
 * any transaction: VACUUM cannot run in one; the pages' freed space and pg_wal's full-page images
 * may still hold their bytes until reused and recycled: docs/scale-out.md, "Secret ballots").
 */
export function scrubAfterSecretVote(store: Store): void {
  if (store instanceof SqliteStore) {
    scrubWalUntilDone(store.db);
    return;
  }
  void store
    .read((q) => store.execute(q, sql`VACUUM sealed_ballots, votes`))
    .catch(() => {
      // a busy or restarting database: autovacuum gets there later
    });
}
