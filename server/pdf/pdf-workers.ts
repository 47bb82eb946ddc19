// The worker threads that do the server's PDF work, kept warm in pools (piscina) so that an upload
// or an export does not pay a thread start and a pdf.js load each time (~0.5 s). Each worker has a
// heap limit (a PDF bomb kills only its worker, which the pool replaces), and each task a time
// limit: a task over time is aborted, which terminates its worker (the pool starts a fresh one).
// Two pools, so that long exports never queue uploads behind them (and the reverse). Pools start
// on first use: a server nobody uploads to or exports from never loads pdf.js.
import os from 'node:os';
import type { Piscina } from 'piscina';
import { pdfWorkerUrl } from '../locate';

export type PdfPoolName = 'files' | 'exports';

export interface PdfWorkersOptions {
  /** heap limit of each worker (old generation), in MB */
  memoryMb: number;
  /** the 'exports' pool's own heap limit (default memoryMb): burning 10k strokes into a 300-page
   * file spends half its time collecting garbage at 512 MB */
  exportsMemoryMb?: number;
  /** threads per pool; default: the machine's cores */
  maxThreads?: number;
  /** an idle worker beyond the ones kept warm is stopped after this long */
  idleTimeoutMs?: number;
  /** told of errors a pool reports outside any task */
  onError?: (err: unknown) => void;
}

/** Why a task did not return a result: over its time, or its worker died (heap limit, crash). */
export class PdfTaskFailed extends Error {
  constructor(
    readonly reason: 'timeout' | 'crashed',
    message: string,
  ) {
    super(message);
  }
}

export class PdfWorkers {
  private readonly pools = new Map<PdfPoolName, Piscina>();
  /** tasks asked of each pool and not finished (waiting for the pool to exist, queued or running) */
  private readonly busy = new Map<PdfPoolName, number>();
  private closed = false;

  constructor(private readonly opts: PdfWorkersOptions) {}

  private async pool(name: PdfPoolName): Promise<Piscina> {
    const existing = this.pools.get(name);
    if (existing) return existing;
    // loaded with the first pool: a server that never opens a PDF does not hold it
    const { Piscina } = await import('piscina');
    if (this.closed) throw new PdfTaskFailed('crashed', 'The PDF workers are shut down');
    let pool = this.pools.get(name); // another task may have made it meanwhile
    if (!pool) {
      pool = new Piscina({
        // uploads keep one worker warm (pdf.js loaded: no start per file); an export worker's heap
        // can grow to hundreds of MB, so it goes away once exports stop (after idleTimeout)
        minThreads: name === 'files' ? 1 : 0,
        maxThreads: Math.max(1, this.opts.maxThreads ?? os.availableParallelism()),
        idleTimeout: this.opts.idleTimeoutMs ?? 60_000,
        // pdf.js works asynchronously inside a task: workers wait for tasks on messages, not Atomics.wait
        atomics: 'disabled',
        resourceLimits: {
          maxOldGenerationSizeMb: name === 'exports' ? (this.opts.exportsMemoryMb ?? this.opts.memoryMb) : this.opts.memoryMb,
          maxYoungGenerationSizeMb: 64,
        },
      });
      // a worker that dies while running a task fails that task (run() below); anything else a
      // pool reports must not become an unhandled 'error' event that ends the server
      pool.on('error', (err: unknown) => this.opts.onError?.(err));
      this.pools.set(name, pool);
    }
    return pool;
  }

  /**
   * Runs `file`'s default export (a worker script under server/pdf/, or any script's URL) with
   * `task` in the named pool.
   * Rejects with PdfTaskFailed when the task takes longer than `timeoutMs` (its worker is
   * terminated and replaced) or its worker dies; a task's own error comes back as a result.
   */
  async run<T>(
    name: PdfPoolName,
    file: string | URL,
    task: unknown,
    opts: { timeoutMs: number; transferList?: ArrayBuffer[] },
  ): Promise<T> {
    if (this.closed) throw new PdfTaskFailed('crashed', 'The PDF workers are shut down');
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), opts.timeoutMs);
    this.busy.set(name, (this.busy.get(name) ?? 0) + 1);
    try {
      return (await (
        await this.pool(name)
      ).run(task, {
        filename: (typeof file === 'string' ? pdfWorkerUrl(file) : file).href,
        signal: abort.signal,
        ...(opts.transferList ? { transferList: opts.transferList } : {}),
      })) as T;
    } catch (e) {
      if (abort.signal.aborted) throw new PdfTaskFailed('timeout', 'The PDF work took too long');
      throw new PdfTaskFailed('crashed', `The PDF worker failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      clearTimeout(timer);
      this.busy.set(name, this.busy.get(name)! - 1);
    }
  }

  /**
   * Stops a pool that has nothing to do, warm worker included (the next task starts it again).
   * For work done once after start (the text backfill): without this, the worker it warmed
   * would hold pdf.js (~60 MB) for the life of a server nobody uploads to. Returns whether it stopped.
   */
  async releaseIdle(name: PdfPoolName): Promise<boolean> {
    const pool = this.pools.get(name);
    if (!pool || (this.busy.get(name) ?? 0) > 0) return false;
    this.pools.delete(name);
    await pool.destroy();
    return true;
  }

  /** Tasks waiting for a worker, per pool that exists (for /metrics). */
  queueDepths(): Record<string, number> {
    return Object.fromEntries([...this.pools].map(([name, pool]) => [name, pool.queueSize]));
  }

  /** The threads a pool runs now (empty before its first task): shows a killed worker was replaced. */
  threadIds(name: PdfPoolName): number[] {
    return (this.pools.get(name)?.threads ?? []).map((w) => w.threadId);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.pools.values()].map((p) => p.destroy()));
    this.pools.clear();
  }
}
