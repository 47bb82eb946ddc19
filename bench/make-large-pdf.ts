// The large test document: 300 A4 pages, each with its own ~160 KB image (incompressible noise,
// stored raw, as scans often are) and a line of text: ≈ 50 MB. Written once to bench/.tmp/
// (git-ignored) and reused. `npx tsx bench/make-large-pdf.ts` makes it by hand.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts, concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState, rgb } from 'pdf-lib';
import { TMP } from './lib/server-process';

export const LARGE_PDF_PAGES = 300;
const SIDE = 240; // 240 × 240 × 3 bytes ≈ 170 KB per page
export const LARGE_PDF_PATH = path.join(TMP, `large-${LARGE_PDF_PAGES}p.pdf`);

export async function makeLargePdf(file = LARGE_PDF_PATH): Promise<string> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= LARGE_PDF_PAGES; i++) {
    const page = doc.addPage([595.28, 841.89]);
    const img = doc.context.stream(randomBytes(SIDE * SIDE * 3), {
      Type: 'XObject', Subtype: 'Image', Width: SIDE, Height: SIDE, ColorSpace: 'DeviceRGB', BitsPerComponent: 8,
    });
    const name = page.node.newXObject('Im', doc.context.register(img));
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(480, 0, 0, 480, 57, 250), drawObject(name), popGraphicsState());
    page.drawText(`Trang ${i} / ${LARGE_PDF_PAGES} — Page ${i}`, { x: 57, y: 780, size: 18, font, color: rgb(0.1, 0.1, 0.4) });
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.part`, await doc.save({ useObjectStreams: false }));
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
