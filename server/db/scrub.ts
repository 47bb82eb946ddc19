// Making a deletion reach the files. secure_delete (client.ts) zeroes freed cells and pages in the
// pages it writes, but in WAL mode the older copies of those pages stay in hopso.db-wal as earlier
// frames until the WAL is reset, and a reset alone overwrites from the start without shortening the
// file. A TRUNCATE checkpoint copies the latest pages into hopso.db and cuts the WAL to zero bytes.
// Used after a secret vote closes (its key and sealed ballots must be gone from every file) and at
// start (a crash between that commit and its scrub).
import type { Db } from './client';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { SqliteStore, type Store } from './store';
import type { PgStore } from './store-pg';
import type { PgScrubStats } from './scrub-pg';

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

/** The PostgreSQL scrubs asked for per store, one after the other (tests wait for them: secretVoteScrubbed). */
const pgScrubs = new WeakMap<Store, Promise<void>>();
const pgStats = new WeakMap<Store, PgScrubStats>();

/** How often the PostgreSQL scrub waited (an older snapshot, the lock) and how many rewrites it made. */
export function pgScrubStats(store: Store): PgScrubStats {
  let s = pgStats.get(store);
  if (!s) pgStats.set(store, (s = { postponed: 0, rewrites: 0 }));
  return s;
}

const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** The closed secret votes whose old key may still be in PostgreSQL's table files (none rewritten since). */
async function votesOwingARewrite(store: Store): Promise<string[]> {
  const rows = await store.read((q, t) =>
    q
      .select({ id: t.votes.id })
      .from(t.votes)
      .where(and(eq(t.votes.secret, true), eq(t.votes.status, 'closed'), isNull(t.votes.filesScrubbedAt))),
  );
  return rows.map((r) => r.id);
}

/** rewriteSecretVoteTables until it is done (doubling the wait up to a minute) or the pool is closed. */
async function scrubPgUntilDone(store: PgStore): Promise<void> {
  const { rewriteSecretVoteTables } = await import('./scrub-pg'); // PostgreSQL only: not loaded on SQLite
  const stats = pgScrubStats(store);
  let owed: string[];
  try {
    // read before the rewrite takes its horizon: these closes are older than it, so it covers them
    owed = await votesOwingARewrite(store);
  } catch {
    return; // the pool is closed: the next start tries again
  }
  // an earlier rewrite (this process's or another's) already covered every close
  if (owed.length === 0) return;
  let horizon: string | null = null;
  for (let delayMs = 250; ; delayMs = Math.min(delayMs * 2, 60_000)) {
    let r;
    try {
      r = await rewriteSecretVoteTables(store, horizon);
    } catch {
      return; // the pool is closed (shutdown), or the tables are not ours: the next start tries again
    }
    if (r.outcome === 'done') {
      stats.rewrites++;
      // settled: a later start has nothing to do for these votes. Only the ids read before the
      // horizon: a close committed since is covered by its own scrub
      const at = new Date().toISOString();
      await store
        .write('secret-vote-scrub', (tx, t) => tx.update(t.votes).set({ filesScrubbedAt: at }).where(inArray(t.votes.id, owed)))
        .catch(() => {}); // not recorded: the next start rewrites once more, which is harmless
      return;
    }
    stats.postponed++;
    horizon = r.horizon;
    await later(delayMs);
  }
}

/**
 * After a secret vote's close committed: on SQLite the WAL scrub above; on PostgreSQL the rewrite of
 * the two tables whose dead row versions held the vote key and the sealed ballots (scrub-pg.ts:
 * VACUUM FULL once no older snapshot can see them; what pg_wal and backups keep: docs/scale-out.md,
 * "Secret ballots on PostgreSQL"). Returns at once; the work goes on in the background.
 */
export function scrubAfterSecretVote(store: Store): void {
  if (store instanceof SqliteStore) {
    scrubWalUntilDone(store.db);
    return;
  }
  const previous = pgScrubs.get(store) ?? Promise.resolve();
  pgScrubs.set(
    store,
    previous.then(() => scrubPgUntilDone(store as PgStore)),
  );
}

/**
 * At start on PostgreSQL: a process that died between a close and its rewrite left the key's dead
 * row behind; any process starting later makes the rewrite, if a closed secret vote still owes one.
 */
export async function scrubPgAtStart(store: PgStore): Promise<void> {
  if ((await votesOwingARewrite(store)).length > 0) scrubAfterSecretVote(store);
}

/** Resolves once the scrubs asked of this store so far are done (PostgreSQL; SQLite: at once). */
export async function secretVoteScrubbed(store: Store): Promise<void> {
  for (let p = pgScrubs.get(store); p;) {
    await p;
    const next = pgScrubs.get(store);
    p = next === p ? undefined : next;
  }
}
