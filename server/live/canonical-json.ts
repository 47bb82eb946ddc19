// Canonical JSON: no whitespace, undefined members dropped, object keys in JavaScript's own order
// for keys inserted sorted (array-index keys first by value, then the rest by UTF-16 code units).
// Two equal values always give the same text, which is what a hash chain needs. It is NOT RFC 8785:
// the exact rule an outside verifier follows, with worked examples that a test checks against this
// code, is docs/canonical-json.md; changing it would change the hashes of stored logs.
//
// The text is exactly JSON.stringify(canonicalValue(value)); it is written by hand because ink
// strokes are most of what the log stores and V8's general double-to-text conversion is the
// largest single cost of appending one (≈40 µs for a 60-point stroke, ≈13 µs here): numbers on
// a 1/1000 grid (every rounded ink coordinate and pressure) are written digit by digit from an
// integer into one reusable buffer.
export function canonicalJson(value: unknown): string {
  return canonicalText(canonicalValue(value)) as string;
}

/**
 * The canonical tree of a value: a fresh tree (objects with sorted keys, no undefined members,
 * -0 written as 0, toJSON applied) deep-equal to JSON.parse(canonicalJson(value)), so the log can
 * keep it in memory instead of parsing back what it stored. Arrays of finite numbers are shared
 * with the input, not copied (ink points are most of a stroke): callers do not mutate payloads.
 */
export function canonicalValue(value: unknown): unknown {
  if (Array.isArray(value)) return isPlainNumbers(value) ? value : canonicalArray(value);
  if (value !== null && typeof value === 'object') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return canonicalValue((toJSON as () => unknown).call(value));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      // a "__proto__" key is data, as JSON.parse makes it, not the object's prototype
      if (key === '__proto__')
        Object.defineProperty(out, key, { value: canonicalValue(v), enumerable: true, writable: true, configurable: true });
      else out[key] = canonicalValue(v);
    }
    return out;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('Non-finite number in canonical JSON');
    return value === 0 ? 0 : value; // -0 → 0, as JSON writes it
  }
  return value;
}

/**
 * An array's canonical copy, or the array itself when every element already is its own canonical
 * value (a stroke's points: arrays of plain numbers). Shared like those, and so the text written
 * for it can be found again by identity (textOfNested).
 */
function canonicalArray(value: unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    const c = v === undefined ? null : canonicalValue(v);
    if (out === undefined && !Object.is(c, v)) out = value.slice(0, i); // Object.is: -0 becomes 0
    if (out !== undefined) out.push(c);
  }
  return out ?? value;
}

/**
 * The text the last canonicalText call wrote for an array of arrays inside a larger value (a
 * stroke's points inside its event's payload), by the array's identity: the stroke row stores the
 * same points text as the log, right after the event's payload is written, and writing it twice
 * was a measurable part of appending a stroke (bench persistence). Only the last call's: a table
 * keyed by every array would keep each payload's text alive as long as its points are in memory.
 */
let nested: { a: unknown[]; text: string }[] = [];

/** The text of an array of arrays that the last canonicalText call wrote, if it did. */
export const textOfNested = (a: readonly unknown[]): string | undefined => nested.find((n) => n.a === a)?.text;

/** arrays of arrays written by the current canonicalText call, with their byte offsets */
let spans: { a: unknown[]; start: number; end: number }[] = [];

/**
 * JSON.stringify of a tree made by canonicalValue (keys already in order, no toJSON, no -0),
 * byte for byte; undefined where JSON.stringify gives undefined (a function or symbol alone).
 */
export function canonicalText(v: unknown): string | undefined {
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
  pos = 0;
  parts = [];
  ascii = true;
  spans = [];
  nested = [];
  writeValue(v);
  // ASCII only (numbers, ids, most keys): latin1 makes a one-byte string without UTF-8 decoding,
  // which the SQLite binding also converts back faster
  const last = buf.toString(ascii ? 'latin1' : 'utf8', 0, pos);
  // byte offsets are character offsets only in one ASCII piece (the common case; else not kept)
  if (ascii && parts.length === 0) nested = spans.map((sp) => ({ a: sp.a, text: last.slice(sp.start, sp.end) }));
  spans = [];
  return parts.length === 0 ? last : parts.join('') + last;
}

// One reusable output buffer (module state: the writer is synchronous and not re-entered), so that
// appending a stroke does not allocate a string per number. Full buffers are flushed to `parts`.
let buf = Buffer.allocUnsafe(64 * 1024);
let pos = 0;
let parts: string[] = [];
/** nothing but ASCII written since the last flush */
let ascii = true;

