// Annotated exports made in the 'exports' worker pool (server/pdf/export-task.ts), never on the
// event loop: burning thousands of strokes into a big PDF is seconds of synchronous work, and six
// of them in parallel on the main thread held /api/health for 5.9 s (issue 20 item 4). Each person
// has at most `perUser` exports under way; one more is refused (EXPORT_BUSY) instead of queued, so
// one participant cannot fill the pool's queue for everyone.
import { AppError } from '../errors';
import { PdfTaskFailed, type PdfWorkers } from '../pdf/pdf-workers';
import type { ExportMark, ExportResult, ExportTask } from '../pdf/export-task';

export class AnnotatedExports {
  private readonly running = new Map<string, number>();

  constructor(
    private readonly workers: PdfWorkers,
    private readonly opts: { perUser: number; timeoutMs: number },
  ) {}

  /**
   * The annotated PDF: the original file at `path` (when `originalFirst`) and then `parts`, to
   * stream one after the other.
   */
  async make(userId: string, path: string, marks: ExportMark[], flatten: boolean): Promise<ExportResult> {
    const now = this.running.get(userId) ?? 0;
    if (now >= this.opts.perUser) {
      throw new AppError('EXPORT_BUSY', `At most ${this.opts.perUser} annotated exports at a time; wait for the one under way`);
    }
    this.running.set(userId, now + 1);
    try {
      const task: ExportTask = { path, marks, flatten };
      return await this.workers.run<ExportResult>('exports', 'export-worker.mjs', task, { timeoutMs: this.opts.timeoutMs });
    } catch (e) {
      if (e instanceof PdfTaskFailed) {
        throw new AppError(
          'EXPORT_FAILED',
          e.reason === 'timeout' ? 'The annotated PDF took too long to make' : 'The annotated PDF could not be made',
        );
      }
      throw e;
    } finally {
      const left = (this.running.get(userId) ?? 1) - 1;
      if (left > 0) this.running.set(userId, left);
      else this.running.delete(userId);
    }
  }
}
