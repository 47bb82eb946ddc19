// The visible mark of a signature (Decree 30/2020, electronic documents): the signer's handwritten
// signature image centred in the box with the signing time (ISO 8601, Vietnam time) under it; without
// an image, the name, "Đã ký số" and the time. Built as a Form XObject for the widget's /AP /N.
import fontkit from '@pdf-lib/fontkit';
import { rgb, type PDFDocument, type PDFFont, type PDFRef } from 'pdf-lib';
import { fontBytes } from '../pdf/fonts';
import { createSanitizer } from '../pdf/pdf-text-sanitize';

export interface AppearanceInput {
  width: number;
  height: number;
  signerName: string;
  /** already formatted, e.g. "2026-11-21T10:15:00+07:00" */
  signedAtText: string;
  signatureImagePng?: Uint8Array;
}

const INK = rgb(0.05, 0.15, 0.55); // dark blue, the colour of a pen signature

const num = (n: number) => (Math.round(n * 1000) / 1000).toString();

/** Adds the appearance stream (and its font subset / image) to `doc`; returns the stream's ref. */
export async function addSignatureAppearance(
  doc: PDFDocument,
  input: AppearanceInput,
): Promise<{ ref: PDFRef; fonts: PDFFont[] }> {
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(fontBytes('regular'), { subset: true });
  const bold = await doc.embedFont(fontBytes('bold'), { subset: true });
  const sanitizer = createSanitizer([regular, bold]);
  const { width: w, height: h } = input;
  const ops: string[] = [];
  const color = `${num(INK.red)} ${num(INK.green)} ${num(INK.blue)} rg`;

  /** one centred line; shrinks the size until it fits the box width */
  const line = (text: string, font: PDFFont, fontName: string, size: number, baseline: number) => {
    const clean = sanitizer.clean(text);
    let s = size;
    while (s > 4 && font.widthOfTextAtSize(clean, s) > w - 4) s -= 0.5;
    const x = (w - font.widthOfTextAtSize(clean, s)) / 2;
    ops.push(
      `BT /${fontName} ${num(s)} Tf ${color} 1 0 0 1 ${num(x)} ${num(baseline)} Tm ${font.encodeText(clean).toString()} Tj ET`,
    );
  };

  const resources: { Font: Record<string, PDFRef>; XObject?: Record<string, PDFRef> } = {
    Font: { F1: regular.ref, F2: bold.ref },
  };
  if (input.signatureImagePng) {
    const image = await doc.embedPng(input.signatureImagePng);
    const timeBand = 11;
    const scale = Math.min((w - 4) / image.width, (h - timeBand - 2) / image.height);
    const dw = image.width * scale;
    const dh = image.height * scale;
    ops.push(`q ${num(dw)} 0 0 ${num(dh)} ${num((w - dw) / 2)} ${num(timeBand + (h - timeBand - dh) / 2)} cm /Im1 Do Q`);
    line(`Đã ký số: ${input.signedAtText}`, regular, 'F1', 7.5, 3);
    resources.XObject = { Im1: image.ref };
  } else {
    line(input.signerName, bold, 'F2', 11, h / 2 + 12);
    line('Đã ký số', regular, 'F1', 9.5, h / 2 - 1);
    line(input.signedAtText, regular, 'F1', 8.5, h / 2 - 13);
  }
  const stream = doc.context.flateStream(ops.join('\n'), {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, w, h],
    Resources: resources,
  });
  return { ref: doc.context.register(stream), fonts: [regular, bold] };
}
