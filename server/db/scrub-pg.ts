// Making a secret vote's erasure reach PostgreSQL's files (issue 14). At close the per-vote key is
// set NULL and the sealed ballots deleted, but an UPDATE or DELETE only marks the old row versions
// dead: their bytes stay in the table's pages until VACUUM removes them, and a plain VACUUM only
// compacts the page, which leaves the freed bytes in the page's free space unless newer tuples
// happen to be moved over them. So after the close, `VACUUM (FULL)` rewrites the two tables that
// held those bytes (votes, sealed_ballots) into new files holding only the live rows; PostgreSQL
// truncates and unlinks the old files at once (the old relfilenode).
//
// Two conditions, each waited for, never forced:
// - No snapshot that can still see the old row. VACUUM FULL copies "recently dead" rows a running
//   transaction may still read (a pg_dump started before the close): rewriting then would carry the
//   key into the new file. So the rewrite waits until every backend of this database that the role
//   can see (the app's processes, `npm run backup`'s pg_dump: same role; but also an autovacuum
//   worker's ANALYZE, whose snapshot holds the horizon back too: counting only client backends let
//   a rewrite copy the key in one CI run), every process attached to no database, every standby's
//   feedback (walsender) and every replication slot has an xmin newer than the close (the
//   snapshot's xmax taken when the scrub was asked for, after the close committed).
// - The lock. VACUUM FULL takes an ACCESS EXCLUSIVE lock on each table for the rewrite (votes has
//   one row per vote: ~35 ms at 10,000 votes, measured in docs/scale-out.md; sealed_ballots holds
//   only the open votes' ballots). Under `lock_timeout` it gives up rather than queue every reader
//   behind a long holder, and is retried later.
// Both retried with a doubling wait up to a minute, until done or the pool is closed. A crash
// between the close and the rewrite is covered by the same scrub at every start (app start).
// What remains (WAL segments until recycled, archives, base backups, replicas' WAL): docs/scale-out.md.
import type pg from 'pg';
import type { PgStore } from './store-pg';
import { isUnavailable } from './store-pg';

/** How long the rewrite may wait for its lock before giving up for now (every reader of votes waits behind it). */
export const SCRUB_LOCK_TIMEOUT_MS = 500;

const LOCK_NOT_AVAILABLE = '55P03';

export interface PgScrubStats {
  /** times the rewrite waited: an older snapshot, a lock held too long, the database away */
  postponed: number;
  /** rewrites made */
  rewrites: number;
}

/** The snapshot horizon now: every transaction that committed before this is older than it. */
async function horizonNow(client: pg.PoolClient): Promise<string> {
  const r = await client.query<{ x: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x');
  return r.rows[0]!.x;
}

/** Someone may still see row versions that died before `horizon` (a 64-bit xid as text). */
async function olderSnapshotHeld(client: pg.PoolClient, horizon: string): Promise<boolean> {
  // age() counts back from the next xid: an xmin older than the horizon is one of greater age
  const r = await client.query<{ n: string }>(
    `WITH h AS (SELECT age((($1::bigint) % 4294967296)::text::xid) AS a)
     SELECT (SELECT count(*) FROM pg_stat_activity, h
              WHERE (datname = current_database() OR datname IS NULL OR backend_type = 'walsender')
                AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL AND age(backend_xmin) > h.a)
          + (SELECT count(*) FROM pg_replication_slots, h
              WHERE xmin IS NOT NULL AND age(xmin) > h.a) AS n`,
    [horizon],
  );
  return Number(r.rows[0]!.n) > 0;
}

/**
 * One attempt: 'done', or 'later' (an older snapshot, the lock, the database away). `horizon`:
 * the snapshot xmax taken once the rows to erase were dead, or null to take it now.
 */
export async function rewriteSecretVoteTables(
  store: PgStore,
  horizon: string | null,
): Promise<{ outcome: 'done' | 'later'; horizon: string | null }> {
  let client: pg.PoolClient;
  try {
    client = await store.db.$client.connect();
  } catch (err) {
    if (isUnavailable(err)) return { outcome: 'later', horizon };
    throw err; // the pool was closed: nothing more to do in this process
  }
  let broken: Error | undefined;
  try {
    const h = horizon ?? (await horizonNow(client));
    if (await olderSnapshotHeld(client, h)) return { outcome: 'later', horizon: h };
    await client.query(`SET lock_timeout = ${SCRUB_LOCK_TIMEOUT_MS}`);
    try {
      // two statements: each table's rewrite holds its lock only for its own short transaction
      await client.query('VACUUM (FULL) sealed_ballots');
      await client.query('VACUUM (FULL) votes');
    } finally {
      await client.query('RESET lock_timeout');
    }
    return { outcome: 'done', horizon: h };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === LOCK_NOT_AVAILABLE) return { outcome: 'later', horizon };
    broken = err as Error;
    if (isUnavailable(err)) return { outcome: 'later', horizon };
    throw err;
  } finally {
    // a connection that failed mid-way is discarded, not handed back with lock_timeout still set
    client.release(broken);
  }
}
