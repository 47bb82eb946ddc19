// Reads a PDF's cross-reference data (PDF 32000-1 §7.5.4, §7.5.8): where each object lives, and the
// trailer. That is all an incremental update needs to find the few objects it changes; pdf-lib's
// load parses (and copies) every object of the file instead, which for a 50 MB scan was most of an
// export's time. Anything unexpected throws PdfXrefError: the caller then loads the file with
// pdf-lib, which repairs what it can.
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFObjectParser, PDFRawStream, type PDFContext, type PDFObject } from 'pdf-lib';

export class PdfXrefError extends Error {}

/** An object at a byte offset of the file, or the index-th object of an object stream. */
export type XrefEntry = { offset: number; gen: number } | { stream: number; index: number };

export interface Xref {
  entries: Map<number, XrefEntry>;
  /** the newest trailer's entries (older trailers fill in what it lacks) */
  trailer: Map<PDFName, PDFObject>;
}

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

/** A cursor over the file's bytes for the little syntax cross-reference tables use. */
export class ByteCursor {
  constructor(
    readonly bytes: Uint8Array,
    public at = 0,
  ) {}

  skipSpace(): this {
    const b = this.bytes;
    for (;;) {
      while (this.at < b.length && WS.has(b[this.at]!)) this.at++;
      if (b[this.at] !== 0x25) return this; // '%': a comment runs to the end of the line
      while (this.at < b.length && b[this.at] !== 0x0a && b[this.at] !== 0x0d) this.at++;
    }
  }

  int(): number {
    this.skipSpace();
    const start = this.at;
    let v = 0;
    while (isDigit(this.bytes[this.at])) v = v * 10 + (this.bytes[this.at++]! - 0x30);
    if (this.at === start) throw new PdfXrefError(`number expected at ${start}`);
    return v;
  }

  /** Consumes `word` if it comes next (after white space). */
  keyword(word: string): boolean {
    this.skipSpace();
    for (let i = 0; i < word.length; i++) if (this.bytes[this.at + i] !== word.charCodeAt(i)) return false;
    this.at += word.length;
    return true;
  }

  peekDigit(): boolean {
    return isDigit(this.skipSpace().bytes[this.at]);
  }
}

/** Parses "n g obj" at `offset` and the object after it. */
export function parseIndirectObject(
  bytes: Uint8Array,
  offset: number,
  ctx: PDFContext,
): { num: number; gen: number; obj: PDFObject } {
  const cur = new ByteCursor(bytes, offset);
  const num = cur.int();
  const gen = cur.int();
  if (!cur.keyword('obj')) throw new PdfXrefError(`no object at ${offset}`);
  const obj = PDFObjectParser.forBytes(bytes.subarray(cur.at), ctx).parseObject();
  return { num, gen, obj };
}

/** The cross-reference data of the whole file: the last section and every older one (/Prev). */
export function readXref(bytes: Uint8Array, startxref: number, ctx: PDFContext): Xref {
  const xref: Xref = { entries: new Map(), trailer: new Map() };
  const seen = new Set<number>();
  // newest first: an entry already known comes from a later update and wins
  const pending = [startxref];
  while (pending.length) {
    const at = pending.shift()!;
    if (seen.has(at)) continue;
    if (seen.size > 1000) throw new PdfXrefError('too many cross-reference sections');
    seen.add(at);
    if (at < 0 || at >= bytes.length) throw new PdfXrefError(`cross-reference section out of the file: ${at}`);
    const cur = new ByteCursor(bytes, at);
    const trailer = cur.keyword('xref') ? readTable(cur, xref.entries, ctx) : readStream(bytes, at, xref.entries, ctx);
    for (const [key, value] of trailer.entries()) if (!xref.trailer.has(key)) xref.trailer.set(key, value);
    // a hybrid file's table names a stream with the entries only readers of PDF 1.5 see
    const stm = trailer.get(PDFName.of('XRefStm'));
    if (stm instanceof PDFNumber) pending.unshift(stm.asNumber());
    const prev = trailer.get(PDFName.of('Prev'));
    if (prev instanceof PDFNumber) pending.push(prev.asNumber());
  }
  return xref;
}

/** A classic "xref" table (the keyword already read), then its trailer dictionary. */
function readTable(cur: ByteCursor, entries: Map<number, XrefEntry>, ctx: PDFContext): PDFDict {
  while (cur.peekDigit()) {
    const first = cur.int();
    const count = cur.int();
    for (let k = 0; k < count; k++) {
      const offset = cur.int();
      const gen = cur.int();
      const used = cur.keyword('n');
      if (!used && !cur.keyword('f')) throw new PdfXrefError(`bad cross-reference entry at ${cur.at}`);
      if (!entries.has(first + k)) entries.set(first + k, used ? { offset, gen } : FREE);
    }
  }
  if (!cur.keyword('trailer')) throw new PdfXrefError('no trailer after the cross-reference table');
  const trailer = PDFObjectParser.forBytes(cur.bytes.subarray(cur.skipSpace().at), ctx).parseObject();
  if (!(trailer instanceof PDFDict)) throw new PdfXrefError('trailer is not a dictionary');
  return trailer;
}

