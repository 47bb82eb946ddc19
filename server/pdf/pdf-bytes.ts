// A reusable byte buffer for content-stream operators. Exports write millions of coordinates:
// formatting each into a JS string and then copying the strings into the file cost more than
// computing the strokes, so numbers are written straight as ASCII digits.
export class PdfBytes {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  private readonly digits = new Uint8Array(24);

  reset(): this { this.used = 0; return this; }
  get length(): number { return this.used; }
  /** A view valid until the next write or reset. */
  view(): Uint8Array { return this.buf.subarray(0, this.used); }
  toString(): string { return this.buf.toString('latin1', 0, this.used); }

  private room(n: number): void {
    if (this.used + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.used + n, this.buf.length * 2));
    this.buf.copy(bigger, 0, 0, this.used);
    this.buf = bigger;
  }

  /** ASCII/latin1 text */
  text(s: string): this {
    this.room(s.length);
    if (s.length > 32) { this.used += this.buf.write(s, this.used, 'latin1'); return this; }
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

  /** Rounded to 1/100, the same text as pdfNum (annotation-appearance.ts), then a space. */
  num(v: number): this {
    this.room(24);
    const b = this.buf;
    let c = Math.round(v * 100);
    if (c < 0) { b[this.used++] = 0x2d; c = -c; }
    let i = Math.floor(c / 100);
    const f = c - i * 100;
    if (i === 0) b[this.used++] = 0x30;
    else {
      let k = 0;
      while (i > 0) { const q = Math.floor(i / 10); this.digits[k++] = 0x30 + (i - q * 10); i = q; }
      while (k > 0) b[this.used++] = this.digits[--k]!;
    }
    if (f !== 0) {
      b[this.used++] = 0x2e;
      const tens = Math.floor(f / 10), ones = f - tens * 10;
      b[this.used++] = 0x30 + tens;
      if (ones !== 0) b[this.used++] = 0x30 + ones;
    }
    b[this.used++] = 0x20;
    return this;
  }
}
