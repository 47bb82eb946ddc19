// A forensic reader of a SQLite database's files as raw bytes, the way someone who copied
// DATA_DIR would read them without keys and without SQLite: every page image in hopso.db, every
// frame in hopso.db-wal (stale ones included), grouped by the transaction that wrote them.
import fs from 'node:fs';

export interface PageImage {
  /** 'db' for the main file, 'wal' for a WAL frame */
  file: 'db' | 'wal';
  pageNo: number;
  /** WAL frames: the index of the transaction (commit group) in file order; db pages: -1 */
  commit: number;
  bytes: Buffer;
}

const readIfExists = (file: string): Buffer => (fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0));

export function dbPages(dbFile: string): PageImage[] {
  const db = readIfExists(dbFile);
  if (db.length < 100) return [];
  const raw = db.readUInt16BE(16);
  const size = raw === 1 ? 65536 : raw;
  const pages: PageImage[] = [];
  for (let off = 0, n = 1; off + size <= db.length; off += size, n++)
    pages.push({ file: 'db', pageNo: n, commit: -1, bytes: db.subarray(off, off + size) });
  return pages;
}

/** Every frame of the WAL file in file order; a frame with a non-zero "db size" field ends a transaction. */
export function walFrames(walFile: string): PageImage[] {
  const wal = readIfExists(walFile);
  if (wal.length < 32) return [];
  const size = wal.readUInt32BE(8);
  const frames: PageImage[] = [];
  let commit = 0;
  for (let off = 32; off + 24 + size <= wal.length; off += 24 + size) {
    const pageNo = wal.readUInt32BE(off);
    const commitSize = wal.readUInt32BE(off + 4);
    frames.push({ file: 'wal', pageNo, commit, bytes: wal.subarray(off + 24, off + 24 + size) });
    if (commitSize !== 0) commit++;
  }
  return frames;
}

/** Every byte offset of `needle` (ASCII/UTF-8) in `hay`. */
export function offsetsOf(hay: Buffer, needle: string): number[] {
  const n = Buffer.from(needle);
  const out: number[] = [];
  for (let i = hay.indexOf(n); i !== -1; i = hay.indexOf(n, i + 1)) out.push(i);
  return out;
}

/** The first WAL transaction whose pages contain `needle`, or undefined. */
export function firstCommitWith(frames: PageImage[], needle: string): number | undefined {
  const n = Buffer.from(needle);
  return frames.find((f) => f.bytes.includes(n))?.commit;
}
