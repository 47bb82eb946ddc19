// The set-up every document the server issues shares (counting report, invitation, written-opinion
// sheets; the minutes keep their own for their font variants and signature-line decoration): an
// A4 document in the minutes' layout with the minutes' fonts (Vietnamese, subset), a TextFlow on
// it, the page number centred in the top margin from page 2 on (Decree 30), and one finish() that
// sets the metadata, tags the font subsets and saves without object streams (ready to sign).
import { PDFDocument, type PDFPage } from 'pdf-lib';
import { embedMinutesFonts, tagSubsetFonts } from './minutes-fonts';
import { A4_MINUTES, SIZES } from './minutes-geometry';
import { pageNumberText } from './minutes-header';
import { TextFlow, type FontFamily } from './pdf-text-flow';

export interface OfficialPdf {
  pdf: PDFDocument;
  fonts: FontFamily;
  flow: TextFlow;
  /** metadata (title through the font sanitizer), font subset tags, saved bytes */
  finish(meta: { title: string; subject?: string; now?: Date }): Promise<Uint8Array>;
}

/** The page number, centred over the text area in the top margin, from page 2 on. */
function drawPageNumber(page: PDFPage, fonts: FontFamily, n: number): void {
  const num = pageNumberText(n);
  if (!num) return;
  const { width, height, marginTop, marginLeft, marginRight } = A4_MINUTES;
  const w = fonts.regular.widthOfTextAtSize(num, SIZES.pageNumber);
  page.drawText(num, {
    x: (width + marginLeft - marginRight) / 2 - w / 2,
    y: height - marginTop / 2 - SIZES.pageNumber / 2,
    size: SIZES.pageNumber,
    font: fonts.regular,
  });
}

/**
 * A new official document; `decorate` draws anything else every page carries (a footer), after
 * the page number. The first page is not opened yet (the caller's flow.newPage() or layout does).
 */
export async function newOfficialPdf(decorate?: (page: PDFPage, n: number, flow: TextFlow) => void): Promise<OfficialPdf> {
  const pdf = await PDFDocument.create();
  // the minutes' fonts: parsed once per process and shaping remembered (shared-fontkit.ts)
  const fonts = await embedMinutesFonts(pdf);
  const flow: TextFlow = new TextFlow(pdf, fonts, A4_MINUTES, (page, n) => {
    drawPageNumber(page, fonts, n);
    decorate?.(page, n, flow);
  });
  return {
    pdf,
    fonts,
    flow,
    async finish({ title, subject, now = new Date() }) {
      pdf.setTitle(fonts.sanitizer.clean(title), { showInWindowTitleBar: true });
      if (subject) pdf.setSubject(fonts.sanitizer.clean(subject));
      pdf.setProducer('Họp Số');
      pdf.setCreator('Họp Số');
      pdf.setLanguage('vi-VN');
      pdf.setCreationDate(now);
      pdf.setModificationDate(now);
      await tagSubsetFonts(pdf, [fonts.regular, fonts.bold, fonts.italic]);
      return pdf.save({ useObjectStreams: false });
    },
  };
}
