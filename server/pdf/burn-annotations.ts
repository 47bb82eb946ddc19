// Puts marks into a PDF: either as native annotations (Ink, Highlight, Text) with appearance
// streams, which any reader shows and lets the user hide or delete, or flattened into the page
// content. Marks are in PDF user space of the unrotated page, so they are written as they are:
// no transform for zoom, rotation or crop boxes.
//
// The result is the original bytes followed by one incremental update (PdfEdit), kept as two parts
// (the original is never copied; the download streams one after the other): the new objects
// and the touched pages' dictionaries. Re-serialising the whole document cost more than the marks,
// and so did parsing it whole: the file is read lazily, through its cross-reference data
// (lazy-pdf-document.ts), so only the page tree and the marked pages are ever parsed.
import { deflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, type PDFFont, type PDFObject, type PDFPage } from 'pdf-lib';
import type { AnnotationLayer } from '../../shared/annotations';
import { HIGHLIGHTER_OPACITY, NOTE_ICON_SIZE } from '../../shared/stroke-geometry';
import { drawMarkInto, pdfNum as n } from './annotation-appearance';
import { PdfBytes } from './pdf-bytes';
import { writeNativeAnnotation, type NativeMark } from './annotation-objects';
import { fontBytes } from './fonts';
import { sharedFontkit } from './shared-fontkit';
import { openLazily } from './lazy-pdf-document';
import { PdfEdit } from './pdf-edit';
import { joinParts } from '../signing/pdf-incremental-update';

export interface BurnMark extends NativeMark {
  page: number;
  layer: AnnotationLayer;
}

export interface BurnOptions {
  flatten: boolean;
}

/** Bytes of the annotated PDF, in one buffer. Marks on pages past the end are skipped. */
export async function burnAnnotations(pdf: Uint8Array, marks: readonly BurnMark[], opts: BurnOptions): Promise<Uint8Array> {
  return joinParts(await burnAnnotationParts(pdf, marks, opts));
}

/**
 * The annotated PDF as parts to send one after the other (the download streams them): usually
 * `pdf` itself, not copied, and the incremental update after it.
 */
export async function burnAnnotationParts(pdf: Uint8Array, marks: readonly BurnMark[], opts: BurnOptions): Promise<Uint8Array[]> {
  // read lazily, through the cross-reference data, when it can be; any surprise on the way (a
  // table that does not match the objects) and pdf-lib's full load, which repairs, does it again
  const lazy = openLazily(pdf);
  if (lazy) {
    try {
      return await burnInto(lazy, pdf, marks, opts, true);
    } catch {
      /* below */
    }
  }
  return burnInto(await PDFDocument.load(pdf, { updateMetadata: false }), pdf, marks, opts, false);
}

/** `incrementalOnly`: the document was read lazily and cannot be saved whole (see PdfEdit) */
async function burnInto(
  doc: PDFDocument,
  pdf: Uint8Array,
  marks: readonly BurnMark[],
  opts: BurnOptions,
  incrementalOnly: boolean,
): Promise<Uint8Array[]> {
  const pages = doc.getPages();
  const byPage = new Map<number, BurnMark[]>();
  let points = 0;
  for (const m of marks) {
    if (m.page < 1 || m.page > pages.length) continue;
    const list = byPage.get(m.page);
    if (list) list.push(m);
    else byPage.set(m.page, [m]);
    points += m.points.length;
  }
  if (byPage.size === 0) return [pdf]; // nothing to add: the original is the answer
  // bytes per input point, measured: ~53 for an appearance stream plus /InkList, ~5 deflated; the
  // guess is generous because outgrowing it copies the update written so far
  const edit = new PdfEdit(
    doc,
    pdf,
    points * (opts.flatten ? 24 : 64) + byPage.size * 2048 + marks.length * 600 + 65536,
    incrementalOnly,
  );

  let font: PDFFont | undefined;
  const noteFont = async () => {
    if (!font) {
      // the font file read and parsed once per process (fonts.ts, shared-fontkit.ts), as for the minutes
      doc.registerFontkit(sharedFontkit);
      font = await doc.embedFont(fontBytes('regular'), { subset: true });
    }
    return font;
  };
  // one pair of q / Q streams for every flattened page: they isolate the page's own content
  let isolate: { open: PDFRef; close: PDFRef } | undefined;
  for (const [pageNo, list] of byPage) {
    const page = pages[pageNo - 1]!;
    if (opts.flatten) {
      isolate ??= { open: edit.add(stream('q\n')), close: edit.add(stream('\nQ\n')) };
      await flattenPage(doc, edit, page, list, isolate, noteFont);
    } else {
      addAnnotations(doc, edit, page, list);
    }
    edit.markChanged(page.ref);
  }
  return edit.write();
}

