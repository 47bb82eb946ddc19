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
  if (!/^\s*\d+\s+\d+\s+obj[\s\S]*\/Type\s*\/XRef/.test(head)) throw new Error('startxref does not point at a cross-reference section');
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

export function appendIncrementalUpdate(original: Uint8Array, objects: readonly UpdatedObject[], trailer: UpdateTrailer, options: UpdateOptions = {}): Uint8Array {
  const prev = lastStartXref(original);
  const section = lastXrefSection(original);
  const xrefStream = options.xrefStream ?? section.isStream;
  let size = Math.max(trailer.size, section.size ?? 0);

  // Text is gathered into one string and turned into bytes once per binary body: many thousands of
  // small objects would otherwise mean as many tiny Buffers.
  const chunks: Uint8Array[] = [original];
  let offset = original.length;
  let text = '';
  const push = (data: Uint8Array | string) => {
    if (typeof data === 'string') { text += data; offset += data.length; return; }
    if (text) { chunks.push(Buffer.from(text, 'latin1')); text = ''; }
    chunks.push(data);
    offset += data.length;
  };
  const last = original[original.length - 1];
  if (last !== 0x0a && last !== 0x0d) push('\n');

  const offsets = new Map<number, { gen: number; at: number }>();
  const sorted = [...objects].sort((x, y) => x.ref.objectNumber - y.ref.objectNumber);
  for (const { ref, body } of sorted) {
    offsets.set(ref.objectNumber, { gen: ref.generationNumber, at: offset });
    push(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    push(body);
    push('\nendobj\n');
  }

  const trailerEntries = () => {
    const parts = [`/Size ${size}`, `/Root ${trailer.root.toString()}`];
    if (trailer.info) parts.push(`/Info ${trailer.info.toString()}`);
    if (trailer.id) parts.push(`/ID ${trailer.id.toString()}`);
    parts.push(`/Prev ${prev}`);
    return parts.join(' ');
  };

  const xrefAt = offset;
  if (xrefStream) {
    // the stream is an object too, and lists itself
    const own = size;
    size += 1;
    offsets.set(own, { gen: 0, at: xrefAt });
    const numbers = [...offsets.keys()];
    const runs = consecutiveRuns(numbers);
    const W = [1, 4, 2];
    const data = Buffer.alloc(numbers.length * 7);
    numbers.forEach((num, k) => {
      const e = offsets.get(num)!;
      if (e.at > 0xffffffff) throw new Error('PDF too large for a 4-byte xref offset');
      data.writeUInt8(1, k * 7);
      data.writeUInt32BE(e.at, k * 7 + 1);
      data.writeUInt16BE(e.gen, k * 7 + 5);
    });
    const index = runs.map(([from, count]) => `${from} ${count}`).join(' ');
    push(`${own} 0 obj\n<< /Type /XRef ${trailerEntries()} /Index [${index}] /W [${W.join(' ')}] /Length ${data.length} >>\nstream\n`);
    push(data);
    push(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`);
  } else {
    // xref: one subsection per run of consecutive object numbers; each entry exactly 20 bytes
    let xref = 'xref\n0 1\n0000000000 65535 f\r\n';
    for (const [from, count] of consecutiveRuns([...offsets.keys()])) {
      xref += `${from} ${count}\n`;
      for (let k = from; k < from + count; k++) {
        const e = offsets.get(k)!;
        xref += `${String(e.at).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n\r\n`;
      }
    }
    push(xref);
    push(`trailer\n<< ${trailerEntries()} >>\nstartxref\n${xrefAt}\n%%EOF\n`);
  }
  if (text) chunks.push(Buffer.from(text, 'latin1'));
  return Buffer.concat(chunks);
}

/** [first, count] for each run of consecutive numbers in an ascending list. */
function consecutiveRuns(numbers: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    runs.push([numbers[i]!, j - i + 1]);
    i = j + 1;
  }
  return runs;
}
