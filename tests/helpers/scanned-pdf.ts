// A big PDF laid out the way pdf-lib, LibreOffice and scanners write one: each page dictionary beside
// its ~100 KB image (stored raw) and a line of text. The web copy (server/pdf/web-copy.ts) exists for
// such files. `pageOneLast`: the last page written is moved to the front, so page 1's objects end
// the file.
import { randomBytes } from 'node:crypto';
import { PDFDocument, StandardFonts, concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState } from 'pdf-lib';

export async function scannedLikePdf(pages: number, { pageOneLast = false } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const side = 183; // 183 × 183 × 3 ≈ 100 KB, stored raw
  for (let i = 1; i <= pages; i++) {
    const page = doc.addPage([595.28, 841.89]);
    const img = doc.context.stream(randomBytes(side * side * 3), {
      Type: 'XObject', Subtype: 'Image', Width: side, Height: side, ColorSpace: 'DeviceRGB', BitsPerComponent: 8,
    });
    const name = page.node.newXObject('Im', doc.context.register(img));
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(400, 0, 0, 400, 90, 300), drawObject(name), popGraphicsState());
    page.drawText(`Page ${i}`, { x: 57, y: 780, size: 18, font });
  }
  if (pageOneLast) {
    const last = doc.getPage(pages - 1);
    doc.removePage(pages - 1);
    doc.insertPage(0, last);
  }
  return doc.save({ useObjectStreams: false });
}