/** Marks a free object number, so an older section's entry for it does not count. */
const FREE: XrefEntry = { offset: -1, gen: 0 };

export const isFree = (e: XrefEntry | undefined): boolean => e === FREE;

/** A cross-reference stream (PDF 1.5): binary entries in fields of /W bytes; its dict is the trailer. */
function readStream(bytes: Uint8Array, at: number, entries: Map<number, XrefEntry>, ctx: PDFContext): PDFDict {
  const { obj } = parseIndirectObject(bytes, at, ctx);
  if (!(obj instanceof PDFRawStream) || obj.dict.get(PDFName.of('Type')) !== PDFName.of('XRef')) {
    throw new PdfXrefError(`no cross-reference stream at ${at}`);
  }
  const dict = obj.dict;
  const w = numbers(dict.get(PDFName.of('W')));
  const size = dict.get(PDFName.of('Size'));
  const index = dict.has(PDFName.of('Index'))
    ? numbers(dict.get(PDFName.of('Index')))
    : [0, size instanceof PDFNumber ? size.asNumber() : 0];
  if (w.length !== 3 || index.length % 2 !== 0) throw new PdfXrefError('bad /W or /Index in a cross-reference stream');
  const data = decodeStream(obj);
  const field = (pos: number, width: number) => {
    let v = 0;
    for (let i = 0; i < width; i++) v = v * 256 + data[pos + i]!;
    return v;
  };
  const [w0, w1, w2] = w as [number, number, number];
  const row = w0 + w1 + w2;
  let pos = 0;
  for (let s = 0; s < index.length; s += 2) {
    const first = index[s]!,
      count = index[s + 1]!;
    if (pos + count * row > data.length) throw new PdfXrefError('cross-reference stream shorter than its /Index');
    for (let k = 0; k < count; k++, pos += row) {
      const num = first + k;
      if (entries.has(num)) continue;
      const type = w0 === 0 ? 1 : field(pos, w0);
      const a = field(pos + w0, w1),
        b = field(pos + w0 + w1, w2);
      if (type === 1) entries.set(num, { offset: a, gen: b });
      else if (type === 2) entries.set(num, { stream: a, index: b });
      else if (type === 0) entries.set(num, FREE);
      // other types are reserved: readers treat them as null objects, i.e. not there
    }
  }
  return dict;
}

function numbers(obj: PDFObject | undefined): number[] {
  if (!(obj instanceof PDFArray)) throw new PdfXrefError('array of numbers expected');
  return obj.asArray().map((v) => {
    if (!(v instanceof PDFNumber)) throw new PdfXrefError('number expected');
    return v.asNumber();
  });
}

/**
 * The data of a cross-reference or object stream: FlateDecode (or none), with the PNG predictors
 * cross-reference streams use. Anything else is left to pdf-lib's full load.
 */
export function decodeStream(stream: PDFRawStream): Uint8Array {
  const filter = stream.dict.get(PDFName.of('Filter'));
  const name = filter instanceof PDFArray && filter.size() === 1 ? filter.get(0) : filter;
  if (name === undefined) return stream.contents;
  if (name !== PDFName.of('FlateDecode')) throw new PdfXrefError('unsupported stream filter');
  let data: Uint8Array;
  try {
    data = inflateSync(stream.contents);
  } catch {
    throw new PdfXrefError('corrupt compressed stream');
  }
  const parmsObj = stream.dict.get(PDFName.of('DecodeParms'));
  const parms = parmsObj instanceof PDFArray ? parmsObj.get(0) : parmsObj;
  if (!(parms instanceof PDFDict)) return data;
  const num = (key: string, dflt: number) => {
    const v = parms.get(PDFName.of(key));
    return v instanceof PDFNumber ? v.asNumber() : dflt;
  };
  const predictor = num('Predictor', 1);
  if (predictor === 1) return data;
  if (predictor < 10 || num('Colors', 1) !== 1 || num('BitsPerComponent', 8) !== 8)
    throw new PdfXrefError('unsupported predictor');
  return unpredictPng(data, num('Columns', 1));
}

/** Undoes PNG row filters (one filter-type byte per row, 1 byte per pixel). */
function unpredictPng(data: Uint8Array, columns: number): Uint8Array {
  const rows = Math.floor(data.length / (columns + 1));
  const out = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (columns + 1)]!;
    const src = r * (columns + 1) + 1,
      dst = r * columns;
    for (let c = 0; c < columns; c++) {
      const raw = data[src + c]!;
      const left = c > 0 ? out[dst + c - 1]! : 0;
      const up = r > 0 ? out[dst - columns + c]! : 0;
      const upLeft = r > 0 && c > 0 ? out[dst - columns + c - 1]! : 0;
      let v: number;
      switch (type) {
        case 0:
          v = raw;
          break;
        case 1:
          v = raw + left;
          break;
        case 2:
          v = raw + up;
          break;
        case 3:
          v = raw + ((left + up) >> 1);
          break;
        case 4:
          v = raw + paeth(left, up, upLeft);
          break;
        default:
          throw new PdfXrefError('bad PNG predictor row');
      }
      out[dst + c] = v & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a),
    pb = Math.abs(p - b),
    pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
