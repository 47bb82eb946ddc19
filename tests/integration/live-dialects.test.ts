// The live command path on both databases (issue 14): the same cases on a SqliteStore over a real
// file and a PgStore over a private PostgreSQL cluster (tests/helpers/postgres.ts): the hash-chained
// log appended and verified (and a tampered row caught); two writers (two pools on pg = two
// processes; two connections on SQLite) appending to one meeting at once get gapless seqs in order;
// a command id repeated gives one event; a group commit with refused commands in the middle commits
// the others; and secret ballots: none in secret_ballots while the vote is open (sealed rows keep
// them, durably: another pool and a fresh LiveService count them all at close), and after close on
// PostgreSQL one xmin for every ballot row (the close's) and a physical (ctid) order that is the
// published receipt order, not the casting order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../server/db/client';
import { openPg } from '../../server/db/client-pg';
import { PgStore } from '../../server/db/store-pg';
import { SqliteStore, isUniqueViolation, type Store } from '../../server/db/store';
import { appendEvent, headOf, readEvents, verifyChain } from '../../server/live/event-log';
import { LiveService } from '../../server/live/live-service';
import { LiveTokens, loadOrCreateSecret } from '../../server/live/live-tokens';
import { loadConfig } from '../../server/config';
import type { Principal } from '../../server/live/principal';
import type { CommandEnvelope, LiveEvent } from '../../shared/events';
import { startPostgres, type PgCluster } from '../helpers/postgres';

let cluster: PgCluster;
let dataDir: string;
let sqliteDb: Db;
const stores: Record<'sqlite' | 'pg', Store> = {} as never;
/**
 * A second store on the same database: another pool on pg (another process); on SQLite another
 * connection, used for reads and for a fresh service after the first is idle. (Two SQLite writer
 * connections in ONE process cannot interleave asynchronous transactions: one's BEGIN IMMEDIATE
 * busy-waits on the event loop the other's open transaction needs. Two processes sharing a file
 * are covered by shared-database.test.ts and multi-process.test.ts.)
 */
