// The large test document: 300 A4 pages, each with its own ~160 KB image (incompressible noise,
// stored raw, as scans often are) and a line of text: ≈ 50 MB. Written once to bench/.tmp/
// (git-ignored) and reused. `npx tsx bench/make-large-pdf.ts` makes it by hand.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scannedLikePdf } from '../tests/helpers/scanned-pdf';
import { TMP } from './lib/server-process';

export const LARGE_PDF_PAGES = 300;
export const LARGE_PDF_PATH = path.join(TMP, `large-${LARGE_PDF_PAGES}p.pdf`);

export async function makeLargePdf(file = LARGE_PDF_PATH): Promise<string> {
  // 240 × 240 × 3 bytes ≈ 170 KB a page
  const bytes = await scannedLikePdf(LARGE_PDF_PAGES, {
    side: 240,
    imageWidth: 480,
    label: (i, n) => `Trang ${i} / ${n} — Page ${i}`,
  });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.part`, bytes);
  fs.renameSync(`${file}.part`, file);
  return file;
}

/** The cached file, made on first use. */
export async function ensureLargePdf(o?: { log: (m: string) => void }): Promise<string> {
  if (fs.existsSync(LARGE_PDF_PATH) && fs.statSync(LARGE_PDF_PATH).size > 40 * 2 ** 20) return LARGE_PDF_PATH;
  o?.log(`  generating ${LARGE_PDF_PATH} ...`);
  return makeLargePdf();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const f = await makeLargePdf();
  console.log(`${f}: ${(fs.statSync(f).size / 2 ** 20).toFixed(1)} MB`);
}
