// Renders a MinutesDocument into the administrative layout of Decree 30/2020/NĐ-CP (see docs/design-notes.md, Minutes layout,
// "Minutes layout"), ready to be signed: saved without object streams so incremental signature
// updates can find and extend the document's objects (docs/design-notes.md, Stack traps: "Two signatures on one PDF").
import { PDFDocument, rgb, type PDFPage } from 'pdf-lib';
import type { MinutesDocument } from '../../shared/minutes';
import { TextFlow, type FontFamily } from './pdf-text-flow';
import { embedMinutesFonts, tagSubsetFonts, type MinutesFontVariant } from './minutes-fonts';
import { A4_MINUTES, SIZES } from './minutes-geometry';
import { drawHeader, pageNumberText } from './minutes-header';
import { drawAgenda, drawAttendance, drawClosing, drawConclusions, drawTimeAndPlace, drawVotes } from './minutes-body';
import { drawSignatureBlocks, type SignatureBoxes } from './minutes-signature-blocks';

export type { SignatureBox, SignatureBoxes } from './minutes-signature-blocks';

export interface RenderMinutesOptions {
  /** "helvetica" is a diacritic-less benchmark baseline, never for real minutes */
  fonts?: MinutesFontVariant;
  /** document info dates; defaults to now */
  now?: Date;
}

export interface RenderedMinutes {
  bytes: Uint8Array;
  pageCount: number;
  signatureBoxes: SignatureBoxes;
}

const GREY = rgb(0.35, 0.35, 0.35);

function decoratePage(fonts: FontFamily, doc: MinutesDocument, flow: () => TextFlow) {
  return (page: PDFPage, pageNumber: number) => {
    const f = flow();
    const { width, height, marginTop, marginLeft, marginRight, marginBottom } = A4_MINUTES;
    const num = pageNumberText(pageNumber);
    if (num) {
      const w = fonts.regular.widthOfTextAtSize(num, SIZES.pageNumber);
      page.drawText(num, {
        x: (width + marginLeft - marginRight) / 2 - w / 2,
        y: height - marginTop / 2 - SIZES.pageNumber / 2,
        size: SIZES.pageNumber,
        font: fonts.regular,
      });
    }
    // the event-log head hash in small print: ties the paper to the meeting's tamper-evident log
    const footer = f.clean(`Mã nhật ký cuộc họp (SHA-256): ${doc.eventLogHeadHash}`);
    const lines = f.breakLines([{ text: footer }], SIZES.footer, width - marginLeft - marginRight).slice(0, 2);
    lines.forEach((line, i) =>
      f.drawLine(
        line,
        marginLeft,
        marginBottom / 2 + 2 - i * SIZES.footer * 1.2,
        width - marginLeft - marginRight,
        'left',
        SIZES.footer,
        GREY,
      ),
    );
  };
}

function layout(flow: TextFlow, doc: MinutesDocument, pageCount: number): SignatureBoxes {
  flow.newPage();
  drawHeader(flow, doc);
  drawTimeAndPlace(flow, doc);
  drawAttendance(flow, doc);
  drawAgenda(flow, doc);
  drawVotes(flow, doc);
  drawConclusions(flow, doc);
  drawClosing(flow, doc, pageCount);
  return drawSignatureBlocks(flow, doc);
}

export async function renderMinutes(doc: MinutesDocument, options: RenderMinutesOptions = {}): Promise<RenderedMinutes> {
  const pdf = await PDFDocument.create();
  const fonts = await embedMinutesFonts(pdf, options.fonts);

  // The closing sentence states the page count, which depends on the layout: measure first.
  // Page counts are written with two digits and digits share one width in these fonts, so one
  // measuring pass settles it; the loop only guards against a font where that is not true.
  let pageCount = 1;
  for (let attempt = 0; attempt < 4; attempt++) {
    const probe = new TextFlow(null, fonts, A4_MINUTES);
    layout(probe, doc, pageCount);
    if (probe.pageCount === pageCount) break;
    pageCount = probe.pageCount;
  }

  let flow: TextFlow | undefined;
  flow = new TextFlow(
    pdf,
    fonts,
    A4_MINUTES,
    decoratePage(fonts, doc, () => flow!),
  );
  const signatureBoxes = layout(flow, doc, pageCount);

  const now = options.now ?? new Date();
  pdf.setTitle(fonts.sanitizer.clean(`Biên bản họp số ${doc.number} — ${doc.subject}`), { showInWindowTitleBar: true });
  pdf.setSubject(fonts.sanitizer.clean(`Về việc ${doc.subject}`));
  pdf.setProducer('Họp Số');
  pdf.setCreator('Họp Số');
  pdf.setLanguage('vi-VN');
  pdf.setCreationDate(now);
  pdf.setModificationDate(now);
  if ((options.fonts ?? 'embedded') === 'embedded') await tagSubsetFonts(pdf, [fonts.regular, fonts.bold, fonts.italic]);
  const bytes = await pdf.save({ useObjectStreams: false });
  return { bytes, pageCount: flow.pageCount, signatureBoxes };
}
