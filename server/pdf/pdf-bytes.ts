// A reusable byte buffer for content-stream operators. Exports write millions of coordinates:
// formatting each into a JS string and then copying the strings into the file cost more than
// computing the strokes, so numbers are written straight as ASCII digits.
export class PdfBytes {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private used = 0;

  reset(): this {
    this.used = 0;
    return this;
  }
  get length(): number {
    return this.used;
  }
  /** A view valid until the next write or reset. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.used);
  }
  toString(): string {
    return this.buf.toString('latin1', 0, this.used);
  }

  private room(n: number): void {
    if (this.used + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.used + n, this.buf.length * 2));
    this.buf.copy(bigger, 0, 0, this.used);
    this.buf = bigger;
  }

  /** ASCII/latin1 text */
  text(s: string): this {
    this.room(s.length);
    if (s.length > 32) {
      this.used += this.buf.write(s, this.used, 'latin1');
      return this;
    }
    // short operators: a byte loop beats Buffer#write's per-call cost by far
    const b = this.buf;
    for (let i = 0; i < s.length; i++) b[this.used++] = s.charCodeAt(i);
    return this;
  }

  bytes(data: Uint8Array): this {
    this.room(data.length);
    this.buf.set(data, this.used);
    this.used += data.length;
    return this;
  }

  /**
   * A path's "x y m" then "x y l" lines (after a line break each), one per [x, y] point.
   * Coordinates are whole hundredths of a point less (ox, oy): the caller moves the origin there
   * and scales by 0.01 ("cm"). The same positions as pdfNum's rounding, with
   * neither decimal point nor fraction logic: outlines are most of what an export writes.
   */
  pathInHundredths(points: readonly (readonly [number, number])[], ox = 0, oy = 0): this {
    const count = points.length;
    this.room(count * 28);
    const b = this.buf;
    for (let i = 0; i < count; i++) {
      const p = points[i]!;
      b[this.used++] = 0x0a;
      this.intUnchecked(Math.round(p[0] * 100) - ox);
      b[this.used++] = 0x20;
      this.intUnchecked(Math.round(p[1] * 100) - oy);
      b[this.used++] = 0x20;
      b[this.used++] = i === 0 ? 0x6d : 0x6c; // m, l
    }
    return this;
  }

  /**
   * An integer's digits, with no check for room (at most 17 bytes for a safe integer). Digits are
   * counted first and written from the last one with 32-bit arithmetic: 2.5× faster than dividing
   * doubles into a side buffer, and this runs for every coordinate of every export.
   */
  private intUnchecked(v: number): void {
    const b = this.buf;
    if (v < 0) {
      b[this.used++] = 0x2d;
      v = -v;
    }
    if (v > 0x7fffffff) {
      this.bigIntUnchecked(v);
      return;
    }
    const n =
      v < 10
        ? 1
        : v < 100
          ? 2
          : v < 1000
            ? 3
            : v < 10000
              ? 4
              : v < 100000
                ? 5
                : v < 1000000
                  ? 6
                  : v < 10000000
                    ? 7
                    : v < 100000000
                      ? 8
                      : v < 1000000000
                        ? 9
                        : 10;
    let pos = this.used + n;
    this.used = pos;
    while (v >= 10) {
      const q = (v / 10) | 0;
      b[--pos] = 0x30 + v - q * 10;
      v = q;
    }
    b[--pos] = 0x30 + v;
  }

  private bigIntUnchecked(v: number): void {
    const s = String(v);
    for (let i = 0; i < s.length; i++) this.buf[this.used++] = s.charCodeAt(i);
  }

  /** "[a b c ]": numbers as num() writes them, then a space */
  array(xs: readonly number[]): this {
    this.text('[');
    for (const x of xs) this.num(x);
    return this.text('] ');
  }

  /** Rounded to 1/100, the same text as pdfNum (annotation-appearance.ts), then a space. */
  num(v: number): this {
    this.room(24);
    const b = this.buf;
    let c = Math.round(v * 100);
    if (c < 0) {
      b[this.used++] = 0x2d;
      c = -c;
    }
    const i = Math.floor(c / 100);
    const f = c - i * 100;
    this.intUnchecked(i);
    if (f !== 0) {
      b[this.used++] = 0x2e;
      const tens = Math.floor(f / 10),
        ones = f - tens * 10;
      b[this.used++] = 0x30 + tens;
      if (ones !== 0) b[this.used++] = 0x30 + ones;
    }
    b[this.used++] = 0x20;
    return this;
  }
}
