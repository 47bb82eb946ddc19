// Appends an incremental update (PDF 32000-1 §7.5.6) to a PDF: the changed and new objects, a
// cross-reference section for exactly those objects, and a trailer pointing back (/Prev) to the
// previous section. The original bytes stay untouched, which is what keeps earlier signatures valid,
// and what makes writing a few marks into a big file cost the marks, not the file.
import type { PDFObject, PDFRef } from 'pdf-lib';

export interface UpdatedObject {
  ref: PDFRef;
  /** the object's body, without "n g obj" / "endobj"; a string must be latin1 (one char = one byte) */
  body: Uint8Array | string;
}

export interface UpdateTrailer {
  /** highest object number in use + 1 (raised to the original's /Size if that is larger) */
  size: number;
  root: PDFObject;
  info?: PDFObject;
  id?: PDFObject;
}

export function serializeObject(obj: PDFObject): Uint8Array {
  const out = new Uint8Array(obj.sizeInBytes());
  obj.copyBytesInto(out, 0);
  return out;
}

/** Offset of the last cross-reference section, from the file's final "startxref". */
export function lastStartXref(pdf: Uint8Array): number {
  const tail = Buffer.from(pdf.subarray(Math.max(0, pdf.length - 2048))).toString('latin1');
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!m) throw new Error('PDF has no startxref at its end');
  return Number(m[1]);
}

export interface LastXrefSection {
  /** the section is a cross-reference stream (PDF 1.5+), not a classic "xref" table */
  isStream: boolean;
  /** the /Size its trailer declares, if readable */
  size?: number;
}

/** What the last cross-reference section is; throws if startxref does not point at one. */
export function lastXrefSection(pdf: Uint8Array): LastXrefSection {
  const at = lastStartXref(pdf);
  if (at >= pdf.length) throw new Error('startxref points past the end of the file');
  const head = Buffer.from(pdf.subarray(at, Math.min(pdf.length, at + 1024))).toString('latin1');
  if (/^\s*xref/.test(head)) {
    // classic table: the trailer dictionary follows the entries, near the end of the file
    const text = Buffer.from(pdf.subarray(at)).toString('latin1');
    const trailer = text.indexOf('trailer');
    const size = trailer >= 0 ? /\/Size\s+(\d+)/.exec(text.slice(trailer, trailer + 4096)) : null;
    return { isStream: false, ...(size ? { size: Number(size[1]) } : {}) };
  }
  if (!/^\s*\d+\s+\d+\s+obj[\s\S]*\/Type\s*\/XRef/.test(head))
    throw new Error('startxref does not point at a cross-reference section');
  const size = /\/Size\s+(\d+)/.exec(head);
  return { isStream: true, ...(size ? { size: Number(size[1]) } : {}) };
}

export interface UpdateOptions {
  /**
   * Write the update's cross-reference section as a stream. A classic table may only follow an
   * xref stream in hybrid files, so an update to an xref-stream file uses a stream too.
   * Default: the same kind as the original's last section.
   */
  xrefStream?: boolean;
}

export function appendIncrementalUpdate(
  original: Uint8Array,
  objects: readonly UpdatedObject[],
  trailer: UpdateTrailer,
  options: UpdateOptions = {},
): Uint8Array {
  const writer = new IncrementalUpdateWriter(
    original,
    objects.reduce((sum, o) => sum + o.body.length + 40, 1024),
  );
  for (const { ref, body } of [...objects].sort((x, y) => x.ref.objectNumber - y.ref.objectNumber)) writer.writeObject(ref, body);
  return joinParts(writer.finish(trailer, options));
}

/** The file of `parts` in one buffer (a plain Uint8Array: pdf.js, among others, refuses Buffers). */
export function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The same update written object by object as the caller makes them: an export of thousands of
 * marks keeps no strings alive (holding them all until the end cost more in garbage collection
 * than making them).
 */
export class IncrementalUpdateWriter {
  private readonly sink: ByteSink;
  private readonly offsets = new Map<number, { gen: number; at: number }>();
  private readonly prev: number;
  private readonly section: LastXrefSection;
  private offset: number;

  /**
   * Throws if the original has no usable final startxref. `expectedBytes`: a guess of the update's
   * size, so the output buffer rarely has to grow.
   */
  constructor(
    private readonly original: Uint8Array,
    expectedBytes = 0,
  ) {
    this.prev = lastStartXref(original);
    this.section = lastXrefSection(original);
    this.sink = new ByteSink(expectedBytes);
    this.offset = original.length;
    const last = original[original.length - 1];
    if (last !== 0x0a && last !== 0x0d) this.push('\n');
  }

  /** the original's last section is a cross-reference stream */
  get originalUsesXrefStream(): boolean {
    return this.section.isStream;
  }

  /** the /Size the original's last trailer declares (0 if unreadable): new objects number from here */
  get originalSize(): number {
    return this.section.size ?? 0;
  }

  private push(data: Uint8Array | string): void {
    this.offset += this.sink.write(data);
  }