/** room for n more bytes */
function room(n: number): void {
  if (pos + n <= buf.length) return;
  parts.push(buf.toString(ascii ? 'latin1' : 'utf8', 0, pos));
  pos = 0;
  ascii = true;
  if (n > buf.length) buf = Buffer.allocUnsafe(n);
}

function writeString(s: string): void {
  room(s.length * 3);
  const n = buf.write(s, pos, 'utf8');
  if (n !== s.length) ascii = false; // some character took more than one byte
  pos += n;
}

const COMMA = 0x2c;

function writeValue(v: unknown): void {
  if (typeof v === 'number') {
    room(NUMBER_ROOM);
    writeNumber(v);
    return;
  }
  if (typeof v === 'string') return writeString(JSON.stringify(v));
  if (typeof v === 'boolean') return writeString(v ? 'true' : 'false');
  if (typeof v === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
  if (v === null || typeof v !== 'object') return writeString('null'); // functions, symbols: only reached inside arrays
  if (Array.isArray(v)) return writeArray(v);
  room(1);
  buf[pos++] = 0x7b; // {
  let first = true;
  for (const key of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[key];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    if (!first) {
      room(1);
      buf[pos++] = COMMA;
    }
    first = false;
    writeString(JSON.stringify(key) + ':');
    writeValue(x);
  }
  room(1);
  buf[pos++] = 0x7d; // }
}

function writeArray(v: unknown[]): void {
  room(1);
  const start = pos;
  const flushes = parts.length;
  buf[pos++] = 0x5b; // [
  for (let i = 0; i < v.length; i++) {
    if (i > 0) {
      room(1);
      buf[pos++] = COMMA;
    }
    const x: unknown = v[i];
    // numbers (an ink point) and arrays of them (a stroke's points) without the general dispatch
    if (typeof x === 'number') {
      room(NUMBER_ROOM);
      writeNumber(x);
    } else if (Array.isArray(x)) writeArray(x);
    else writeValue(x === undefined ? null : x);
  }
  room(1);
  buf[pos++] = 0x5d; // ]
  // an array of arrays that is not the whole value, written in one piece of the buffer
  if (start > 0 && parts.length === flushes && Array.isArray(v[0])) spans.push({ a: v, start, end: pos });
}

/** the most bytes writeNumber writes without calling room itself: sign, 16 digits, point, 3 digits */
const NUMBER_ROOM = 24;

/** "000".."999": three digits of every number below 1000, so most coordinates take no division loop */
const DIGITS3 = Buffer.from(Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0')).join(''), 'latin1');

/**
 * What JSON.stringify writes for a finite number, the room (NUMBER_ROOM) already made. A number
 * that is the double nearest to k/1000 (|k| < 10^15) is written from the integer k: that decimal is
 * then also the shortest text that reads back as the number, which is what JavaScript prints.
 * Others go through String().
 */
function writeNumber(n: number): void {
  const k = Math.round(n * 1000);
  if (k / 1000 !== n || k > 1e15 || k < -1e15) return writeString(String(n));
  let a = k;
  if (a < 0) {
    buf[pos++] = 0x2d;
    a = -a;
  } // -
  const whole = Math.floor(a / 1000);
  const frac = a - whole * 1000;
  if (whole < 1000) {
    const d = whole * 3;
    if (whole >= 100) buf[pos++] = DIGITS3[d]!;
    if (whole >= 10) buf[pos++] = DIGITS3[d + 1]!;
    buf[pos++] = DIGITS3[d + 2]!;
  } else writeDigits(whole);
  if (frac === 0) return;
  const f = frac * 3;
  buf[pos++] = 0x2e; // .
  buf[pos++] = DIGITS3[f]!;
  // no trailing zeros: 0.5, not 0.500
  if (frac % 100 !== 0) buf[pos++] = DIGITS3[f + 1]!;
  if (frac % 10 !== 0) buf[pos++] = DIGITS3[f + 2]!;
}

/** a non-negative integer below 10^16, the room already made */
function writeDigits(a: number): void {
  const start = pos;
  while (a > 0) {
    const q = Math.floor(a / 10);
    buf[pos++] = 0x30 + a - q * 10;
    a = q;
  }
  for (let i = start, j = pos - 1; i < j; i++, j--) {
    const t = buf[i]!;
    buf[i] = buf[j]!;
    buf[j] = t;
  }
}

/** Finite numbers and no -0: JSON.stringify writes such an array exactly as its canonical copy. */
function isPlainNumbers(a: unknown[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const n = a[i];
    if (typeof n !== 'number' || !Number.isFinite(n) || Object.is(n, -0)) return false;
  }
  return true;
}