/** scratch buffers, reused page after page */
const flatContent = new PdfBytes();
const markOps = new PdfBytes();

const stream = (content: string) => `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;

function addAnnotations(doc: PDFDocument, edit: PdfEdit, page: PDFPage, marks: readonly BurnMark[]): void {
  const refs: PDFObject[] = marks.map((m) => writeNativeAnnotation(edit, m, page.ref));
  // a fresh direct /Annots array on the page: an indirect one may be shared, and the page
  // dictionary is rewritten anyway
  const old = doc.context.lookupMaybe(page.node.get(PDFName.of('Annots')), PDFArray);
  page.node.set(PDFName.of('Annots'), doc.context.obj([...(old?.asArray() ?? []), ...refs]));
}

async function flattenPage(
  doc: PDFDocument,
  edit: PdfEdit,
  page: PDFPage,
  marks: readonly BurnMark[],
  isolate: { open: PDFRef; close: PDFRef },
  noteFont: () => Promise<PDFFont>,
): Promise<void> {
  const ctx = doc.context;
  // the page gets its own copy of its (maybe inherited, maybe shared) resources with our entries added
  const resources = (page.node.Resources() ?? ctx.obj({})).clone(ctx);
  const subDict = (key: string) => {
    const d = resources.lookupMaybe(PDFName.of(key), PDFDict)?.clone(ctx) ?? ctx.obj({});
    resources.set(PDFName.of(key), d);
    return d;
  };
  const freeName = (dict: PDFDict, prefix: string) => {
    let k = 0;
    while (dict.has(PDFName.of(`${prefix}${k}`))) k++;
    return `${prefix}${k}`;
  };
  const ext = subDict('ExtGState');
  const gsNames = new Map<string, string>();
  const gsFor = (opacity: number, multiply: boolean) => {
    const key = `${opacity}|${multiply}`;
    let name = gsNames.get(key);
    if (!name) {
      name = freeName(ext, 'HsInk');
      ext.set(
        PDFName.of(name),
        ctx.obj({ Type: 'ExtGState', CA: opacity, ca: opacity, ...(multiply ? { BM: 'Multiply' } : {}) }),
      );
      gsNames.set(key, name);
    }
    return name;
  };
  const notes = marks.filter((m) => m.tool === 'note' && m.text);
  // awaited before the shared scratch buffer is touched: no other export can run in between
  const font = notes.length ? await noteFont() : undefined;
  const content = flatContent.reset();
  for (const m of marks) {
    content.text('q\n');
    // drawn aside first: the drawing says which opacity (graphics state) goes before it
    const d = drawMarkInto(m, HIGHLIGHTER_OPACITY, markOps.reset());
    if (d.opacity < 1 || d.multiply) content.text(`/${gsFor(d.opacity, d.multiply)} gs\n`);
    content.bytes(markOps.view()).text('\nQ\n');
  }
  if (font) {
    const fonts = subDict('Font');
    const fontName = freeName(fonts, 'HsNote');
    fonts.set(PDFName.of(fontName), font.ref);
    const rotation = ((page.getRotation().angle % 360) + 360) % 360;
    const box = page.getCropBox();
    for (const m of notes) content.text(noteTextOps(font, fontName, m, rotation, box));
  }
  // node's zlib at its fastest level: pdf-lib's flateStream (pako), and zlib's default level 6,
  // each took longer than drawing the marks; level 1 is ~3× faster for ~15% more bytes
  const packed = deflateSync(content.view(), { level: 1 });
  const marksRef = edit.add(`<< /Length ${packed.length} /Filter /FlateDecode >>\nstream\n`, packed, '\nendstream');

  const contents = ctx.lookup(page.node.get(PDFName.of('Contents')));
  const old: PDFObject[] =
    contents instanceof PDFArray
      ? contents.asArray()
      : page.node.get(PDFName.of('Contents')) instanceof PDFRef
        ? [page.node.get(PDFName.of('Contents'))!]
        : [];
  page.node.set(PDFName.of('Contents'), ctx.obj(old.length ? [isolate.open, ...old, isolate.close, marksRef] : [marksRef]));
  page.node.set(PDFName.of('Resources'), resources);
}

/** Space kept between a note's text and the edge of the visible page. */
const NOTE_MARGIN = 6;
const NOTE_WIDTH = 180;

/**
 * The note's text beside its icon, upright as the page is shown (rotated pages too), wrapped and
 * placed inside the visible page box: right of the icon when it fits, else left of it, else against
 * the edge; moved up or down so no line falls off the top or the bottom (a note near the right
 * margin used to lose its text past the page edge).
 */
function noteTextOps(
  font: PDFFont,
  fontName: string,
  m: BurnMark,
  rotation: number,
  box: { x: number; y: number; width: number; height: number },
): string {
  const p = m.points[0];
  if (!p) return '';
  const size = 9;
  const lh = size + 2;
  const rad = (rotation * Math.PI) / 180;
  const cos = Math.cos(rad),
    sin = Math.sin(rad);
  // a page shown rotated clockwise by `rotation` needs text turned counter-clockwise by the same
  const rot = (x: number, y: number): [number, number] => [x * cos - y * sin, x * sin + y * cos];
  const unrot = (x: number, y: number): [number, number] => [x * cos + y * sin, -x * sin + y * cos];
  // the page box in the reader's frame, relative to the anchor
  const corners = [
    [box.x, box.y],
    [box.x + box.width, box.y],
    [box.x, box.y + box.height],
    [box.x + box.width, box.y + box.height],
  ].map(([x, y]) => unrot(x! - p[0], y! - p[1]));
  const minX = Math.min(...corners.map((c) => c[0])) + NOTE_MARGIN,
    maxX = Math.max(...corners.map((c) => c[0])) - NOTE_MARGIN;
  const minY = Math.min(...corners.map((c) => c[1])) + NOTE_MARGIN,
    maxY = Math.max(...corners.map((c) => c[1])) - NOTE_MARGIN;
  const width = Math.max(40, Math.min(NOTE_WIDTH, maxX - minX));
  const ascent = size * 0.8,
    descent = size * 0.25;
  const maxLines = Math.max(1, Math.min(30, Math.floor((maxY - minY - ascent - descent) / lh) + 1));
  const lines = wrap(m.text ?? '', font, size, width).slice(0, maxLines);
  const textWidth = Math.max(0, ...lines.map((l) => font.widthOfTextAtSize(l, size)));
  // x: right of the icon, else left of it, else as far right as fits
  const right = NOTE_ICON_SIZE + 4;
  const left = -4 - textWidth;
  let dx = right + textWidth <= maxX ? right : left >= minX ? left : maxX - textWidth;
  dx = Math.max(minX, dx);
  // y: first baseline a line below the icon's top, moved so the block stays between bottom and top
  let dy = -size;
  dy = Math.max(dy, minY + descent + (lines.length - 1) * lh);
  dy = Math.min(dy, maxY - ascent);
  let ops = '';
  lines.forEach((line, i) => {
    const [ox, oy] = rot(dx, dy - i * lh);
    const tm = [cos, sin, -sin, cos, p[0] + ox, p[1] + oy].map((v) => n(v)).join(' ');
    ops += `q\nBT\n0.1 0.1 0.1 rg\n/${fontName} ${size} Tf\n${tm} Tm\n${font.encodeText(line).toString()} Tj\nET\nQ\n`;
  });
  return ops;
}

function wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const out: string[] = [];
  const fits = (t: string) => font.widthOfTextAtSize(t, size) <= maxWidth;
  for (const para of text.replace(/\r/g, '').split('\n')) {
    let line = '';
    for (let word of para.split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (fits(next)) {
        line = next;
        continue;
      }
      if (line) out.push(line);
      // a word wider than the box (a long number, a URL) is cut where it must be
      while (!fits(word) && word.length > 1) {
        let k = word.length - 1;
        while (k > 1 && !fits(word.slice(0, k))) k--;
        out.push(word.slice(0, k));
        word = word.slice(k);
      }
      line = word;
    }
    out.push(line);
  }
  return out;
}