  /** The body (without "n g obj" / "endobj") may come in parts; they are copied at once. */
  writeObject(ref: PDFRef, ...body: (Uint8Array | string)[]): void {
    this.offsets.set(ref.objectNumber, { gen: ref.generationNumber, at: this.offset });
    this.push(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    for (const part of body) this.push(part);
    this.push('\nendobj\n');
  }

  /**
   * The file as two parts: the original bytes (the caller's own array, not copied) and the update.
   * An export streams them one after the other; copying a 50 MB original into one buffer was the
   * largest single cost of writing a few thousand marks into it.
   */
  finish(trailer: UpdateTrailer, options: UpdateOptions = {}): [original: Uint8Array, update: Uint8Array] {
    const { offsets, prev } = this;
    const xrefStream = options.xrefStream ?? this.section.isStream;
    let size = Math.max(trailer.size, this.section.size ?? 0);
    const trailerEntries = () => {
      const parts = [`/Size ${size}`, `/Root ${trailer.root.toString()}`];
      if (trailer.info) parts.push(`/Info ${trailer.info.toString()}`);
      if (trailer.id) parts.push(`/ID ${trailer.id.toString()}`);
      parts.push(`/Prev ${prev}`);
      return parts.join(' ');
    };
    const xrefAt = this.offset;
    if (xrefStream) {
      // the stream is an object too, and lists itself
      const own = size;
      size += 1;
      offsets.set(own, { gen: 0, at: xrefAt });
      const numbers = [...offsets.keys()].sort((a, b) => a - b);
      const W = [1, 4, 2];
      const data = Buffer.alloc(numbers.length * 7);
      numbers.forEach((num, k) => {
        const e = offsets.get(num)!;
        if (e.at > 0xffffffff) throw new Error('PDF too large for a 4-byte xref offset');
        data.writeUInt8(1, k * 7);
        data.writeUInt32BE(e.at, k * 7 + 1);
        data.writeUInt16BE(e.gen, k * 7 + 5);
      });
      const index = consecutiveRuns(numbers)
        .map(([from, count]) => `${from} ${count}`)
        .join(' ');
      this.push(
        `${own} 0 obj\n<< /Type /XRef ${trailerEntries()} /Index [${index}] /W [${W.join(' ')}] /Length ${data.length} >>\nstream\n`,
      );
      this.push(data);
      this.push(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`);
    } else {
      // xref: one subsection per run of consecutive object numbers; each entry exactly 20 bytes
      const numbers = [...offsets.keys()].sort((a, b) => a - b);
      this.push('xref\n0 1\n0000000000 65535 f\r\n');
      for (const [from, count] of consecutiveRuns(numbers)) {
        this.push(`${from} ${count}\n`);
        this.push(xrefEntries(offsets, from, count));
      }
      this.push(`trailer\n<< ${trailerEntries()} >>\nstartxref\n${xrefAt}\n%%EOF\n`);
    }
    return [this.original, this.sink.result()];
  }
}

/**
 * "oooooooooo ggggg n\r\n" for objects from..from+count-1, as bytes: an export of thousands of
 * marks has tens of thousands of entries, and a string per entry showed in its profile.
 */
function xrefEntries(offsets: ReadonlyMap<number, { gen: number; at: number }>, from: number, count: number): Uint8Array {
  const out = Buffer.allocUnsafe(count * 20);
  const digits = (v: number, at: number, width: number) => {
    for (let i = width - 1; i >= 0; i--) {
      out[at + i] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    }
  };
  for (let k = 0; k < count; k++) {
    const e = offsets.get(from + k)!;
    const at = k * 20;
    digits(e.at, at, 10);
    out[at + 10] = 0x20;
    digits(e.gen, at + 11, 5);
    out[at + 16] = 0x20;
    out[at + 17] = 0x6e; // n
    out[at + 18] = 0x0d;
    out[at + 19] = 0x0a;
  }
  return out;
}

/** [first, count] for each run of consecutive numbers in an ascending list. */
function consecutiveRuns(numbers: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < numbers.length;) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    runs.push([numbers[i]!, j - i + 1]);
    i = j + 1;
  }
  return runs;
}

/**
 * One growing buffer for the update, with room for what is appended: the result is a view of it,
 * so the update is never copied when `room` was a fair guess.
 */
class ByteSink {
  private buf: Buffer;
  private used = 0;

  constructor(room: number) {
    // allocUnsafe: no zero-filling of bytes about to be overwritten
    this.buf = Buffer.allocUnsafe(Math.max(64 * 1024, room));
  }

  /** returns the number of bytes written */
  write(data: Uint8Array | string): number {
    const size = data.length; // latin1: one byte per char
    if (this.used + size > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.used + size, Math.ceil(this.buf.length * 1.5)));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    if (typeof data !== 'string') this.buf.set(data, this.used);
    else if (size > 32) this.buf.write(data, this.used, 'latin1');
    // object headers and the like: a byte loop beats Buffer#write's per-call cost
    else for (let i = 0; i < size; i++) this.buf[this.used + i] = data.charCodeAt(i);
    this.used += size;
    return size;
  }

  /** a plain Uint8Array (some consumers, pdf.js among them, refuse Buffers) */
  result(): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.used);
  }
}
