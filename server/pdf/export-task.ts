// The annotated export as a pooled worker's task (pdf-workers.ts, 'exports' pool): burning marks
// into a big PDF is seconds of synchronous pdf-lib work, which on the main thread stalled every
// request and socket of the server (issue 20 item 4). The worker reads the file itself (nothing big
// is sent in) into a buffer it keeps between tasks, and hands back only what is new: when the
// result is the original followed by an update, the route streams the original from its file (it
// is content-addressed, so the same bytes) and the worker sends the update alone, by transfer.
// Reading 50 MB into fresh memory costs ~1-2 ms per MB on our machines (page faults); into a warm
// buffer it is a copy from the page cache.
// Runs as dist/server/pdf/export-worker.mjs in the build, through export-worker.mjs from the source.
import fs from 'node:fs';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { burnAnnotationParts, type BurnMark } from './burn-annotations';

/** A mark as the main thread sends it: its points still the stored JSON text (parsed here, off the event loop). */
export type ExportMark = Omit<BurnMark, 'points'> & { points: string };

export interface ExportTask {
  /** the stored original (DocumentStore.pathFor) */
  path: string;
  marks: ExportMark[];
  flatten: boolean;
}

/** What comes back: the original's length when the answer starts with it, then the new parts. */
export interface ExportResult {
  /** the answer starts with the whole original file (then `parts`); false: `parts` is the whole answer */
  originalFirst: boolean;
  originalLength: number;
  parts: Uint8Array[];
}

/** Below this, a part is copied: small buffers may be slices of Node's shared allocation pool. */
const TRANSFER_MIN_BYTES = 64 * 1024;
/** Files up to this size are read into the worker's kept buffer; bigger ones into their own. */
const SCRATCH_MAX_BYTES = 256 * 1024 * 1024;
/** A worker runs one task at a time (piscina), so one buffer per worker is never shared. */
let scratch: Buffer | null = null;

function readWhole(path: string): Uint8Array {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    let buf: Buffer;
    if (size > SCRATCH_MAX_BYTES) buf = Buffer.allocUnsafeSlow(size);
    else {
      if (!scratch || scratch.length < size) scratch = Buffer.allocUnsafeSlow(size);
      buf = scratch;
    }
    for (let at = 0; at < size;) {
      const n = fs.readSync(fd, buf, at, size - at, at);
      if (n === 0) throw new Error('the file ended early');
      at += n;
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, size);
  } finally {
    fs.closeSync(fd);
  }
}

export default async function exportTask(task: ExportTask) {
  const pdf = readWhole(task.path);
  const marks: BurnMark[] = task.marks.map((m) => ({ ...m, points: JSON.parse(m.points) as BurnMark['points'] }));
  const all = await burnAnnotationParts(pdf, marks, { flatten: task.flatten });
  const originalFirst = all[0] === pdf;
  const parts = originalFirst ? all.slice(1) : all;
  // a part that is the kept buffer itself (never, today) would be detached by the move: copy it
  const result: ExportResult = {
    originalFirst,
    originalLength: pdf.length,
    parts: parts.map((p) => (p.buffer === scratch?.buffer ? p.slice() : p)),
  };
  const buffers = new Set<ArrayBuffer>();
  for (const p of result.parts)
    if (p.buffer.byteLength >= TRANSFER_MIN_BYTES && p.buffer instanceof ArrayBuffer) buffers.add(p.buffer);
  // piscina's transfer protocol: the value is posted with these buffers moved, not cloned
  return move({ [transferableSymbol]: [...buffers], [valueSymbol]: result });
}
