// The annotated export as a pooled worker's task (pdf-workers.ts, 'exports' pool): burning marks
// into a big PDF is seconds of synchronous pdf-lib work, which on the main thread stalled every
// request and socket of the server (issue 20 item 4). The worker reads the file itself (nothing big
// is sent in) and hands the parts back by transfer, not by copy.
// Runs as dist/server/pdf/export-worker.mjs in the build, through export-worker.mjs from the source.
import { readFile } from 'node:fs/promises';
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

/** Below this, a part is copied: small buffers may be slices of Node's shared allocation pool. */
const TRANSFER_MIN_BYTES = 64 * 1024;

export default async function exportTask(task: ExportTask) {
  const pdf = new Uint8Array(await readFile(task.path));
  const marks: BurnMark[] = task.marks.map((m) => ({ ...m, points: JSON.parse(m.points) as BurnMark['points'] }));
  const parts = await burnAnnotationParts(pdf, marks, { flatten: task.flatten });
  const buffers = new Set<ArrayBuffer>();
  for (const p of parts) if (p.buffer.byteLength >= TRANSFER_MIN_BYTES && p.buffer instanceof ArrayBuffer) buffers.add(p.buffer);
  // piscina's transfer protocol: the value is posted with these buffers moved, not cloned
  return move({ [transferableSymbol]: [...buffers], [valueSymbol]: parts });
}
