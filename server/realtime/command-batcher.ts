// Group commit for the sockets' commands: what arrives in one event-loop turn (strokes from many
// pens, page turns, votes; any meeting) is queued and committed together on the next turn by
// LiveService.executeMany — one write transaction, a savepoint per command — instead of one
// transaction each. Every command still gets its own result, in arrival order, after the commit.
// With SQLite this saves the per-transaction lock and WAL work; with PostgreSQL it will save the
// round trips (docs/scale-out.md).
import type { CommandEnvelope } from '../../shared/events';
import type { ExecuteResult, LiveService } from '../live/live-service';
import type { Principal } from '../live/principal';

/** Bounds one transaction: a burst larger than this is split, so no ack waits on a huge batch. */
export const MAX_BATCH = 64;

interface Pending {
  principal: Principal;
  cmd: CommandEnvelope;
  resolve: (r: ExecuteResult) => void;
  reject: (e: unknown) => void;
}

export class CommandBatcher {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly live: LiveService,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  submit(principal: Principal, cmd: CommandEnvelope): Promise<ExecuteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ principal, cmd, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate: after the I/O callbacks of this turn, so every command read from the
        // sockets in it is in the batch
        setImmediate(() => void this.flush());
      }
    });
  }

  /**
   * Runs the queued batches one after another; commands arriving meanwhile wait for the next batch
   * (`scheduled` stays set until the queue is empty), so under load they group into fewer writes.
   */
  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      let outcomes;
      try {
        outcomes = await this.live.executeMany(batch);
      } catch (err) {
        for (const p of batch) p.reject(err);
        continue;
      }
      batch.forEach((p, i) => {
        const o = outcomes[i]!;
        if (o.ok) p.resolve(o.result);
        else p.reject(o.error);
      });
    }
    this.scheduled = false;
  }
}
