// 8. Confidential documents: making a member's watermarked copy of the 300-page bench PDF
// (server/pdf/watermark-task.ts: a full pdf-lib rewrite with the reader's name drawn into every
// page) as the server makes it, in the 'files' worker pool, against pdf-lib's own load + save of
// that file with the same save options (object streams) in this process. No target in DESIGN.md:
// the row prints the ratio (the copy is made once per reader, document and day, then served from
// disk like any file: services/confidential-copies.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { ensureLargePdf } from './make-large-pdf';
import { median, timeRuns } from './lib/stats';
import type { BenchResult } from './lib/report';
import type { BenchOptions } from './run';
import { PdfWorkers } from '../server/pdf/pdf-workers';
import { loadConfig } from '../server/config';
import type { WatermarkResult } from '../server/pdf/watermark-task';

export async function watermark(o: BenchOptions): Promise<BenchResult> {
  const file = await ensureLargePdf(o);
  const bytes = new Uint8Array(fs.readFileSync(file));
  const runs = o.quick ? 1 : 3;
  const baseline = await timeRuns(runs, 0, async () => {
    const d = await PDFDocument.load(bytes, { updateMetadata: false });
    return d.save({ useObjectStreams: true, addDefaultPage: false, updateFieldAppearances: false });
  });
  const config = loadConfig({ NODE_ENV: 'test' });
  const workers = new PdfWorkers({ memoryMb: config.pdfInspectMemoryMb, maxThreads: 1 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-bench-wm-'));
  let n = 0;
  let size = 0;
  try {
    const made = await timeRuns(runs, 1, async () => {
      const outPath = path.join(dir, `copy-${n++}.pdf`);
      const r = await workers.run<WatermarkResult>(
        'files',
        'watermark-worker.mjs',
        { path: file, outPath, lines: ['Lê Văn Cường', 'delegate1 · TỐI MẬT · 04/12/2026 09:00 (GMT+7)'] },
        { timeoutMs: 600_000 },
      );
      if (!r.ok || r.pages !== 300) throw new Error(`watermark: ${r.ok ? `${r.pages} pages` : r.reason}`);
      size = r.size;
      fs.rmSync(outPath);
    });
    o.log(
      `  watermark: pdf-lib load+save ${median(baseline).toFixed(0)} ms; watermarked copy in the pool ${median(made).toFixed(0)} ms (${(size / 2 ** 20).toFixed(1)} MB)`,
    );
    return {
      name: 'watermark',
      rows: [
        {
          bench: 'watermark',
          metric: 'watermarked copy, 300 pages',
          unit: 'ms',
          project: median(made),
          baseline: median(baseline),
          target: null,
          note: 'made once per reader, document and day; served from disk afterwards',
        },
      ],
      extra: { runs, fileBytes: bytes.length, copyBytes: size, madeMs: made, baselineMs: baseline },
    };
  } finally {
    await workers.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
