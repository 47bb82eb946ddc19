// Native PDF annotations (Ink, Highlight, Text) and their appearance streams written directly as
// PDF syntax into the export's incremental update. Building them as pdf-lib objects meant a
// PDFNumber per ink coordinate and pdf-lib's serialiser for each; an export of 10,000 strokes
// spent most of its time there.
import { PDFHexString, PDFString, type PDFRef } from 'pdf-lib';
import { HIGHLIGHTER_OPACITY, hexToRgb } from '../../shared/stroke-geometry';
import { drawMarkInto, type MarkInput, type MarkPlacement } from './annotation-appearance';
import { PdfBytes } from './pdf-bytes';
import type { PdfEdit } from './pdf-edit';

export interface NativeMark extends MarkInput {
  id: string;
  author?: string;
  at?: string;
}

/** Text string for any language: UTF-16BE hex with BOM (pure ASCII, so the body stays latin1). */
const pdfText = (s: string) => PDFHexString.fromText(s).toString();
/** A literal string of ASCII, escaped. */
const asciiLiteral = (s: string) => `(${s.replace(/[^\x20-\x7e]/g, '_').replace(/[\\()]/g, (c) => `\\${c}`)})`;

const content = new PdfBytes();
const dict = new PdfBytes();

/** Writes the mark's appearance (a Form XObject) and its annotation; returns the annotation's ref. */
export function writeNativeAnnotation(edit: PdfEdit, m: NativeMark, pageRef: PDFRef): PDFRef {
  const apRef = edit.reserve();
  const annotRef = edit.reserve();
  const d = writeAppearance(edit, apRef, m);

  // written straight into one buffer: string building per annotation showed in export profiles
  const out = dict
    .reset()
    .text('<< /Type /Annot /Rect ')
    .array(d.rect)
    .text('/C ')
    .array(hexToRgb(m.color))
    .text(`/AP << /N ${apRef.toString()} >> /P ${pageRef.toString()} /NM ${asciiLiteral(`hopso-${m.id}`)}`);
  if (m.author) out.text(` /T ${pdfText(m.author)}`);
  if (m.at) out.text(` /M ${PDFString.fromDate(new Date(m.at)).toString()}`);
  if (m.tool === 'note') {
    // Print | NoZoom | NoRotate: a sticky note stays upright and readable, like in Acrobat
    out.text(` /Subtype /Text /F 28 /Name /Comment /Open false /Contents ${pdfText(m.text ?? '')} >>`);
  } else if (m.tool === 'highlighter') {
    const [x1, y1, x2, y2] = d.rect;
    out.text(' /Subtype /Highlight /F 4 /CA ').num(d.opacity).text('/QuadPoints ').array([x1, y2, x2, y2, x1, y1, x2, y1]);
    out.text(m.text ? `/Contents ${pdfText(m.text)} >>` : '>>');
  } else {
    out.text(' /Subtype /Ink /F 4 /InkList [[');
    for (const p of m.points) out.num(p[0]).num(p[1]);
    out.text(']] /BS << /W ').num(m.width).text('/S /S >> >>');
  }
  edit.set(annotRef, out.view());
  return annotRef;
}

/** The appearance: the same drawing as the flattened form, in a Form XObject with its own opacity. */
function writeAppearance(edit: PdfEdit, ref: PDFRef, m: NativeMark): MarkPlacement {
  content.reset().text('q\n');
  const d = drawMarkInto(m, HIGHLIGHTER_OPACITY, content);
  content.text('\nQ');
  const gs = d.opacity < 1 || d.multiply;
  const head = dict.reset().text('<< /Type /XObject /Subtype /Form /BBox ').array(d.rect);
  if (gs) {
    head
      .text('/Resources << /ExtGState << /GS0 << /Type /ExtGState /CA ')
      .num(d.opacity)
      .text('/ca ')
      .num(d.opacity)
      .text(d.multiply ? '/BM /Multiply >> >> >> ' : '>> >> >> ');
  }
  // "q /GS0 gs" instead of "q": the opening was written before the opacity was known
  const open = gs ? 'q /GS0 gs\n' : 'q\n';
  const body = content.view().subarray(2);
  head.text(`/Length ${open.length + body.length} >>\nstream\n${open}`);
  edit.set(ref, head.view(), body, '\nendstream');
  return d;
}
