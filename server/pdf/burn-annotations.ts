// Puts marks into a PDF: either as native annotations (Ink, Highlight, Text) with appearance
// streams, which any reader shows and lets the user hide or delete, or flattened into the page
// content. Marks are in PDF user space of the unrotated page, so they are written as they are:
// no transform for zoom, rotation or crop boxes.
import fs from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import {
  PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, degrees, rgb, type PDFFont, type PDFPage, type PDFRef,
} from 'pdf-lib';
import type { AnnotationLayer, InkPoint } from '../../shared/annotations';
import { HIGHLIGHTER_OPACITY, NOTE_ICON_SIZE, hexToRgb } from '../../shared/stroke-geometry';
import { drawMark, type MarkInput } from './annotation-appearance';
import { serifFonts } from './fonts';

export interface BurnMark extends MarkInput {
  id: string;
  page: number;
  layer: AnnotationLayer;
  author?: string;
  at?: string;
}

export interface BurnOptions {
  flatten: boolean;
  /** font for flattened note text (Vietnamese needs a real TTF); defaults to the serif set */
  noteFontPath?: string;
}

/** Bytes of the annotated PDF. Marks on pages past the end are skipped. */
export async function burnAnnotations(pdf: Uint8Array, marks: readonly BurnMark[], opts: BurnOptions): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  await burnIntoDocument(doc, marks, opts);
  return doc.save({ useObjectStreams: false, updateFieldAppearances: false });
}

export async function burnIntoDocument(doc: PDFDocument, marks: readonly BurnMark[], opts: BurnOptions): Promise<void> {
  const pages = doc.getPages();
  const byPage = new Map<number, BurnMark[]>();
  for (const m of marks) {
    if (m.page < 1 || m.page > pages.length) continue;
    const list = byPage.get(m.page);
    if (list) list.push(m); else byPage.set(m.page, [m]);
  }
  let font: PDFFont | undefined;
  const noteFont = async () => {
    if (!font) {
      doc.registerFontkit(fontkit);
      font = await doc.embedFont(fs.readFileSync(opts.noteFontPath ?? serifFonts().files.regular), { subset: true });
    }
    return font;
  };
  for (const [pageNo, list] of byPage) {
    const page = pages[pageNo - 1]!;
    if (opts.flatten) await flattenPage(doc, page, list, noteFont);
    else addAnnotations(doc, page, list);
  }
}

const pdfText = (s: string) => PDFHexString.fromText(s);

/** One Form XObject per mark, with the opacity it needs. */
function appearance(doc: PDFDocument, ops: string, rect: number[], opacity: number, multiply: boolean): PDFRef {
  const gs = opacity < 1 || multiply;
  const dict: Record<string, unknown> = { Type: 'XObject', Subtype: 'Form', BBox: rect };
  if (gs) dict.Resources = { ExtGState: { GS0: { Type: 'ExtGState', CA: opacity, ca: opacity, ...(multiply ? { BM: 'Multiply' } : {}) } } };
  const body = gs ? `q /GS0 gs\n${ops}\nQ` : `q\n${ops}\nQ`;
  return doc.context.register(doc.context.stream(body, dict as never));
}

function addAnnotations(doc: PDFDocument, page: PDFPage, marks: readonly BurnMark[]): void {
  const ctx = doc.context;
  for (const m of marks) {
    const d = drawMark(m, HIGHLIGHTER_OPACITY);
    const ap = appearance(doc, d.ops, d.rect, d.opacity, d.multiply);
    const [r, g, b] = hexToRgb(m.color);
    const common: Record<string, unknown> = {
      Type: 'Annot', Rect: d.rect, C: [r, g, b], AP: { N: ap }, P: page.ref,
      NM: PDFString.of(`hopso-${m.id}`), // ids are ASCII
      ...(m.author ? { T: pdfText(m.author) } : {}),
      ...(m.at ? { M: PDFString.fromDate(new Date(m.at)) } : {}),
    };
    let dict: Record<string, unknown>;
    if (m.tool === 'note') {
      // Print | NoZoom | NoRotate: a sticky note stays upright and readable, like in Acrobat
      dict = { ...common, Subtype: 'Text', F: 28, Name: 'Comment', Open: false, Contents: pdfText(m.text ?? '') };
    } else if (m.tool === 'highlighter') {
      const [x1, y1, x2, y2] = d.rect;
      dict = { ...common, Subtype: 'Highlight', F: 4, CA: d.opacity, QuadPoints: [x1, y2, x2, y2, x1, y1, x2, y1], ...(m.text ? { Contents: pdfText(m.text) } : {}) };
    } else {
      dict = { ...common, Subtype: 'Ink', F: 4, InkList: [inkList(m.points)], BS: { W: m.width, S: 'S' } };
    }
    page.node.addAnnot(ctx.register(ctx.obj(dict as never)));
  }
}

