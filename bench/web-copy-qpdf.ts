// Issue 22 item 7: the hand-written web copier (server/pdf/web-copy-worker.mjs, pdf-lib in a pooled
// worker) against `qpdf --object-streams=generate` (Debian qpdf), on bench/make-large-pdf's 300-page
// ≈50 MB file. For each: wall time (median of runs, alternating), output size, peak memory (the
// worker's process is this one, so only qpdf's is reported, via GNU time), how many objects stay
// outside object streams (each one pdf.js may have to fetch on its own over Range: fewer is
// better), and where page 1's objects end (the copier orders them first; qpdf only when linearized).
// Run: npx tsx bench/web-copy-qpdf.ts [runs]   (prints ratios; the machine is shared)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureLargePdf } from './make-large-pdf';
import { makeWebCopy } from '../server/pdf/web-copy';
import { PdfWorkers } from '../server/pdf/pdf-workers';
import { median } from './lib/stats';

const runs = Number(process.argv[2] ?? 3);
const file = await ensureLargePdf({ log: console.log });
const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webcopy-bench-'));
const workers = new PdfWorkers({ memoryMb: 1024, maxThreads: 1 });

/** objects in the xref that are not in an object stream (qpdf --show-xref: "uncompressed") */
const uncompressed = (f: string) =>
  execFileSync('qpdf', ['--show-xref', f], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 })
    .split('\n')
    .filter((l) => /uncompressed/.test(l)).length;

const mine: number[] = [];
const qpdf: number[] = [];
const qpdfLin: number[] = [];
let mineOut = '',
  qpdfOut = '',
  linOut = '',
  firstPageBytes: number | null = null,
  qpdfPeakKb = 0,
  linPeakKb = 0;
const runQpdf = (out: string, extra: string[]) => {
  fs.rmSync(out, { force: true });
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', 'qpdf', '--object-streams=generate', ...extra, file, out], {
    encoding: 'utf8',
  });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 3) throw new Error(`qpdf: ${r.stderr}`); // 3: warnings
  return { ms, peakKb: Number(r.stderr.trim().split('\n').pop()) };
};
try {
  for (let i = 0; i < runs; i++) {
    mineOut = path.join(dir, `mine-${i}.pdf`);
    const t0 = performance.now();
    const r = await makeWebCopy(file, mineOut, pages, workers, { timeoutMs: 600_000 });
    mine.push(performance.now() - t0);
    if (!r.ok) throw new Error(`copier: ${r.reason}`);
    firstPageBytes = r.firstPageBytes;
    qpdfOut = path.join(dir, 'qpdf.pdf');
    const q = runQpdf(qpdfOut, []);
    qpdf.push(q.ms);
    qpdfPeakKb = Math.max(qpdfPeakKb, q.peakKb);
    linOut = path.join(dir, 'qpdf-lin.pdf');
    const l = runQpdf(linOut, ['--linearize']);
    qpdfLin.push(l.ms);
    linPeakKb = Math.max(linPeakKb, l.peakKb);
  }
  const mb = (f: string) => (fs.statSync(f).size / 2 ** 20).toFixed(1);
  console.log(
    `input: ${path.basename(file)}, ${pages} pages, ${mb(file)} MB, ${uncompressed(file)} objects outside object streams; ${runs} runs, ${os.cpus().length} cores (shared)`,
  );
  console.log(
    `hand-written copier: median ${Math.round(median(mine))} ms, ${mb(mineOut)} MB, ${uncompressed(mineOut)} objects outside object streams, page 1 within the first ${firstPageBytes ?? '64 KB (or no prefix)'} bytes`,
  );
  console.log(
    `qpdf --object-streams=generate: median ${Math.round(median(qpdf))} ms (${(median(qpdf) / median(mine)).toFixed(2)}× the copier), ${mb(qpdfOut)} MB, ${uncompressed(qpdfOut)} outside object streams, peak RSS ${Math.round(qpdfPeakKb / 1024)} MB`,
  );
  console.log(
    `qpdf --object-streams=generate --linearize: median ${Math.round(median(qpdfLin))} ms (${(median(qpdfLin) / median(mine)).toFixed(2)}×), ${mb(linOut)} MB, ${uncompressed(linOut)} outside object streams, peak RSS ${Math.round(linPeakKb / 1024)} MB`,
  );
} finally {
  await workers.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
