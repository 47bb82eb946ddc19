// Appends an incremental update (PDF 32000-1 §7.5.6) to a PDF: the changed and new objects, a
// cross-reference section for exactly those objects, and a trailer pointing back (/Prev) to the
// previous section. The original bytes stay untouched, which is what keeps earlier signatures valid.
import type { PDFObject, PDFRef } from 'pdf-lib';

export interface UpdatedObject {
  ref: PDFRef;
  /** the object's body, without "n g obj" / "endobj" */
  body: Uint8Array;
}

export interface UpdateTrailer {
  /** highest object number in use + 1 */
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

export function appendIncrementalUpdate(original: Uint8Array, objects: readonly UpdatedObject[], trailer: UpdateTrailer): Uint8Array {
  const prev = lastStartXref(original);
  const chunks: Uint8Array[] = [original];
  let offset = original.length;
  const push = (data: Uint8Array | string) => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    chunks.push(bytes);
    offset += bytes.length;
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

  // xref: one subsection per run of consecutive object numbers; each entry exactly 20 bytes
  const xrefAt = offset;
  let xref = 'xref\n0 1\n0000000000 65535 f\r\n';
  const numbers = [...offsets.keys()];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    xref += `${numbers[i]} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) {
      const e = offsets.get(numbers[k]!)!;
      xref += `${String(e.at).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n\r\n`;
    }
    i = j + 1;
  }
  push(xref);
  const parts = [`/Size ${trailer.size}`, `/Root ${trailer.root.toString()}`];
  if (trailer.info) parts.push(`/Info ${trailer.info.toString()}`);
  if (trailer.id) parts.push(`/ID ${trailer.id.toString()}`);
  parts.push(`/Prev ${prev}`);
  push(`trailer\n<< ${parts.join(' ')} >>\nstartxref\n${xrefAt}\n%%EOF\n`);
  return Buffer.concat(chunks);
}
