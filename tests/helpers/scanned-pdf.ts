// A big PDF laid out the way pdf-lib, LibreOffice and scanners write one: each page dictionary beside
// its image (incompressible noise, stored raw, as scans often are) and a line of text. The web copy
// (server/pdf/web-copy.ts) exists for such files; the benchmarks' 300-page, 50 MB file is one too
// (bench/make-large-pdf.ts). `pageOneLast`: the last page written is moved to the front, so page 1's
// objects end the file.
import { randomBytes } from 'node:crypto';
import {
  PDFDocument,
  StandardFonts,
  concatTransformationMatrix,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
  rgb,
} from 'pdf-lib';

export interface ScannedLikeOptions {
  pageOneLast?: boolean;
  /** the image is side × side RGB pixels: 183 ≈ 100 KB a page, 240 ≈ 170 KB */
  side?: number;
  /** its width on the page, in points */
  imageWidth?: number;
  /** the page's line of text */
  label?: (page: number, pages: number) => string;
}

export async function scannedLikePdf(pages: number, opts: ScannedLikeOptions = {}): Promise<Uint8Array> {
  const { pageOneLast = false, side = 183, imageWidth = 400, label = (i: number) => `Page ${i}` } = opts;
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) {
    const page = doc.addPage([595.28, 841.89]);
    const img = doc.context.stream(randomBytes(side * side * 3), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: side,
      Height: side,
      ColorSpace: 'DeviceRGB',
      BitsPerComponent: 8,
    });
    const name = page.node.newXObject('Im', doc.context.register(img));
    page.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(imageWidth, 0, 0, imageWidth, (595.28 - imageWidth) / 2, 250),
      drawObject(name),
      popGraphicsState(),
    );
    page.drawText(label(i, pages), { x: 57, y: 780, size: 18, font, color: rgb(0.1, 0.1, 0.4) });
  }
  if (pageOneLast) {
    const last = doc.getPage(pages - 1);
    doc.removePage(pages - 1);
    doc.insertPage(0, last);
  }
  return doc.save({ useObjectStreams: false });
}
