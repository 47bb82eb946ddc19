// 7. Persistence: committed strokes per second through the event log vs raw better-sqlite3.
// Product: the socket path after decoding — CommandBatcher → LiveService.executeMany('stroke.add'):
// session and membership check, idempotency, payload schema, authorise, decide (document and
// stroke-id checks, point rounding), appending the hash-chained event, the command id and the
// annotation_strokes row under a savepoint, the in-memory apply; the commands of one turn (≤64)
// commit in one transaction (group commit). LiveService.execute, one transaction per stroke, is
// measured beside it and printed for comparison. (The per-user stroke
// rate limit is raised: it exists to stop one person flooding, not to cap the store.)
// Baseline: the very same rows (read back from the product's database) inserted into an identical
// copy of the database, one transaction per stroke of three prepared INSERTs, same pragmas (WAL,
// synchronous=NORMAL, foreign keys on). Both run in this process, in interleaved rounds of 500 strokes, on
// temp dirs of the same disk. Then the PostgreSQL line (bench/persistence-pg.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { eq, gt, and } from 'drizzle-orm';
import { openDb } from '../server/db/client';
import { annotationStrokes, meetingCommands, meetingEvents, meetings, users, documents } from '../server/db/schema';
import { DocumentStore } from '../server/services/document-store';
import { seedDemo } from '../server/seed/demo-seed';
import { LiveService } from '../server/live/live-service';
import { CommandBatcher, MAX_BATCH } from '../server/realtime/command-batcher';
import { loginSync } from '../server/services/auth';
import { SqliteStore } from '../server/db/store';
import { LiveTokens, loadOrCreateSecret } from '../server/live/live-tokens';
import { loadConfig } from '../server/config';
import type { BenchResult } from './lib/report';
import { persistencePg } from './persistence-pg';
import type { BenchOptions } from './run';

function strokePoints(i: number, n: number): [number, number, number][] {
  return Array.from({ length: n }, (_, k) => [
    100 + ((i * 7 + k * 1.37) % 400),
    100 + ((i * 13 + k * 2.11) % 600),
    0.5 + 0.3 * Math.sin(k / 5),
  ]);
}

