// server/ops/scheduler.ts: named periodic jobs, no overlap of a job with itself, a failed pass
// logged and not thrown, nothing before start or after stop, a job that is off never added.
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../server/ops/scheduler';

const until = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
};

function recorder() {
  const errors: { obj: object; msg: string }[] = [];
  return {
    errors,
    log: {
      error: (obj: object, msg: string) => {
        errors.push({ obj, msg });
      },
    },
  };
}

describe('Scheduler', () => {
  it('adds no job whose interval is 0 (off), and refuses a name twice', () => {
    const s = new Scheduler(recorder().log);
    expect(s.add({ name: 'off', everyMs: 0, run: () => {} })).toBe(false);
    expect(s.add({ name: 'on', everyMs: 1000, run: () => {} })).toBe(true);
    expect(s.names()).toEqual(['on']);
    expect(() => s.add({ name: 'on', everyMs: 5, run: () => {} })).toThrow(/already/);
  });

  it('runs nothing before start, passes every interval after it, and one at start when asked', async () => {
    const s = new Scheduler(recorder().log);
    let atStart = 0;
    let ticking = 0;
    s.add({
      name: 'at-start',
      everyMs: 3_600_000,
      runAtStart: true,
      run: () => {
        atStart++;
      },
    });
    s.add({
      name: 'ticking',
      everyMs: 5,
      run: () => {
        ticking++;
      },
    });
    await new Promise((r) => setTimeout(r, 50));
    expect([atStart, ticking]).toEqual([0, 0]);
    s.start();
    await until(() => atStart === 1 && ticking >= 3);
    await s.stop();
    expect(atStart).toBe(1);
  });

  it('never runs a job twice at once: ticks while a pass runs are skipped', async () => {
    const s = new Scheduler(recorder().log);
    let active = 0;
    let most = 0;
    let passes = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    s.add({
      name: 'slow',
      everyMs: 2,
      run: async () => {
        active++;
        passes++;
        most = Math.max(most, active);
        if (passes === 1) await gate; // the first pass holds while many ticks go by
        active--;
      },
    });
    s.start();
    await until(() => passes === 1);
    await new Promise((r) => setTimeout(r, 60));
    expect(passes).toBe(1);
    // runNow during a pass waits for that pass instead of starting a second one
    const now = s.runNow('slow');
    release();
    await now;
    await until(() => passes >= 3);
    await s.stop();
    expect(most).toBe(1);
  });

  it('logs a failed pass (sync throw or rejection) with the job name, and goes on', async () => {
    const { errors, log } = recorder();
    const s = new Scheduler(log);
    let n = 0;
    s.add({
      name: 'flaky',
      everyMs: 3,
      run: () => {
        n++;
        if (n === 1) throw new Error('boom');
      },
    });
    s.add({
      name: 'rejecting',
      everyMs: 3_600_000,
      run: async () => {
        throw new Error('async boom');
      },
    });
    s.start();
    await until(() => n >= 3);
    await s.runNow('rejecting');
    await s.stop();
    expect(errors.map((e) => e.msg)).toEqual(['scheduled job flaky failed', 'scheduled job rejecting failed']);
    expect(errors[0]!.obj).toMatchObject({ job: 'flaky', err: expect.objectContaining({ message: 'boom' }) });
  });

  it('stop waits for the pass running and no pass starts after it', async () => {
    const s = new Scheduler(recorder().log);
    let passes = 0;
    let finished = false;
    s.add({
      name: 'j',
      everyMs: 3,
      run: async () => {
        passes++;
        await new Promise((r) => setTimeout(r, 30));
        finished = true;
      },
    });
    s.start();
    await until(() => passes === 1);
    await s.stop();
    expect(finished).toBe(true);
    const after = passes;
    await new Promise((r) => setTimeout(r, 50));
    await s.runNow('j');
    expect(passes).toBe(after);
    expect(s.add({ name: 'late', everyMs: 5, run: () => {} })).toBe(false);
  });
});
