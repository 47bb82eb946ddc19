// Live ink out: the points of the stroke being drawn go to the server at most once per animation
// frame, as `ink.progress` batches with the index of their first point, so receivers can place
// them even when a batch is lost. Volatile: nothing is retried; the committed stroke is the record.
import type { InkPoint, InkProgress } from '../../../shared/annotations';
import { MAX_PROGRESS_POINTS } from '../../../shared/annotations';

export type StrokeHeader = Omit<InkProgress, 'from' | 'points' | 'end' | 't'>;

export class InkBatcher {
  private sent = 0;
  private frame: number | null = null;
  private points: InkPoint[] = [];

  constructor(
    private readonly header: StrokeHeader,
    private readonly send: (p: InkProgress) => void,
  ) {}

  /** all points of the stroke so far (the batcher sends what is new) */
  update(points: InkPoint[]): void {
    this.points = points;
    if (this.frame === null)
      this.frame = requestAnimationFrame(() => {
        this.frame = null;
        this.flush(false);
      });
  }

  private flush(end: boolean): void {
    while (this.sent < this.points.length || end) {
      const batch = this.points.slice(this.sent, this.sent + MAX_PROGRESS_POINTS);
      const last = this.sent + batch.length >= this.points.length;
      this.send({ ...this.header, from: this.sent, points: batch, t: Date.now(), ...(end && last ? { end: true } : {}) });
      this.sent += batch.length;
      if (last) break;
    }
  }

  /** the pen lifted (commit follows) or the stroke was cancelled */
  finish(): void {
    if (this.frame !== null) {
      cancelAnimationFrame(this.frame);
      this.frame = null;
    }
    this.flush(true);
  }
}
