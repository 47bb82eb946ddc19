// 7. Persistence: committed strokes per second through the event log vs raw better-sqlite3.
// Product: LiveService.execute('stroke.add') — the exact path a socket command takes after
// decoding: membership check, idempotency lookup, payload schema, authorise, decide (document
// and stroke-id checks, point rounding), then one transaction appending the hash-chained event,
// the command id and the annotation_strokes row, then the in-memory apply. (The per-user stroke
// rate limit is raised: it exists to stop one person flooding, not to cap the store.)
// Baseline: the very same rows (read back from the product's database) inserted into an identical
// copy of the database, one transaction per stroke of three prepared INSERTs, same pragmas (WAL,
// synchronous=NORMAL, foreign keys on). Both run in this process, one after the other, on tmpfs-or-disk temp dirs.
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
import { LiveTokens, loadOrCreateSecret } from '../server/live/live-tokens';
import { loadConfig } from '../server/config';
import type { BenchResult } from './lib/report';
import type { BenchOptions } from './run';

function strokePoints(i: number, n: number): [number, number, number][] {
  return Array.from({ length: n }, (_, k) => [100 + ((i * 7 + k * 1.37) % 400), 100 + ((i * 13 + k * 2.11) % 600), 0.5 + 0.3 * Math.sin(k / 5)]);
}

export async function persistence(o: BenchOptions): Promise<BenchResult> {
  const strokes = o.quick ? 2000 : 10_000;
  const pointsPerStroke = 60; // about half a second of pen at 120 points/s
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-bench-persist-'));
  const baseDir = path.join(dir, 'baseline');
  try {
    const db = openDb(dir);
    await seedDemo(db, new DocumentStore(dir), () => {});
    const meeting = db.select().from(meetings).get();
    const chair = db.select().from(users).where(eq(users.username, 'chair')).get();
    const doc = db.select().from(documents).where(eq(documents.meetingId, meeting!.id)).get();
    if (!meeting || !chair || !doc) throw new Error('demo seed incomplete');
    const config = loadConfig({ NODE_ENV: 'test' }, { dataDir: dir });
    const live = new LiveService(db, new LiveTokens(loadOrCreateSecret(dir), config), {
      catchUpMaxEvents: config.liveCatchUpMaxEvents,
      annotationLimits: { maxPoints: config.annotationMaxPoints, maxNoteLength: config.annotationMaxNoteLength, strokesPerSecond: 1e9, strokeBurst: 1e9 },
    });
    const principal = { kind: 'user' as const, user: { id: chair.id, isAdmin: chair.isAdmin, username: chair.username } };
    const exec = (i: number) => live.execute(principal, {
      id: `persist-${i}`, meetingId: meeting.id, type: 'stroke.add',
      payload: { strokeId: `persiststroke${i}`, documentId: doc.id, page: 1 + (Math.abs(i) % doc.pageCount), layer: 'shared', tool: 'pen', color: '#1060d0', width: 2, points: strokePoints(i, pointsPerStroke) },
    });
    // the meeting's state is loaded and the code paths warm before the copy and the clock start
    for (let i = 0; i < 200; i++) exec(-1 - i);
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    const startSeq = live.runtime.state(meeting.id).lastSeq;
    fs.mkdirSync(baseDir);
    await db.$client.backup(path.join(baseDir, 'hopso.db'));

    const t0 = performance.now();
    for (let i = 0; i < strokes; i++) exec(i);
    const productMs = performance.now() - t0;

    // the same rows, as the product stored them
    const evRows = db.select().from(meetingEvents).where(and(eq(meetingEvents.meetingId, meeting.id), gt(meetingEvents.seq, startSeq))).all();
    const cmdRows = db.select().from(meetingCommands).where(and(eq(meetingCommands.meetingId, meeting.id), gt(meetingCommands.seq, startSeq))).all();
    const stRows = db.select().from(annotationStrokes).where(and(eq(annotationStrokes.meetingId, meeting.id), gt(annotationStrokes.seq, startSeq))).all();
    db.$client.close();
    if (evRows.length !== strokes || cmdRows.length !== strokes || stRows.length !== strokes) throw new Error(`expected ${strokes} rows, got ${evRows.length}/${cmdRows.length}/${stRows.length}`);
    const cmdBySeq = new Map(cmdRows.map((r) => [r.seq, r]));
    const stBySeq = new Map(stRows.map((r) => [r.seq, r]));

    const raw = new Database(path.join(baseDir, 'hopso.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    const insEv = raw.prepare('INSERT INTO meeting_events (meeting_id, seq, type, actor, payload, at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const insCmd = raw.prepare('INSERT INTO meeting_commands (meeting_id, command_id, actor, seq) VALUES (?, ?, ?, ?)');
    const insSt = raw.prepare('INSERT INTO annotation_strokes (id, meeting_id, document_id, page, author_id, layer, tool, color, width, points, text, removed, seq, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const one = raw.transaction((e: typeof evRows[number]) => {
      insEv.run(e.meetingId, e.seq, e.type, e.actor, e.payload, e.at, e.prevHash, e.hash);
      const c = cmdBySeq.get(e.seq)!;
      insCmd.run(c.meetingId, c.commandId, c.actor, c.seq);
      const s = stBySeq.get(e.seq)!;
      insSt.run(s.id, s.meetingId, s.documentId, s.page, s.authorId, s.layer, s.tool, s.color, s.width, s.points, s.text, s.removed ? 1 : 0, s.seq, s.at);
    });
    const t1 = performance.now();
    for (const e of evRows) one(e);
    const rawMs = performance.now() - t1;
    raw.close();

    const productRate = (strokes * 1000) / productMs;
    const rawRate = (strokes * 1000) / rawMs;
    o.log(`  persistence: product ${productRate.toFixed(0)} strokes/s, raw ${rawRate.toFixed(0)} rows-triples/s`);
    return {
      name: 'persistence',
      rows: [{ bench: 'persistence', metric: `strokes/s (${strokes}×${pointsPerStroke} pts)`, unit: '/s', project: productRate, baseline: rawRate, target: { limit: 0.8, direction: 'min' } }],
      extra: { strokes, pointsPerStroke, productMs, rawMs, compared: 'LiveService.execute(stroke.add) vs one transaction of 3 prepared INSERTs of the identical rows (meeting_events, meeting_commands, annotation_strokes)' },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
