// Making a secret vote's erasure reach PostgreSQL's files (issue 14). At close the per-vote key is
// set NULL and the sealed ballots deleted, but an UPDATE or DELETE only marks the old row versions
// dead: their bytes stay in the table's pages until VACUUM removes them, and a plain VACUUM only
// compacts the page, which leaves the freed bytes in the page's free space unless newer tuples
// happen to be moved over them. So after the close, `VACUUM (FULL)` rewrites the two tables that
// held those bytes (votes, sealed_ballots) into new files holding only the live rows; PostgreSQL
// truncates and unlinks the old files at once (the old relfilenode).
//
// Two conditions, each waited for, never forced:
// - No snapshot that can still see the old row. VACUUM FULL copies "recently dead" rows, those
//   deleted by a transaction not older than the oldest xmin any snapshot of this database may hold:
//   rewriting then would carry the key into the new file. Which snapshots count is PostgreSQL's
//   horizon rule (ComputeXidHorizons), mirrored here: every backend of this database, whatever its
//   kind (the app's processes, `npm run backup`'s pg_dump, an autovacuum worker's ANALYZE); every
//   process attached to no database; standbys' feedback (walsenders) and replication slots; and,
//   easy to miss, every transaction still running in ANY database of the cluster: a snapshot taken
//   now, the rewrite's own included, has for xmin the oldest xid still running anywhere. One CI run
//   of the PostgreSQL pass (two test files at once, each its own database on one cluster) found the
//   key copied into the rewritten files: the other database's write transaction was in flight
//   across the close (reproduced: its backend shows an xid and no xmin, and VACUUM (FULL, VERBOSE)
//   reports "1 dead row versions cannot be removed yet"). The rewrite waits until all of these are
//   newer than the close (the next xid when the scrub was asked for, after the close committed);
//   none older can appear later, since every xid assigned since is newer. And the rewrite's own
//   report is read back: if PostgreSQL says it kept dead row versions, the rewrite is made again later.
import type pg from 'pg';
import type { PgStore } from './store-pg';
import { isUnavailable } from './store-pg';

/** How long the rewrite may wait for its lock before giving up for now (every reader of votes waits behind it). */
export const SCRUB_LOCK_TIMEOUT_MS = 500;

/** Errors after which the rewrite is tried again later: lock_timeout, a deadlock, a statement_timeout a DBA set on the role. */
const TRY_LATER_CODES = new Set(['55P03', '40P01', '57014']);

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
  // age() counts back from the next xid: an xmin older than the horizon is one of greater age.
  // The first term: the oldest transaction running anywhere in the cluster (a snapshot's xmin).
  const r = await client.query<{ n: string }>(
    `WITH h AS (SELECT age((($1::bigint) % 4294967296)::text::xid) AS a)
     SELECT (CASE WHEN pg_snapshot_xmin(pg_current_snapshot()) < $1::text::xid8 THEN 1 ELSE 0 END)
          + (SELECT count(*) FROM pg_stat_activity, h
              WHERE (datname = current_database() OR datname IS NULL OR backend_type = 'walsender')
                AND pid <> pg_backend_pid()
                AND ((backend_xmin IS NOT NULL AND age(backend_xmin) > h.a)
                  OR (backend_xid IS NOT NULL AND age(backend_xid) > h.a)))
          + (SELECT count(*) FROM pg_replication_slots, h
              WHERE (xmin IS NOT NULL AND age(xmin) > h.a)
                 OR (catalog_xmin IS NOT NULL AND age(catalog_xmin) > h.a)) AS n`,
    [horizon],
  );
  return Number(r.rows[0]!.n) > 0;
}

/**
 * VACUUM (FULL, VERBOSE) of one table; true when PostgreSQL reports it had to keep dead row
 * versions (its INFO detail "N dead row versions cannot be removed yet"). The words are matched in
 * English only: under a translated lc_messages this check says nothing and the wait above decides.
 */
async function rewroteWithDeadRows(client: pg.PoolClient, table: 'sealed_ballots' | 'votes'): Promise<boolean> {
  let kept = 0;
  const onNotice = (n: { detail?: string }) => {
    const m = /^(\d+) dead row versions cannot be removed yet/.exec(n.detail ?? '');
    if (m) kept += Number(m[1]);
  };
  client.on('notice', onNotice);
  try {
    await client.query(`VACUUM (FULL, VERBOSE) ${table}`);
  } finally {
    client.off('notice', onNotice);
  }
  return kept > 0;
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
      const keptBallots = await rewroteWithDeadRows(client, 'sealed_ballots');
      const keptVotes = await rewroteWithDeadRows(client, 'votes');
      // a row a snapshot could still see was copied: the old key may be in the new file; again later
      if (keptBallots || keptVotes) return { outcome: 'later', horizon: h };
    } finally {
      await client.query('RESET lock_timeout');
    }
    return { outcome: 'done', horizon: h };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== undefined && TRY_LATER_CODES.has(code)) return { outcome: 'later', horizon };
    broken = err as Error;
    if (isUnavailable(err)) return { outcome: 'later', horizon };
    throw err;
  } finally {
    // a connection that failed mid-way is discarded, not handed back with lock_timeout still set
    client.release(broken);
  }
}