const inkList = (points: readonly InkPoint[]) => points.flatMap((p) => [p[0], p[1]]);

async function flattenPage(doc: PDFDocument, page: PDFPage, marks: readonly BurnMark[], noteFont: () => Promise<PDFFont>): Promise<void> {
  const ctx = doc.context;
  page.node.normalize();
  const resources = page.node.Resources()!;
  let ext = resources.lookupMaybe(PDFName.of('ExtGState'), PDFDict);
  if (!ext) { ext = ctx.obj({}); resources.set(PDFName.of('ExtGState'), ext); }
  const gsNames = new Map<string, string>();
  const gsFor = (opacity: number, multiply: boolean) => {
    const key = `${opacity}|${multiply}`;
    let name = gsNames.get(key);
    if (!name) {
      name = `HsInk${gsNames.size}`;
      ext!.set(PDFName.of(name), ctx.obj({ Type: 'ExtGState', CA: opacity, ca: opacity, ...(multiply ? { BM: 'Multiply' } : {}) }));
      gsNames.set(key, name);
    }
    return name;
  };
  const parts: string[] = [];
  for (const m of marks) {
    const d = drawMark(m, HIGHLIGHTER_OPACITY);
    const gs = d.opacity < 1 || d.multiply ? `/${gsFor(d.opacity, d.multiply)} gs\n` : '';
    parts.push(`q\n${gs}${d.ops}\nQ`);
  }
  // Isolate the page's own content (it may leave the CTM changed), then draw the marks on top.
  const start = ctx.register(ctx.stream('q\n'));
  const end = ctx.register(ctx.stream('\nQ\n'));
  page.node.wrapContentStreams(start, end);
  page.node.addContentStream(ctx.register(ctx.flateStream(parts.join('\n'))));

  const notes = marks.filter((m) => m.tool === 'note' && m.text);
  if (notes.length) {
    const font = await noteFont();
    const rotation = ((page.getRotation().angle % 360) + 360) % 360;
    for (const m of notes) drawNoteText(page, font, m, rotation);
  }
}

/** The note's text beside its icon, upright as the page is shown (rotated pages too). */
function drawNoteText(page: PDFPage, font: PDFFont, m: BurnMark, rotation: number): void {
  const p = m.points[0];
  if (!p) return;
  const size = 9;
  const maxWidth = 180;
  const lines = wrap(m.text ?? '', font, size, maxWidth).slice(0, 30);
  // offsets in the reader's frame (right of the icon, first baseline a line below the top)
  const dx = NOTE_ICON_SIZE + 4;
  const dy = -size;
  const rad = (rotation * Math.PI) / 180;
  // a page shown rotated clockwise by `rotation` needs text turned counter-clockwise by the same
  const rot = (x: number, y: number): [number, number] => [x * Math.cos(rad) - y * Math.sin(rad), x * Math.sin(rad) + y * Math.cos(rad)];
  lines.forEach((line, i) => {
    const [ox, oy] = rot(dx, dy - i * (size + 2));
    page.drawText(line, { x: p[0] + ox, y: p[1] + oy, size, font, color: rgb(0.1, 0.1, 0.1), rotate: degrees(rotation) });
  });
}

function wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const out: string[] = [];
  for (const para of text.replace(/\r/g, '').split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (line && font.widthOfTextAtSize(next, size) > maxWidth) { out.push(line); line = word; } else line = next;
    }
    out.push(line);
  }
  return out;
}
