// The recent-events memory (server/live/recent-events.ts): one contiguous run per meeting, a gap
// starts a new run, a catch-up is answered only when every seq up to the head is held (never a
// stale tail or a hole), and the count and byte bounds hold.
import { describe, expect, it } from 'vitest';
import { RecentEvents, eventJson, recentEvent } from '../../server/live/recent-events';
import { canonicalText, canonicalValue } from '../../server/live/canonical-json';
import type { LiveEvent } from '../../shared/events';

const ev = (seq: number, payload: unknown = { page: seq, note: 'Biên bản "họp"' }, meetingId = 'm1'): LiveEvent => ({
  meetingId,
  seq,
  type: 'page.set',
  actor: 'chair',
  at: '2026-03-02T08:00:00.000Z',
  payload,
});
const rec = (seq: number, meetingId = 'm1') => recentEvent(ev(seq, undefined, meetingId));
const seqs = (r: { seq: number }[] | null) => r?.map((e) => e.seq) ?? null;
const big = { maxEvents: 1000, maxBytes: 1 << 30 };

describe('RecentEvents', () => {
  it('answers a catch-up from a contiguous run, and refuses a stale tail or a start it does not hold', () => {
    const r = new RecentEvents(big);
    for (let s = 5; s <= 9; s++) r.add('m1', rec(s));
    expect(seqs(r.range('m1', 6, 9))).toEqual([7, 8, 9]);
    expect(seqs(r.range('m1', 4, 9))).toEqual([5, 6, 7, 8, 9]);
    expect(seqs(r.range('m1', 6, 8))).toEqual([7, 8]); // only up to the head the join read
    expect(r.range('m1', 9, 9)).toEqual([]);
    expect(r.range('m1', 3, 9)).toBeNull(); // seq 4 is not held
    expect(r.range('m1', 6, 10)).toBeNull(); // the log is ahead of what is held: never a stale tail
    expect(r.range('other', 0, 3)).toBeNull();
  });

  it('a gap starts a new run; repeats and older events change nothing', () => {
    const r = new RecentEvents(big);
    for (const s of [1, 2, 3, 3, 2]) r.add('m1', rec(s));
    expect(seqs(r.range('m1', 0, 3))).toEqual([1, 2, 3]);
    r.add('m1', rec(6)); // 4 and 5 were appended elsewhere and not seen here
    expect(r.range('m1', 3, 6)).toBeNull();
    expect(r.range('m1', 0, 6)).toBeNull();
    expect(seqs(r.range('m1', 5, 6))).toEqual([6]);
    // a read of the log (4..7) fills the hole and extends the run
    r.addRun(
      'm1',
      [4, 5, 6, 7].map((s) => rec(s)),
    );
    expect(seqs(r.range('m1', 3, 7))).toEqual([4, 5, 6, 7]);
    // an older stretch that touches the run is prepended; one that does not, ignored
    r.addRun(
      'm1',
      [1, 2, 3].map((s) => rec(s)),
    );
    expect(seqs(r.range('m1', 0, 7))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // a run with a hole in it is not taken
    r.addRun(
      'm1',
      [8, 10].map((s) => rec(s)),
    );
    expect(r.range('m1', 7, 8)).toBeNull();
  });

  it('keeps at most maxEvents per meeting and maxBytes over all, dropping the least recently used meeting', () => {
    const r = new RecentEvents({ maxEvents: 3, maxBytes: 1 << 30 });
    for (let s = 1; s <= 10; s++) r.add('m1', rec(s));
    expect(seqs(r.range('m1', 7, 10))).toEqual([8, 9, 10]);
    expect(r.range('m1', 6, 10)).toBeNull();

    const one = rec(1).json.length * 2 + 64;
    const small = new RecentEvents({ maxEvents: 100, maxBytes: one * 5 });
    for (let s = 1; s <= 3; s++) small.add('a', rec(s, 'a'));
    for (let s = 1; s <= 2; s++) small.add('b', rec(s, 'b'));
    expect(small.heldBytes).toBeLessThanOrEqual(one * 5);
    small.add('b', rec(3, 'b')); // over the budget: 'a' (used least recently) goes
    expect(small.range('a', 0, 3)).toBeNull();
    expect(seqs(small.range('b', 0, 3))).toEqual([1, 2, 3]);
    for (let s = 4; s <= 8; s++) small.add('b', rec(s, 'b')); // one meeting alone over it: its oldest go
    expect(small.heldBytes).toBeLessThanOrEqual(one * 5);
    expect(seqs(small.range('b', 3, 8))).toEqual([4, 5, 6, 7, 8]);

    const off = new RecentEvents({ maxEvents: 2000, maxBytes: 0 });
    off.add('m1', rec(1));
    expect(off.range('m1', 0, 1)).toBeNull();
  });

  it('the JSON of an event with its stored payload text is the JSON of the event', () => {
    const payload = canonicalValue({ z: [1.5, -0, 1e21], a: 'Nghị quyết “số 1”\n', nested: { b: null, a: true } });
    const e = ev(4, payload);
    expect(JSON.parse(eventJson(e, canonicalText(payload)))).toEqual(JSON.parse(JSON.stringify(e)));
    // an unreadable stored payload (the event has none) is left out, as JSON.stringify does
    const broken = { ...ev(5), payload: undefined };
    expect(JSON.parse(eventJson(broken, '{"not json'))).toEqual({ ...broken, payload: undefined });
    // the audience is the broadcast's: a private mark is its author's only
    expect(recentEvent({ ...ev(6, { layer: 'private' }), type: 'stroke.add' }).audience).toEqual({
      to: 'users',
      userIds: ['chair'],
    });
  });
  it('at and past its count many times over: the latest run held, in order, its bytes exact; a run merged in front after that', () => {
    const r = new RecentEvents({ maxEvents: 100, maxBytes: 1 << 30 });
    const size = (e: { json: string }) => e.json.length * 2 + 64;
    for (let s = 1; s <= 5000; s++) {
      r.add('m1', rec(s));
      if (s % 997 === 0 || s === 100 || s === 101) {
        const held = r.range('m1', Math.max(0, s - 100), s)!;
        expect(seqs(held), `after ${s}`).toEqual(
          Array.from({ length: Math.min(s, 100) }, (_, i) => s - Math.min(s, 100) + 1 + i),
        );
        expect(r.heldBytes).toBe(held.reduce((n, e) => n + size(e), 0));
      }
    }
    expect(r.range('m1', 4899, 5000)).toBeNull(); // 4900 was dropped
    expect(seqs(r.range('m1', 4950, 4953))).toEqual([4951, 4952, 4953]);
    // a read of the log that reaches back before the run and touches it: merged in front (count trims it again)
    r.addRun(
      'm1',
      Array.from({ length: 20 }, (_, i) => rec(4891 + i)),
    );
    expect(seqs(r.range('m1', 4900, 4902))).toEqual([4901, 4902]);
    expect(r.range('m1', 4899, 5000)).toBeNull();
    expect(seqs(r.range('m1', 4999, 5000))).toEqual([5000]);
    r.add('m1', rec(5001));
    expect(seqs(r.range('m1', 4901, 5001))!.length).toBe(100);
  });
});
