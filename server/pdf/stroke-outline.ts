// A mark's outline for exports: strokeOutline (shared/stroke-geometry.ts: perfect-freehand with the
// app's options, what the screen draws) copied into one reused Float64Array, which the content
// writer (pdf-bytes.ts) walks without an object per point.
import type { AnnotationTool, InkPoint } from '../../shared/annotations';
import { boundsOf, strokeOutline } from '../../shared/stroke-geometry';

/** A growable list of [x, y] pairs in one Float64Array. */
export class OutlinePoints {
  xy = new Float64Array(1024);
  length = 0;

  clear(): this { this.length = 0; return this; }

  push(x: number, y: number): void {
    if (2 * this.length + 2 > this.xy.length) {
      const bigger = new Float64Array(this.xy.length * 2);
      bigger.set(this.xy);
      this.xy = bigger;
    }
    this.xy[2 * this.length] = x;
    this.xy[2 * this.length + 1] = y;
    this.length++;
  }

  x(i: number): number { return this.xy[2 * i]!; }
  y(i: number): number { return this.xy[2 * i + 1]!; }
}

/** The outline of a mark, valid until the next call (one list reused for a whole export). */
export class StrokeOutline {
  readonly out = new OutlinePoints();
  private pairs: [number, number][] = [];

  compute(points: readonly InkPoint[], width: number, tool: AnnotationTool): OutlinePoints {
    this.out.clear();
    this.pairs = points.length === 0 ? [] : strokeOutline(points, width, tool);
    for (const [x, y] of this.pairs) this.out.push(x, y);
    return this.out;
  }

  /** boundsOf the last outline, grown by `pad` */
  bounds(pad = 0): [number, number, number, number] {
    return boundsOf(this.pairs, pad);
  }
}
