// 5. Annotation export: burn 10,000 strokes (spread over the pages, 60 points each) into the
// 300-page bench PDF with server/pdf/burn-annotations.ts, as native annotations and flattened,
// vs pdf-lib's own load + save of that file (same save options as the burn). In this process.
// The product is timed as the download route runs it: in the 'exports' worker pool
// (server/pdf/pdf-workers.ts + export-task.ts), the marks sent with their points as the stored JSON
// text, the worker reading the file into the buffer it keeps, the incremental update handed back by
// transfer (the route streams the original from its file, which is not timed here: any download does). The same burn on the main thread (burnAnnotationParts) is
// printed beside it: the difference is what the pool costs.
import fs from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { ensureLargePdf } from './make-large-pdf';
import { median, timeRuns } from './lib/stats';
import type { BenchResult, Row } from './lib/report';
import type { BenchOptions } from './run';
import { PdfWorkers } from '../server/pdf/pdf-workers';
import { loadConfig } from '../server/config';

interface BurnModule {
  burnAnnotationParts: (pdf: Uint8Array, marks: readonly unknown[], opts: { flatten: boolean }) => Promise<Uint8Array[]>;
}

export async function annotationExport(o: BenchOptions): Promise<BenchResult> {
  const file = await ensureLargePdf(o);
  const bytes = new Uint8Array(fs.readFileSync(file));
  const strokes = o.quick ? 2000 : 10_000;
  const pageCount = (await PDFDocument.load(bytes, { updateMetadata: false })).getPageCount();
  const marks = Array.from({ length: strokes }, (_, i) => ({
    id: `m${i}`,
    page: 1 + (i % pageCount),
    layer: 'shared',
    tool: i % 10 === 9 ? 'highlighter' : 'pen',
    color: '#c02020',
    width: 2,
    points: Array.from({ length: 60 }, (_, k) => [50 + ((i * 3 + k * 4) % 500), 50 + ((i * 7 + k * 3) % 700), 0.5]),
  }));
  const runs = o.quick ? 1 : 3;
  const baseline = await timeRuns(runs, 0, async () => {
    const d = await PDFDocument.load(bytes, { updateMetadata: false });
    return d.save({ useObjectStreams: false, updateFieldAppearances: false });
  });
  let burn: BurnModule | null = null;
  try {
    burn = (await import('../server/pdf/burn-annotations')) as unknown as BurnModule;
  } catch {
    /* annotations work not merged yet */
  }
  const rows: Row[] = [];
  if (!burn || typeof burn.burnAnnotationParts !== 'function') {
    rows.push({
      bench: 'export',
      metric: `burn ${strokes} strokes`,
      unit: 'ms',
      project: null,
      baseline: median(baseline),
      target: { limit: 1.5, direction: 'max' },
      pending: true,
      note: 'server/pdf/burn-annotations.ts not present',
    });
    return { name: 'export', rows };
  }
  const b = burn;
  // the original first, whole, and an update after it: checks of O(1)
  const outputs: { flatten: boolean; bytes: number }[] = [];
  const check = (parts: Uint8Array[], flatten: boolean) => {
    if (parts.length !== 2 || parts[0]!.length !== bytes.length || parts[1]!.length === 0)
      throw new Error('export: expected the original and an update');
    outputs.push({ flatten, bytes: bytes.length + parts[1]!.length });
  };
  // what the route sends the worker: points as stored (JSON text), built before the clock as the
  // database holds them
  const taskMarks = marks.map((m) => ({ ...m, points: JSON.stringify(m.points), author: '', at: new Date(0).toISOString() }));
  const config = loadConfig({ NODE_ENV: 'test' });
  const workers = new PdfWorkers({ memoryMb: config.pdfInspectMemoryMb, exportsMemoryMb: config.exportMemoryMb, maxThreads: 1 });
  try {
    const pooled = (flatten: boolean) => async () => {
      // the worker hands back the update; the route streams the original from its file
      const r = await workers.run<{ originalFirst: boolean; originalLength: number; parts: Uint8Array[] }>(
        'exports',
        'export-worker.mjs',
        { path: file, marks: taskMarks, flatten },
        { timeoutMs: 600_000 },
      );
      if (!r.originalFirst || r.originalLength !== bytes.length) throw new Error('export: expected the original first');
      check([bytes, ...r.parts], flatten);
    };
    const inProcess = (flatten: boolean) => async () => {
      const parts = await b.burnAnnotationParts(bytes, marks, { flatten });
      if (parts[0] !== bytes) throw new Error('export: the original was copied');
      check(parts, flatten);
    };
    // one warm-up each: the pool's first task starts its worker
    const annots = await timeRuns(runs, 1, pooled(false));
    const flat = await timeRuns(runs, 1, pooled(true));
    const annotsMain = await timeRuns(runs, 0, inProcess(false));
    const flatMain = await timeRuns(runs, 0, inProcess(true));
    o.log(
      `  export: load+save ${median(baseline).toFixed(0)} ms; in the pool: annotations ${median(annots).toFixed(0)} ms, flattened ${median(flat).toFixed(0)} ms; ` +
        `on the main thread: annotations ${median(annotsMain).toFixed(0)} ms, flattened ${median(flatMain).toFixed(0)} ms`,
    );
    rows.push({
      bench: 'export',
      metric: `burn ${strokes} strokes (annotations)`,
      unit: 'ms',
      project: median(annots),
      baseline: median(baseline),
      target: { limit: 1.5, direction: 'max' },
    });
    rows.push({
      bench: 'export',
      metric: `burn ${strokes} strokes (flattened)`,
      unit: 'ms',
      project: median(flat),
      baseline: median(baseline),
      target: { limit: 1.5, direction: 'max' },
    });
    return {
      name: 'export',
      rows,
      extra: {
        strokes,
        pointsPerStroke: 60,
        pageCount,
        fileBytes: bytes.length,
        runs,
        mainThreadMs: { annotations: median(annotsMain), flattened: median(flatMain) },
        outputBytes: outputs
          .filter((x) => !x.flatten)
          .slice(0, 1)
          .concat(outputs.filter((x) => x.flatten).slice(0, 1)),
      },
    };
  } finally {
    await workers.close();
  }
}