const others: Record<'sqlite' | 'pg', Store> = {} as never;
let tokens: LiveTokens;
let catchUpMaxEvents: number;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-live-dialects-'));
  sqliteDb = openDb(dataDir);
  stores.sqlite = new SqliteStore(sqliteDb);
  others.sqlite = new SqliteStore(openDb(dataDir));
  cluster = await startPostgres();
  stores.pg = new PgStore(await openPg(cluster.url));
  others.pg = new PgStore(await openPg(cluster.url));
  const config = loadConfig({ NODE_ENV: 'test' }, { dataDir });
  tokens = new LiveTokens(loadOrCreateSecret(dataDir), config);
  catchUpMaxEvents = config.liveCatchUpMaxEvents;
}, 120_000);
afterAll(async () => {
  for (const s of [stores.sqlite, others.sqlite, stores.pg, others.pg]) await s?.close().catch(() => {});
  sqliteDb?.$client.close();
  (others.sqlite as SqliteStore | undefined)?.db.$client.close();
  cluster?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const at = '2026-03-02T08:00:00.000Z';
let n = 0;
const uid = (p: string) => `${p}${++n}x${process.pid}`;

/** A meeting with a chair and `voters` participants; returns their ids. */
async function meetingWith(s: Store, voters = 1): Promise<{ meetingId: string; chair: string; members: string[] }> {
  const meetingId = uid('m');
  const chair = uid('chair');
  const members = Array.from({ length: voters }, () => uid('u'));
  await s.write(null, async (q, t) => {
    for (const id of [chair, ...members])
      await q.insert(t.users).values({ id, username: id, fullName: `Người ${id}`, passwordHash: 'x', createdAt: at });
    await q.insert(t.meetings).values({ id: meetingId, title: 'Họp thử', createdAt: at, updatedAt: at });
    await q
      .insert(t.meetingMembers)
      .values([
        { meetingId, userId: chair, role: 'chair', addedAt: at },
        ...members.map((userId) => ({ meetingId, userId, role: 'participant' as const, addedAt: at })),
      ]);
  });
  return { meetingId, chair, members };
}

const asUser = (id: string): Principal => ({ kind: 'user', user: { id, isAdmin: false, username: id } });
const liveOn = (s: Store) => new LiveService(s, tokens, { catchUpMaxEvents });
const cmd = (meetingId: string, type: string, payload: unknown, id = uid('c')): CommandEnvelope =>
  ({ id, meetingId, type, payload }) as CommandEnvelope;

describe.each(['sqlite', 'pg'] as const)('the live log on %s', (dialect) => {
  const s = () => stores[dialect];

  it('appends a hash chain that verifies, and catches a tampered row', async () => {
    const { meetingId } = await meetingWith(s());
    for (let i = 0; i < 5; i++)
      await s().write(meetingId, (q, t) =>
        appendEvent(q, t, { meetingId, type: 'test.marker', actor: 'test', payload: { i, text: 'Biên bản' }, at }),
      );
    const log = await s().read((q, t) => verifyChain(q, t, meetingId));
    expect(log).toMatchObject({ verified: true, brokenAtSeq: null });
    expect(log.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(log.events[2]!.payload).toEqual({ i: 2, text: 'Biên bản' });
    await s().write(meetingId, (q, t) =>
      q
        .update(t.meetingEvents)
        .set({ payload: '{"i":99,"text":"Biên bản"}' })
        .where(and(eq(t.meetingEvents.meetingId, meetingId), eq(t.meetingEvents.seq, 3))),
    );
    expect(await s().read((q, t) => verifyChain(q, t, meetingId))).toMatchObject({ verified: false, brokenAtSeq: 3 });
  });

  it('two writers (two pools on pg) appending to one meeting at once get gapless seqs in order', async () => {
    const { meetingId } = await meetingWith(s());
    const appendFrom = (store: Store, who: string, i: number) =>
      store.write(meetingId, (q, t) => appendEvent(q, t, { meetingId, type: 'test.marker', actor: who, payload: { i }, at }));
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => [
        appendFrom(s(), 'a', i),
        appendFrom(dialect === 'pg' ? others.pg : s(), 'b', i),
      ]).flat(),
    );
    expect(results.map((r) => r.event.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    const log = await s().read((q, t) => verifyChain(q, t, meetingId));
    expect(log.verified).toBe(true);
    expect(log.events.length).toBe(80);
    // each writer's own appends are in the order it made them
    for (const who of ['a', 'b']) {
      const mine = log.events.filter((e) => e.actor === who).map((e) => (e.payload as { i: number }).i);
      expect(mine.length).toBe(40);
    }
    expect((await s().read((q, t) => headOf(q, t, meetingId))).seq).toBe(80);
  });

  it('the same command id twice: one event (unique key); through LiveService the repeat answers the first seq', async () => {
    const { meetingId, chair, members } = await meetingWith(s(), 1);
    await s().write(meetingId, (q, t) =>
      appendEvent(q, t, { meetingId, type: 'test.marker', actor: chair, payload: {}, at, commandId: 'same-id' }),
    );
    const err = await s()
      .write(meetingId, (q, t) =>
        appendEvent(q, t, { meetingId, type: 'test.marker', actor: chair, payload: {}, at, commandId: 'same-id' }),
      )
      .catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect((await s().read((q, t) => headOf(q, t, meetingId))).seq).toBe(1);

    const live = liveOn(s());
    const mark = cmd(meetingId, 'attendance.mark', { userId: members[0], status: 'present' }, 'mark-once');
    const first = await live.execute(asUser(chair), mark);
    expect(first.seq).toBe(2);
    expect(first.event?.type).toBe('attendance.mark');
    const again = await live.execute(asUser(chair), mark);
    expect(again).toEqual({ seq: 2 });
    expect((await s().read((q, t) => headOf(q, t, meetingId))).seq).toBe(2);
  });

  it('a group commit: refused commands in the middle fail alone, the others commit in order', async () => {
    const { meetingId, chair, members } = await meetingWith(s(), 2);
    const live = liveOn(s());
    const out = await live.executeMany([
      { principal: asUser(chair), cmd: cmd(meetingId, 'meeting.start', {}) },
      { principal: asUser(chair), cmd: cmd(meetingId, 'meeting.start', {}) }, // already running
      { principal: asUser(chair), cmd: cmd(meetingId, 'attendance.mark', { userId: members[0], status: 'present' }) },
      { principal: asUser(chair), cmd: cmd(meetingId, 'attendance.mark', { userId: 'nobody', status: 'present' }) },
      { principal: asUser(members[1]!), cmd: cmd(meetingId, 'floor.request', { kind: 'speak' }) },
    ]);
    expect(out.map((o) => (o.ok ? o.result.seq : (o.error as { code?: string }).code))).toEqual([
      1,
      'CONFLICT',
      2,
      'NOT_FOUND',
      3,
    ]);
    const log = await s().read((q, t) => verifyChain(q, t, meetingId));
    expect(log.verified).toBe(true);
    expect(log.events.map((e) => e.type)).toEqual(['meeting.start', 'attendance.mark', 'floor.request']);
    // alsoInTx committed with its event; the floor request carries the name read in the transaction
    const [m] = await s().read((q, t) =>
      q.select({ status: t.meetings.status }).from(t.meetings).where(eq(t.meetings.id, meetingId)),
    );
    expect(m?.status).toBe('running');
    expect(log.events[2]!.payload).toMatchObject({ userId: members[1], name: `Người ${members[1]}` });
    expect(live.runtime.state(meetingId)).toMatchObject({ lastSeq: 3, status: 'running' });
  });

  it('a catch-up from memory is whole: what another process appended is in it, never a stale tail or a hole', async () => {
    const { meetingId, chair, members } = await meetingWith(s(), 1);
    // two services on two connections (two pools on pg): two processes, neither told of the other's appends
    const a = liveOn(s());
    const b = liveOn(others[dialect]);
    let n = 0;
    const mark = (live: LiveService) =>
      live.execute(
        asUser(chair),
        cmd(meetingId, 'attendance.mark', { userId: members[0], status: n++ % 2 ? 'present' : 'absent' }),
      );
    const caughtUp = async (live: LiveService, sinceSeq: number) => {
      const r = await live.join(asUser(members[0]!), { meetingId, sinceSeq });
      if (!r.eventsJson) throw new Error('a catch-up was expected');
      return r.eventsJson.map((j) => JSON.parse(j) as LiveEvent);
    };
    const logged = async (sinceSeq: number) => s().read((q, t) => readEvents(q, t, meetingId, sinceSeq));

    for (let i = 0; i < 4; i++) await mark(b); // 1..4 committed by b: in b's memory
    expect(b.recent.range(meetingId, 0, 4)?.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    for (let i = 0; i < 3; i++) await mark(a); // 5..7 by a; b holds 1..4 and is not told
    const got = await caughtUp(b, 2);
    expect(got.map((e) => e.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(got).toEqual(await logged(2));
    // the join's catch-up of the log took a's events into b's memory: the run is whole to the head
    expect(b.recent.range(meetingId, 2, 7)?.map((e) => e.seq)).toEqual([3, 4, 5, 6, 7]);

    await mark(a); // 8 by a
    await mark(b); // 9 by b: its write folds 8 in first
    await mark(a); // 10 by a, not told to b
    expect(await caughtUp(b, 0)).toEqual(await logged(0));
    expect((await caughtUp(b, 8)).map((e) => e.seq)).toEqual([9, 10]);
    // a built its state from the log (1..4 not in its memory), then folded 9 into its write of 10
    expect(a.recent.range(meetingId, 4, 10)?.map((e) => e.seq)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(a.recent.range(meetingId, 0, 10)).toBeNull();
    expect(await caughtUp(a, 0)).toEqual(await logged(0)); // read from the log, and kept
    expect(a.recent.range(meetingId, 0, 10)?.length).toBe(10);
    await mark(b); // 11, 12 by b; a is not told, its join reads them
    await mark(b);
    expect(await caughtUp(a, 7)).toEqual(await logged(7));
    expect((await caughtUp(a, 0)).map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));

    // b's meeting state rebuilt from the log (as after a failed group commit): that build tells its
    // memory of events nothing, so what a appends next is only in the log; b's catch-up reads it
    expect(b.recent.range(meetingId, 0, 12)?.length).toBe(12);
    b.runtime.forget(meetingId);
    await mark(a);
    await mark(a);
    expect(await caughtUp(b, 11)).toEqual(await logged(11));
    expect((await caughtUp(b, 0)).map((e) => e.seq)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
  });

  it('a secret vote: ballots only sealed while open (durable), published together at close', async () => {
    const VOTERS = 20;
    const { meetingId, chair, members } = await meetingWith(s(), VOTERS);
    const live = liveOn(s());
    const ok = async (who: string, type: string, payload: unknown) => {
      const r = await live.execute(asUser(who), cmd(meetingId, type, payload));
      expect(r.event?.type, type).toBe(type);
      return r;
    };
    await ok(chair, 'meeting.start', {});
    const marks = await live.executeMany(
      [chair, ...members].map((userId) => ({
        principal: asUser(chair),
        cmd: cmd(meetingId, 'attendance.mark', { userId, status: 'present' }),
      })),
    );
    expect(marks.every((o) => o.ok)).toBe(true);
    const created = await ok(chair, 'vote.create', {
      question: 'Thông qua nghị quyết?',
      secret: true,
      rule: { kind: 'majority_of_present' },
    });
    const voteId = (created.event!.payload as { voteId: string }).voteId;
    await ok(chair, 'vote.open', { voteId });
    // cast in a known order, one transaction each: c1 c2 c3 c1 c2 …
    const receipts: string[] = [];
    for (let i = 0; i < VOTERS; i++) {
      const r = await ok(members[i]!, 'ballot.cast', { voteId, choice: ['for', 'against', 'abstain'][i % 3] });
      receipts.push(r.ack!.receipt!);
    }
    const count = async (store: Store, table: 'secretBallots' | 'sealedBallots') =>
      (await store.read((q, t) => q.select({ v: t[table].voteId }).from(t[table]).where(eq(t[table].voteId, voteId)))).length;
    // while open: nothing in secret_ballots; every ballot sealed and committed (another connection sees them)
    expect(await count(s(), 'secretBallots')).toBe(0);
    expect(await count(others[dialect], 'sealedBallots')).toBe(VOTERS);

    // a restart before close (a fresh service, another connection): every ballot is counted
    const restarted = liveOn(others[dialect]);
    const closed = await restarted.execute(asUser(chair), cmd(meetingId, 'vote.close', { voteId }));
    expect(closed.event?.type).toBe('vote.close');
    const result = (closed.event!.payload as { result: { cast: number; ballots: { receipt: string }[] } }).result;
    expect(result.cast).toBe(VOTERS);
    expect(result.ballots.map((b) => b.receipt).sort()).toEqual([...receipts].sort());
    expect(await count(s(), 'secretBallots')).toBe(VOTERS);
    expect(await count(s(), 'sealedBallots')).toBe(0);
    const [vote] = await s().read((q, t) => q.select({ key: t.votes.receiptKey }).from(t.votes).where(eq(t.votes.id, voteId)));
    expect(vote?.key).toBeNull();

    if (dialect !== 'pg') return;
    // PostgreSQL: the rows' system columns say nothing of the casting order
    const pool = (s() as PgStore).db.$client;
    const rows = (
      await pool.query<{ xmin: string; ctid: string; receipt: string }>(
        'SELECT xmin::text AS xmin, ctid::text AS ctid, receipt FROM secret_ballots WHERE vote_id = $1 ORDER BY secret_ballots.ctid',
        [voteId],
      )
    ).rows;
    expect(rows.length).toBe(VOTERS);
    expect(new Set(rows.map((r) => r.xmin)).size).toBe(1); // one transaction: the close
    const [castXmin] = (
      await pool.query<{ xmin: string }>(
        "SELECT xmin::text AS xmin FROM meeting_events WHERE meeting_id = $1 AND type = 'ballot.cast' LIMIT 1",
        [meetingId],
      )
    ).rows;
    expect(rows[0]!.xmin).not.toBe(castXmin!.xmin);
    const castOrder = rows.map((r) => receipts.indexOf(r.receipt));
    expect(castOrder.every((i) => i >= 0)).toBe(true);
    const identity = Array.from({ length: VOTERS }, (_, i) => i);
    expect(castOrder).not.toEqual(identity);
    expect(castOrder).not.toEqual([...identity].reverse());
    // the physical order is the published list's (receipt order): nothing the list does not show
    expect(rows.map((r) => r.receipt)).toEqual(rows.map((r) => r.receipt).sort());
  }, 60_000);
});