export async function persistence(o: BenchOptions): Promise<BenchResult> {
  // quick: 5000 (10 rounds), not 2000: with 4 rounds one WAL checkpoint's fsync landing on one
  // side moved the ratio by ±0.05 from run to run (quick 0.71–0.86 where full runs gave 0.80–0.83
  // on the same code); about a second more
  const strokes = o.quick ? 5000 : 10_000;
  const pointsPerStroke = 60; // about half a second of pen at 120 points/s
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-bench-persist-'));
  const baseDir = path.join(dir, 'baseline');
  try {
    const db = openDb(dir);
    const seeding = new SqliteStore(db);
    await seedDemo(seeding, new DocumentStore(dir), () => {});
    await seeding.close();
    const meeting = db.select().from(meetings).get();
    const chair = db.select().from(users).where(eq(users.username, 'chair')).get();
    const doc = db.select().from(documents).where(eq(documents.meetingId, meeting!.id)).get();
    if (!meeting || !chair || !doc) throw new Error('demo seed incomplete');
    const config = loadConfig({ NODE_ENV: 'test' }, { dataDir: dir });
    const store = new SqliteStore(db);
    const live = new LiveService(store, new LiveTokens(loadOrCreateSecret(dir), config), {
      catchUpMaxEvents: config.liveCatchUpMaxEvents,
      annotationLimits: {
        maxPoints: config.annotationMaxPoints,
        maxNoteLength: config.annotationMaxNoteLength,
        strokesPerSecond: 1e9,
        strokeBurst: 1e9,
      },
    });
    // a real session, as a socket has: every command re-checks it in its transaction
    const { sessionId } = await loginSync(
      db,
      new SqliteStore(db, { readConnection: false }),
      'chair',
      'demo1234',
      12,
      undefined,
      'bench',
    );
    const principal = {
      kind: 'user' as const,
      user: { id: chair.id, isAdmin: chair.isAdmin, username: chair.username },
      ...(process.env.BENCH_NO_SESSION ? {} : { sessionId }),
    };
    // commands are built before the clock starts, as the raw side's rows are: what a client sends
    // is not the server's work
    const command = (i: number) => ({
      id: `persist-${i}`,
      meetingId: meeting.id,
      type: 'stroke.add' as const,
      payload: {
        strokeId: `persiststroke${String(i).padStart(10, '0')}`,
        documentId: doc.id,
        page: 1 + (Math.abs(i) % doc.pageCount),
        layer: 'shared',
        tool: 'pen',
        color: '#1060d0',
        width: 2,
        points: strokePoints(i, pointsPerStroke),
      },
    });
    const exec = (cmd: ReturnType<typeof command>) => live.execute(principal, cmd);
    // the meeting's state is loaded and the code paths warm before the copy and the clock start
    for (let i = 0; i < 200; i++) await exec(command(-1 - i));
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    fs.mkdirSync(baseDir);
    await db.$client.backup(path.join(baseDir, 'hopso.db'));

    const raw = new Database(path.join(baseDir, 'hopso.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    const insEv = raw.prepare(
      'INSERT INTO meeting_events (meeting_id, seq, type, actor, payload, at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insCmd = raw.prepare('INSERT INTO meeting_commands (meeting_id, command_id, actor, seq) VALUES (?, ?, ?, ?)');
    const insSt = raw.prepare(
      'INSERT INTO annotation_strokes (id, meeting_id, document_id, page, author_id, layer, tool, color, width, points, text, removed, seq, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    type Triple = [typeof meetingEvents.$inferSelect, typeof meetingCommands.$inferSelect, typeof annotationStrokes.$inferSelect];
    const one = raw.transaction(([e, c, s]: Triple) => {
      insEv.run(e.meetingId, e.seq, e.type, e.actor, e.payload, e.at, e.prevHash, e.hash);
      insCmd.run(c.meetingId, c.commandId, c.actor, c.seq);
      insSt.run(
        s.id,
        s.meetingId,
        s.documentId,
        s.page,
        s.authorId,
        s.layer,
        s.tool,
        s.color,
        s.width,
        s.points,
        s.text,
        s.removed ? 1 : 0,
        s.seq,
        s.at,
      );
    });
    // the same rows, as the product stored them
    const rowsAfter = (afterSeq: number): Triple[] => {
      const where = <T extends typeof meetingEvents | typeof meetingCommands | typeof annotationStrokes>(t: T) =>
        and(eq(t.meetingId, meeting.id), gt(t.seq, afterSeq));
      const evRows = db.select().from(meetingEvents).where(where(meetingEvents)).all();
      const cmdBySeq = new Map(
        db
          .select()
          .from(meetingCommands)
          .where(where(meetingCommands))
          .all()
          .map((r) => [r.seq, r]),
      );
      const stBySeq = new Map(
        db
          .select()
          .from(annotationStrokes)
          .where(where(annotationStrokes))
          .all()
          .map((r) => [r.seq, r]),
      );
      return evRows.map((e) => [e, cmdBySeq.get(e.seq)!, stBySeq.get(e.seq)!]);
    };

    // Interleaved rounds (product, then the same rows raw), so that a change in the machine's load
    // or the disk's state during the run weighs on both sides alike.
    const round = 500;
    let productMs = 0;
    let rawMs = 0;
    let unbatchedMs = 0;
    let done = 0;
    let extraIds = strokes;
    // the socket path: every command of a turn in one transaction (group commit, MAX_BATCH per
    // transaction); a round's commands all arrive in one turn, as under a burst of pens
    const batcher = new CommandBatcher(live);
    const roundRatios: number[] = [];
    while (done < strokes) {
      const n = Math.min(round, strokes - done);
      const before = live.runtime.state(meeting.id).lastSeq;
      const commands = Array.from({ length: n }, (_, k) => command(done + k));
      const t0 = performance.now();
      await Promise.all(commands.map((c) => batcher.submit(principal, c)));
      const pMs = performance.now() - t0;
      const rows = rowsAfter(before);
      if (rows.length !== n || rows.some(([, c, s]) => !c || !s)) throw new Error(`expected ${n} rows, got ${rows.length}`);
      const t1 = performance.now();
      for (const r of rows) one(r);
      const rMs = performance.now() - t1;
      productMs += pMs;
      rawMs += rMs;
      roundRatios.push(rMs / pMs);
      // for comparison, not the figure: the same number of strokes one transaction each (execute)
      const single = Array.from({ length: n }, () => command(extraIds++));
      const t2 = performance.now();
      for (const c of single) await exec(c);
      unbatchedMs += performance.now() - t2;
      done += n;
    }
    raw.close();
    await store.close();
    db.$client.close();
    // the same path on PostgreSQL (skipped with a message when it is not installed)
    const pg = await persistencePg(
      new LiveTokens(loadOrCreateSecret(dir), config),
      config.liveCatchUpMaxEvents,
      o.quick ? 2000 : 10_000,
      o.log,
    );

    const productRate = (strokes * 1000) / productMs;
    const rawRate = (strokes * 1000) / rawMs;
    const unbatchedRate = (strokes * 1000) / unbatchedMs;
    o.log(
      `  persistence: product ${productRate.toFixed(0)} strokes/s (group commit, ≤${MAX_BATCH} per transaction), raw ${rawRate.toFixed(0)} rows-triples/s (one transaction each); one transaction per stroke: ${unbatchedRate.toFixed(0)} strokes/s (${(unbatchedRate / rawRate).toFixed(2)}×)`,
    );
    return {
      name: 'persistence',
      rows: [
        {
          bench: 'persistence',
          metric: `strokes/s (${strokes}×${pointsPerStroke} pts)`,
          unit: '/s',
          project: productRate,
          baseline: rawRate,
          target: { limit: 0.8, direction: 'min' },
        },
        ...pg.rows,
      ],
      extra: {
        strokes,
        pointsPerStroke,
        productMs,
        rawMs,
        unbatchedMs,
        unbatchedRatio: unbatchedRate / rawRate,
        ...pg.extra,
        maxBatch: MAX_BATCH,
        round,
        roundRatios,
        compared:
          'the socket path (CommandBatcher → LiveService.executeMany: group commit, a savepoint per stroke.add) vs one transaction of 3 prepared INSERTs of the identical rows (meeting_events, meeting_commands, annotation_strokes); unbatched = LiveService.execute, one transaction per stroke',
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
