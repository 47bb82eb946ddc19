// Builds the bench page (index.html + main.ts) into bench/.tmp/pdf-page-dist with pdf.js's
// runtime assets under /pdfjs/, like the app's own build (client/vite.config.ts).
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { ROOT, TMP } from '../lib/server-process';

export const PDF_PAGE_DIST = path.join(TMP, 'pdf-page-dist');

export async function buildPdfPage(): Promise<string> {
  await build({
    root: path.join(ROOT, 'bench/pdf-page'),
    configFile: false,
    logLevel: 'warn',
    build: { outDir: PDF_PAGE_DIST, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 5000 },
  });
  const pdfjsDir = path.join(ROOT, 'node_modules/pdfjs-dist');
  for (const dir of ['cmaps', 'standard_fonts', 'wasm', 'iccs']) {
    const from = path.join(pdfjsDir, dir);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(PDF_PAGE_DIST, 'pdfjs', dir), { recursive: true });
  }
  return PDF_PAGE_DIST;
}
