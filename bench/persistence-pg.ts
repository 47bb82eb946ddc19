// The PostgreSQL line of the persistence benchmark (bench/persistence.ts): the command path on a
// PgStore (CommandBatcher → LiveService.executeMany: one transaction per batch, the meeting's
// advisory lock, a savepoint per command) against raw inserts of the same kind of rows (an event
// and its command id), one transaction each, through the same pool. Commands are attendance.mark
// (a read of the member, the event, the command id): the annotation rows of stroke.add need a
// stored document, which this bench does not upload.
// The cluster is a private throwaway one (tests/helpers/postgres.ts), with fsync and
// synchronous_commit OFF: the figures compare the work per command, not the disk's flush, which
// with synchronous_commit on weighs on the raw side's one-commit-per-row far more (STACK.md:
// ≈ 700 appends/s with one transaction each). Skipped, with a message, without PostgreSQL.
import { openPg } from '../server/db/client-pg';
import { PgStore } from '../server/db/store-pg';
import { LiveService } from '../server/live/live-service';
import { LiveTokens } from '../server/live/live-tokens';
import { CommandBatcher, MAX_BATCH } from '../server/realtime/command-batcher';
import type { CommandEnvelope } from '../shared/events';
import type { Row } from './lib/report';
import { postgresAvailable, startPostgres } from '../tests/helpers/postgres';

export async function persistencePg(
  tokens: LiveTokens,
  catchUpMaxEvents: number,
  commands: number,
  log: (line: string) => void,
): Promise<{ rows: Row[]; extra: Record<string, unknown> }> {
  if (!postgresAvailable()) {
    log('  persistence (PostgreSQL): skipped, PostgreSQL 15 is not installed (apt-get install postgresql)');
    return { rows: [], extra: { pg: 'skipped: PostgreSQL not installed' } };
  }
  const cluster = await startPostgres();
  const store = new PgStore(await openPg(cluster.url));
  try {
    const at = new Date().toISOString();
    const ids = { meeting: 'bench-m', raw: 'bench-raw', chair: 'bench-chair', member: 'bench-member' };
    await store.write(null, async (q, t) => {
      for (const id of [ids.chair, ids.member])
        await q.insert(t.users).values({ id, username: id, fullName: id, passwordHash: 'x', createdAt: at });
      for (const id of [ids.meeting, ids.raw])
        await q.insert(t.meetings).values({ id, title: 'Bench', createdAt: at, updatedAt: at });
      await q.insert(t.meetingMembers).values([
        { meetingId: ids.meeting, userId: ids.chair, role: 'chair', addedAt: at },
        { meetingId: ids.meeting, userId: ids.member, role: 'participant', addedAt: at },
      ]);
    });
    const live = new LiveService(store, tokens, { catchUpMaxEvents });
    const batcher = new CommandBatcher(live);
    const principal = { kind: 'user' as const, user: { id: ids.chair, isAdmin: false, username: ids.chair } };
    const command = (i: number): CommandEnvelope =>
      ({
        id: `pg-${i}`,
        meetingId: ids.meeting,
        type: 'attendance.mark',
        payload: { userId: ids.member, status: i % 2 ? 'present' : 'late' },
      }) as CommandEnvelope;
    // warm: the meeting's state loaded, the code paths compiled
    await Promise.all(Array.from({ length: 50 }, (_, i) => batcher.submit(principal, command(-1 - i))));
    const pool = store.db.$client;
    let productMs = 0;
    let rawMs = 0;
    const round = 500;
    for (let done = 0; done < commands; done += round) {
      const n = Math.min(round, commands - done);
      const batch = Array.from({ length: n }, (_, k) => command(done + k));
      const t0 = performance.now();
      await Promise.all(batch.map((c) => batcher.submit(principal, c)));
      productMs += performance.now() - t0;
      const t1 = performance.now();
      for (let k = 0; k < n; k++) {
        const seq = done + k + 1;
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(
            'INSERT INTO meeting_events (meeting_id, seq, type, actor, payload, at, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
            [
              ids.raw,
              seq,
              'attendance.mark',
              ids.chair,
              '{"status":"present","userId":"bench-member"}',
              at,
              'p'.repeat(64),
              'h'.repeat(64),
            ],
          );
          await client.query('INSERT INTO meeting_commands (meeting_id, command_id, actor, seq) VALUES ($1, $2, $3, $4)', [
            ids.raw,
            `raw-${seq}`,
            ids.chair,
            seq,
          ]);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      }
      rawMs += performance.now() - t1;
    }
    const productRate = (commands * 1000) / productMs;
    const rawRate = (commands * 1000) / rawMs;
    log(
      `  persistence (PostgreSQL 15, fsync off): product ${productRate.toFixed(0)} commands/s (group commit, ≤${MAX_BATCH} per transaction), raw ${rawRate.toFixed(0)} event+command inserts/s (one transaction each)`,
    );
    return {
      rows: [
        {
          bench: 'persistence',
          metric: `pg commands/s (${commands} attendance.mark)`,
          unit: '/s',
          project: productRate,
          baseline: rawRate,
          target: null,
          note: 'private cluster, fsync and synchronous_commit off',
        },
      ],
      extra: { pg: { commands, productMs, rawMs } },
    };
  } finally {
    await store.close().catch(() => {});
    cluster.stop();
  }
}
