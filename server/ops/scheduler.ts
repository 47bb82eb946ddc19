// The server's periodic jobs in one place (mail outbox, task reminders, written-opinion reminders):
// named jobs, each with its interval from the configuration, started when the app is ready and
// stopped when it closes. A job never overlaps itself (a tick that finds the previous pass still
// running is skipped), and a pass that throws is logged, never thrown: the next tick runs again.
// A job with nothing to do is not added at all (no SMTP: no outbox job; interval 0: off).

export interface Job {
  /** for logs and runNow() */
  name: string;
  /** ms between passes; 0 or less: the job is off and never added */
  everyMs: number;
  run: () => void | Promise<void>;
  /** one pass right after start (on a later turn: the server starts listening first) */
  runAtStart?: boolean;
}

type Log = { error: (obj: object, msg: string) => void };

interface Entry {
  job: Job;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
}

export class Scheduler {
  private readonly jobs = new Map<string, Entry>();
  private started = false;
  private stopped = false;

  constructor(private readonly log: Log) {}

  /** Adds a job (before or after start); returns whether it was added (false: off). */
  add(job: Job): boolean {
    if (!(job.everyMs > 0) || this.stopped) return false;
    if (this.jobs.has(job.name)) throw new Error(`job ${job.name} is already scheduled`);
    const entry: Entry = { job, timer: null, running: null };
    this.jobs.set(job.name, entry);
    if (this.started) this.schedule(entry);
    return true;
  }

  /** The names of the jobs added, in order. */
  names(): string[] {
    return [...this.jobs.keys()];
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    for (const entry of this.jobs.values()) this.schedule(entry);
  }

  /**
   * A pass of `name` now (tests; a caller that knows there is work). Waits for the pass; when one
   * is already running, waits for that one instead of starting another.
   */
  runNow(name: string): Promise<void> {
    const entry = this.jobs.get(name);
    if (!entry) throw new Error(`no job ${name}`);
    return this.pass(entry);
  }

  /** Stops every timer and waits for the passes running now. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const e of this.jobs.values()) if (e.timer) clearInterval(e.timer);
    await Promise.all([...this.jobs.values()].map((e) => e.running));
  }

  private schedule(entry: Entry): void {
    entry.timer = setInterval(() => {
      void this.pass(entry);
    }, entry.job.everyMs);
    entry.timer.unref(); // a job never keeps the process alive
    if (entry.job.runAtStart)
      setImmediate(() => {
        void this.pass(entry);
      });
  }

  private pass(entry: Entry): Promise<void> {
    if (entry.running) return entry.running;
    if (this.stopped) return Promise.resolve();
    const running = (async () => {
      try {
        await entry.job.run();
      } catch (err) {
        this.log.error({ err, job: entry.job.name }, `scheduled job ${entry.job.name} failed`);
      }
    })();
    entry.running = running;
    // cleared once settled (not inside the pass: a synchronous job settles before this assignment)
    void running.then(() => {
      if (entry.running === running) entry.running = null;
    });
    return running;
  }
}
