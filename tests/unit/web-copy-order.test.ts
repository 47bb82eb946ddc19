// Page 1 first in the web copy (server/pdf/web-copy-order.mjs): every object page 1 draws, its
// inherited resources included, gets a lower number than any other, so pdf-lib writes it first;
// references stay consistent, and a reference to nothing becomes null.
import { describe, expect, it } from 'vitest';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNull, PDFRef, PDFStream } from 'pdf-lib';
import { putPageOneFirst } from '../../server/pdf/web-copy-order.mjs';

const name = (n: string) => PDFName.of(n);

/**
 * Three pages, each with its own content stream; page 1 draws an image from resources it inherits.
 * Loaded from bytes, like the web copy's input: pdf-lib writes fonts it embedded itself only when saving.
 */
async function threePages() {
  const made = await PDFDocument.create();
  for (let i = 1; i <= 3; i++) made.addPage([200, 200]).drawText(`Page ${i}`, { x: 20, y: 100 });
  const doc = await PDFDocument.load(await made.save());
  const [p1, p2, p3] = doc.getPages();
  const image = doc.context.register(
    doc.context.stream(new Uint8Array(12), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: 2,
      Height: 2,
      ColorSpace: 'DeviceRGB',
      BitsPerComponent: 8,
    }),
  );
  const im = p1!.node.newXObject('Im', image);
  p1!.node.addContentStream(doc.context.register(doc.context.flateStream(`q 20 0 0 20 0 0 cm /${im.asString().slice(1)} Do Q`)));
  // page 1's resources move up to the page tree's root, which page 1 inherits them from
  doc.catalog.Pages().set(name('Resources'), p1!.node.get(name('Resources'))!);
  p1!.node.delete(name('Resources'));
  // a link to page 3 and a reference to no object
  const link = doc.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 10, 10], Dest: [p3!.ref, name('Fit')] });
  p1!.node.set(name('Annots'), doc.context.obj([doc.context.register(link)]));
  p2!.node.set(name('Missing'), PDFRef.of(9999));
  return { doc, image, im };
}

const contentRefs = (doc: PDFDocument, pageIndex: number): PDFRef[] => {
  const contents = doc.getPage(pageIndex).node.get(name('Contents'));
  return contents instanceof PDFArray ? (contents.asArray() as PDFRef[]) : [contents as PDFRef];
};

describe('putPageOneFirst', () => {
  it('numbers page 1 and everything it draws before every other object', async () => {
    const { doc, image } = await threePages();
    const imageObj = doc.context.lookup(image);
    putPageOneFirst(doc);
    const numberOf = (obj: unknown) => doc.context.enumerateIndirectObjects().find(([, o]) => o === obj)![0].objectNumber;
    const ownContents = contentRefs(doc, 0);
    const pageOne = [numberOf(doc.getPage(0).node), numberOf(imageObj), ...ownContents.map((r) => r.objectNumber)];
    // what only pages 2 and 3 use (a shared stream, like pdf-lib's q / Q, goes with page 1)
    const others = [
      numberOf(doc.getPage(1).node),
      numberOf(doc.getPage(2).node),
      ...[...contentRefs(doc, 1), ...contentRefs(doc, 2)].filter((r) => !ownContents.includes(r)).map((r) => r.objectNumber),
    ];
    expect(others).toHaveLength(4);
    expect(Math.max(...pageOne)).toBeLessThan(Math.min(...others));
    const numbers = doc.context.enumerateIndirectObjects().map(([r]) => r.objectNumber);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  });

  it('keeps every reference pointing at the same object, and turns a dangling one into null', async () => {
    const { doc, im } = await threePages();
    putPageOneFirst(doc);
    const again = await PDFDocument.load(await doc.save({ useObjectStreams: true }));
    expect(again.getPageCount()).toBe(3);
    const link = again.getPage(0).node.lookup(name('Annots'), PDFArray).lookup(0, PDFDict);
    expect(link.lookup(name('Dest'), PDFArray).get(0)).toBe(again.getPage(2).ref);
    const xobject = again.getPage(0).node.Resources()!.lookup(name('XObject'), PDFDict).lookup(im);
    expect(again.getPage(0).node.get(name('Resources'))).toBeUndefined(); // still inherited
    expect(xobject).toBeInstanceOf(PDFStream);
    expect(again.getPage(1).node.get(name('Missing'), true)).toBe(PDFNull);
  });
});
