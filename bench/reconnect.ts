// 3. Reconnect catch-up. A meeting with history (strokes and page turns from earlier), a delegate
// who was there leaves; the meeting goes on for the away time (page turns by the chair, shared
// strokes by seven members); the delegate comes back.
// Catch-up: connect + `meeting.join { sinceSeq }` → the events it missed, in the ack.
// Fresh join: connect + `meeting.join` (snapshot) + GET the shown document's marks — what a new
// client needs to be whole. Both timed from connect to having everything, in a client process.
// Delivered: the catch-up's seqs are exactly lastSeq+1..head (every event is visible to a delegate:
// page turns and shared strokes).
import { Fleet, type CommandResult, startMeeting } from './lib/fleet-client';
import { DRAWING_USERS, demoSetup } from './lib/product';
import { startProductServer } from './lib/server-process';
import { sleep } from './lib/clock';
import { median } from './lib/stats';
import type { BenchResult } from './lib/report';
import type { BenchOptions } from './run';

function stroke(documentId: string, page: number, i: number) {
  return {
    documentId,
    page,
    layer: 'shared',
    tool: 'pen',
    color: '#2050c0',
    width: 2,
    points: Array.from({ length: 60 }, (_, k) => [100 + ((i * 5 + k * 3) % 400), 100 + ((i * 11 + k * 2) % 600), 0.5]),
  };
}

/** Page turns and strokes spread evenly over `ms`; returns how many were committed. */
async function activity(
  f: Fleet,
  meetingId: string,
  documentId: string,
  pageCount: number,
  ms: number,
  turns: number,
  strokes: number,
  tag: string,
): Promise<number> {
  const total = turns + strokes;
  const every = ms / total;
  const t0 = performance.now();
  let ok = 0;
  for (let i = 0; i < total; i++) {
    const isTurn = i % Math.ceil(total / Math.max(1, turns)) === 0;
    const writer = isTurn ? 0 : 1 + (i % (DRAWING_USERS.length - 1));
    const page = 1 + (i % pageCount);
    const r = await f.call<CommandResult>('command', {
      writer,
      id: `${tag}-${i}`,
      meetingId,
      type: isTurn ? 'page.set' : 'stroke.add',
      payload: isTurn ? { documentId, page } : stroke(documentId, page, i),
    });
    if (r.ack.ok) ok++;
    const wait = t0 + (i + 1) * every - performance.now();
    if (wait > 0) await sleep(wait);
  }
  return ok;
}

export async function reconnect(o: BenchOptions): Promise<BenchResult> {
  const awayMs = o.quick ? 5000 : 30_000;
  // a lively meeting: a page turn every 2 s and 8 strokes/s for 30 s, whatever the away time
  const turns = 15;
  const strokes = 240;
  const historyStrokes = o.quick ? 150 : 1000;
  const reps = o.quick ? 5 : 15;
  const server = await startProductServer({ label: 'reconnect' });
  const writers = Fleet.start('fleet-writers');
  const client = Fleet.start('fleet-returning');
  try {
    const s = await demoSetup(server.url);
    await startMeeting(server.url, s);
    await writers.call('writers', { url: server.url, cookies: DRAWING_USERS.map((u) => s.cookies[u]), meetingId: s.meetingId });
    // earlier in the meeting
    await activity(writers, s.meetingId, s.documentId, s.pageCount, historyStrokes * 20, 0, historyStrokes, 'history');
    const before = await client.call<{ seq: number }>('rejoin', {
      url: server.url,
      cookie: s.cookies.delegate1,
      meetingId: s.meetingId,
      sinceSeq: 0,
    });
    const lastSeq = before.seq;
    // away
    const committed = await activity(writers, s.meetingId, s.documentId, s.pageCount, awayMs, turns, strokes, 'away');
    const catchUp: number[] = [];
    const fresh: number[] = [];
    let delivered = 0;
    let expected = 0;
    let marks = 0;
    for (let i = 0; i < reps; i++) {
      const r = await client.call<{ ms: number; ok: boolean; seq: number; seqs: number[]; snapshot: boolean }>('rejoin', {
        url: server.url,
        cookie: s.cookies.delegate1,
        meetingId: s.meetingId,
        sinceSeq: lastSeq,
      });
      if (!r.ok || r.snapshot) throw new Error('catch-up answered with a snapshot or refused');
      catchUp.push(r.ms);
      expected = r.seq - lastSeq;
      delivered = r.seqs.filter((q, k) => q === lastSeq + 1 + k).length;
      const f = await client.call<{ ms: number; ok: boolean; marks: number }>('freshJoin', {
        url: server.url,
        cookie: s.cookies.delegate2,
        meetingId: s.meetingId,
        annotationsPath: `/api/documents/${s.documentId}/annotations`,
      });
      fresh.push(f.ms);
      marks = f.marks;
    }
    o.log(
      `  reconnect: catch-up ${median(catchUp).toFixed(2)} ms (${delivered}/${expected} events), fresh join ${median(fresh).toFixed(2)} ms (${marks} marks)`,
    );
    return {
      name: 'reconnect',
      rows: [
        {
          bench: 'reconnect',
          metric: `catch-up after ${awayMs / 1000} s (median)`,
          unit: 'ms',
          project: median(catchUp),
          baseline: median(fresh),
          target: { limit: 0.5, direction: 'max' },
        },
        {
          bench: 'reconnect',
          metric: 'events delivered',
          unit: '%',
          project: (100 * delivered) / Math.max(1, expected),
          baseline: null,
          target: { limit: 100, direction: 'min', absolute: true },
          note: `${delivered}/${expected}`,
        },
      ],
      extra: {
        awayMs,
        eventsWhileAway: expected,
        committedWhileAway: committed,
        historyStrokes,
        marksInFreshJoin: marks,
        reps,
        catchUpMs: catchUp,
        freshJoinMs: fresh,
      },
    };
  } finally {
    await client.stop();
    await writers.stop();
    await server.stop();
  }
}
