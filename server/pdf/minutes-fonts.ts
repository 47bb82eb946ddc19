// Fonts for the minutes PDF. "embedded" is the real thing: Tinos/Noto Serif subsets (fonts.ts), which
// draw every Vietnamese letter. "helvetica" exists only as a benchmark baseline: pdf-lib's standard
// Helvetica needs no embedding but is limited to WinAnsi, so the text loses its diacritics.
import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFName, StandardFonts, type PDFDocument, type PDFFont } from 'pdf-lib';
import { fontBytes } from './fonts';
import { sharedFontkit } from './shared-fontkit';
import type { FontFamily } from './pdf-text-flow';
import { createSanitizer, deburrVietnamese } from './pdf-text-sanitize';

export type MinutesFontVariant = 'embedded' | 'helvetica';

export async function embedMinutesFonts(pdf: PDFDocument, variant: MinutesFontVariant = 'embedded'): Promise<FontFamily> {
  if (variant === 'helvetica') {
    const [regular, bold, italic] = await Promise.all([
      pdf.embedFont(StandardFonts.Helvetica),
      pdf.embedFont(StandardFonts.HelveticaBold),
      pdf.embedFont(StandardFonts.HelveticaOblique),
    ]);
    return { regular, bold, italic, sanitizer: createSanitizer([regular, bold, italic], deburrVietnamese) };
  }
  // parsed once per process, shaping remembered: see shared-fontkit.ts
  pdf.registerFontkit(sharedFontkit);
  const [regular, bold, italic] = await Promise.all([
    pdf.embedFont(fontBytes('regular'), { subset: true }),
    pdf.embedFont(fontBytes('bold'), { subset: true }),
    pdf.embedFont(fontBytes('italic'), { subset: true }),
  ]);
  return { regular, bold, italic, sanitizer: createSanitizer([regular, bold, italic]) };
}

/**
 * Names subset fonts as PDF 32000-1 §9.6.4 asks: a six-letter tag and "+" before the PostScript
 * name (pdf-lib writes "Tinos-2808"). Viewers and checkers (pdffonts' "sub" column, PDF/A
 * validators) rely on the tag to know the font is partial. Call after all text is drawn.
 */
export async function tagSubsetFonts(pdf: PDFDocument, fonts: readonly PDFFont[]): Promise<void> {
  await pdf.flush();
  const BaseFont = PDFName.of('BaseFont');
  for (const font of fonts) {
    const type0 = pdf.context.lookup(font.ref);
    if (!(type0 instanceof PDFDict)) continue;
    const base = type0.get(BaseFont);
    if (!(base instanceof PDFName)) continue;
    const name = base.decodeText().replace(/^[A-Z]{6}\+/, '');
    const tag = [...createHash('sha256').update(name).digest().subarray(0, 6)]
      .map((b) => String.fromCharCode(65 + (b % 26)))
      .join('');
    const tagged = PDFName.of(`${tag}+${name}`);
    type0.set(BaseFont, tagged);
    const descendants = type0.lookup(PDFName.of('DescendantFonts'));
    const cidFont = descendants instanceof PDFArray ? descendants.lookup(0) : undefined;
    if (!(cidFont instanceof PDFDict)) continue;
    cidFont.set(BaseFont, tagged);
    const descriptor = cidFont.lookup(PDFName.of('FontDescriptor'));
    if (descriptor instanceof PDFDict) descriptor.set(PDFName.of('FontName'), tagged);
  }
}
