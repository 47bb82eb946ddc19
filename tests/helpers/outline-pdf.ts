// A small PDF with what a reader's sidebar and links need: an outline (bookmarks, one nested),
// page labels (i, ii, then 1, 2, 3) and, on page 1, a link to page 5 and a web link. pdf-lib has
// no API for outlines or labels, so the dictionaries are written by hand (PDF 32000 §12.3).
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFString, StandardFonts, type PDFRef } from 'pdf-lib';

export const OUTLINE = [
  { title: 'Chapter 1', page: 1 },
  { title: 'Chapter 2', page: 3, child: { title: 'Section 2.1', page: 4 } },
] as const;
export const LABELS = ['i', 'ii', '1', '2', '3'];
export const WEB_LINK = 'https://example.org/hop-so';

export async function outlinePdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const pages = LABELS.map((label, i) => {
    const p = pdf.addPage([595, 842]);
    p.drawText(`Page ${label} (${i + 1})`, { x: 72, y: 760, size: 24, font });
    return p;
  });
  const ctx = pdf.context;
  const dest = (n: number) => ctx.obj([pages[n - 1]!.ref, PDFName.of('XYZ'), null, null, null]);

  // outline: root → [c1, c2 → [s21]]
  const rootRef = ctx.nextRef();
  const c1Ref = ctx.nextRef();
  const c2Ref = ctx.nextRef();
  const s21Ref = ctx.nextRef();
  const item = (title: string, page: number, parent: PDFRef, extra: Record<string, unknown>) =>
    ctx.obj({ Title: PDFString.of(title), Parent: parent, Dest: dest(page), ...extra } as never);
  ctx.assign(s21Ref, item(OUTLINE[1].child.title, OUTLINE[1].child.page, c2Ref, {}));
  ctx.assign(c1Ref, item(OUTLINE[0].title, OUTLINE[0].page, rootRef, { Next: c2Ref }));
  ctx.assign(c2Ref, item(OUTLINE[1].title, OUTLINE[1].page, rootRef, { Prev: c1Ref, First: s21Ref, Last: s21Ref, Count: 1 }));
  ctx.assign(rootRef, ctx.obj({ Type: 'Outlines', First: c1Ref, Last: c2Ref, Count: 3 }));
  pdf.catalog.set(PDFName.of('Outlines'), rootRef);

  // page labels: lower-case roman for the first two pages, then decimal from 1
  const nums = PDFArray.withContext(ctx);
  nums.push(PDFNumber.of(0));
  nums.push(ctx.obj({ S: 'r' }));
  nums.push(PDFNumber.of(2));
  nums.push(ctx.obj({ S: 'D' }));
  const labels = PDFDict.withContext(ctx);
  labels.set(PDFName.of('Nums'), nums);
  pdf.catalog.set(PDFName.of('PageLabels'), labels);

  // links on page 1: an internal one (to page 5) and a web one
  const internal = ctx.register(
    ctx.obj({ Type: 'Annot', Subtype: 'Link', Rect: [72, 600, 272, 640], Border: [0, 0, 0], Dest: dest(5) }),
  );
  const web = ctx.register(
    ctx.obj({
      Type: 'Annot',
      Subtype: 'Link',
      Rect: [72, 500, 272, 540],
      Border: [0, 0, 0],
      A: ctx.obj({ S: 'URI', URI: PDFString.of(WEB_LINK) }),
    }),
  );
  pages[0]!.drawText('Go to page 5', { x: 76, y: 612, size: 18, font });
  pages[0]!.drawText('Web link', { x: 76, y: 512, size: 18, font });
  pages[0]!.node.set(PDFName.of('Annots'), ctx.obj([internal, web]));
  return pdf.save({ useObjectStreams: false });
}
