// Reading progress for 100 readers at once, from 100 real Socket.IO clients (issue 15): how many
// database writes per minute it costs with the shipped flush interval (READ_FLUSH_SECONDS, 10 s),
// against one write per page turn. Prints the figures; asserts only what batching guarantees
// whatever the machine's load (at most one row per reader per flush), never a timing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { connect, demoMeeting, httpLogin, join, barrier, type LiveSocket } from '../helpers/live-client';
import { hashPassword } from '../../server/services/passwords';
import { addMember } from '../../server/services/members';
import { newId, nowIso } from '../../server/ids';
import { sqlGet } from '../helpers/raw-sql';

const READERS = 100;
/** each reader turns a page this often: a fast reader, to load the server */
const TURN_MS = 500;
/** 12 s in the suite (one flush at the default 10 s); READ_LOAD_SECONDS=60 for a steadier per-minute figure */
const RUN_MS = Number(process.env.READ_LOAD_SECONDS ?? 12) * 1000;

let t: TestApp;
let meetingId: string;
let docId: string;
let pageCount: number;
const sockets: LiveSocket[] = [];

beforeAll(async () => {
  t = await buildTestApp({ listen: true, config: { textBackfill: false, loginRateLimitPerMinute: 100_000 } });
  const chair = await httpLogin(t.url, 'chair');
  const m = await demoMeeting(t.url, chair);
  meetingId = m.meeting.id;
  const doc = [...m.documents].sort((a, b) => b.pageCount - a.pageCount)[0]!;
  docId = doc.id;
  pageCount = doc.pageCount;
  // 100 accounts sharing one password hash (one scrypt, not a hundred), members of the meeting
  const hash = await hashPassword('reader-pass-1');
  await t.app.database.write(meetingId, async (tx, tt) => {
    for (let i = 0; i < READERS; i++) {
      const username = `reader${String(i).padStart(3, '0')}`;
      await tx
        .insert(tt.users)
        .values({ id: newId(), username, fullName: `Đại biểu ${i}`, passwordHash: hash, createdAt: nowIso() });
      await addMember(tx, tt, meetingId, username, 'participant');
    }
  });
  for (let i = 0; i < READERS; i++) {
    const s = await connect(t.url, { cookie: await httpLogin(t.url, `reader${String(i).padStart(3, '0')}`, 'reader-pass-1') });
    await join(s, meetingId);
    sockets.push(s);
  }
}, 180_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await t.close();
});

describe('read tracking under 100 readers', () => {
  it('costs a few write transactions a minute, not one per page turn', async () => {
    const before = { ...t.app.reads.stats };
    let sent = 0;
    const started = Date.now();
    const timers = sockets.map((s, i) => {
      let page = (i % pageCount) + 1;
      return setInterval(() => {
        s.emit('presence.update', { meetingId, following: false, documentId: docId, page });
        sent++;
        page = (page % pageCount) + 1;
      }, TURN_MS);
    });
    await new Promise((r) => setTimeout(r, RUN_MS));
    for (const timer of timers) clearInterval(timer);
    for (const s of sockets) await barrier(s);
    const seconds = (Date.now() - started) / 1000;
    const views = t.app.reads.stats.views - before.views;
    const flushes = t.app.reads.stats.flushes - before.flushes;
    const rows = t.app.reads.stats.rows - before.rows;
    const perMin = (n: number) => Math.round((n * 60) / seconds);
    console.log(
      `read tracking, ${READERS} real socket readers for ${seconds.toFixed(1)} s, a page turn every ${TURN_MS} ms each, flush every ${t.config.readFlushMs / 1000} s:\n` +
        `  page turns sent ${perMin(sent)}/min, accepted ${perMin(views)}/min (one write each would be ${perMin(views)} writes/min)\n` +
        `  write transactions ${perMin(flushes)}/min, rows upserted ${perMin(rows)}/min ` +
        `(${(views / Math.max(1, flushes)).toFixed(0)} page turns per transaction, ${(views / Math.max(1, rows)).toFixed(1)} per row)`,
    );
    expect(views).toBeGreaterThan(0);
    expect(flushes).toBeGreaterThan(0);
    // batching: one row per reader who moved, per flush, whatever the load
    expect(rows).toBeLessThanOrEqual(flushes * READERS);
    // and everyone's progress is there once flushed
    await t.app.reads.flush();
    const stored = (await sqlGet<{ n: number | string; lo: number }>(
      t.app,
      'select count(*) n, min(pages_viewed) lo from document_reads where document_id = ?',
      docId,
    ))!;
    expect(Number(stored.n)).toBe(READERS);
    expect(stored.lo).toBeGreaterThan(1);
  }, 120_000);
});
