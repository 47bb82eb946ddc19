// Two versions of one document made with pdf-lib: the same pages, except page 3 where one sentence
// is reworded (dự thảo lần 1 → lần 2). Real PDFs, read back by pdf.js on the server.
import { PDFDocument, StandardFonts } from 'pdf-lib';

export const PAGE3_V1 = 'The budget for the digital programme is 12 billion dong in 2027.';
export const PAGE3_V2 = 'The budget for the digital programme is 15 billion dong in 2027 and 2028.';

export async function versionPdf(version: 1 | 2, pages = 5): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = pdf.addPage([595, 842]);
    page.drawText(`Draft plan, page ${n}`, { x: 60, y: 780, size: 16, font });
    page.drawText(`Section ${n} describes the work of the committee in quarter ${n}.`, { x: 60, y: 740, size: 12, font });
    if (n === 3) page.drawText(version === 1 ? PAGE3_V1 : PAGE3_V2, { x: 60, y: 700, size: 12, font });
  }
  return pdf.save();
}

export const INSERTED_PAGE = 'Annex A: the list of units that take part in the programme, added in this draft.';

/** The same PDF with one new page put in at `index` (0-based), made with pdf-lib. */
export async function withInsertedPage(bytes: Uint8Array, index: number, text = INSERTED_PAGE): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(bytes);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.insertPage(index, [595, 842]);
  page.drawText(text, { x: 60, y: 780, size: 12, font });
  return pdf.save();
}

/** The same PDF without its page at `index` (0-based). */
export async function withoutPage(bytes: Uint8Array, index: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(bytes);
  pdf.removePage(index);
  return pdf.save();
}
