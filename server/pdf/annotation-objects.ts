// Native PDF annotations (Ink, Highlight, Text) and their appearance streams written directly as
// PDF syntax into the export's incremental update. Building them as pdf-lib objects meant a
// PDFNumber per ink coordinate and pdf-lib's serialiser for each; an export of 10,000 strokes
// spent most of its time there.
import { PDFHexString, PDFString, type PDFRef } from 'pdf-lib';
import { HIGHLIGHTER_OPACITY, hexToRgb } from '../../shared/stroke-geometry';
import { drawMarkInto, pdfNum as n, type MarkInput } from './annotation-appearance';
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
const arr = (xs: readonly number[]) => `[${xs.map(n).join(' ')}]`;

const content = new PdfBytes();
const dict = new PdfBytes();

/** Writes the mark's appearance (a Form XObject) and its annotation; returns the annotation's ref. */
export function writeNativeAnnotation(edit: PdfEdit, m: NativeMark, pageRef: PDFRef): PDFRef {
  const apRef = edit.reserve();
  const annotRef = edit.reserve();

  // the appearance: the same drawing as the flattened form, in a Form XObject with its own opacity
  content.reset().text('q\n');
  const d = drawMarkInto(m, HIGHLIGHTER_OPACITY, content);
  content.text('\nQ');
  const gs = d.opacity < 1 || d.multiply;
  const resources = gs
    ? ` /Resources << /ExtGState << /GS0 << /Type /ExtGState /CA ${n(d.opacity)} /ca ${n(d.opacity)}${d.multiply ? ' /BM /Multiply' : ''} >> >> >>`
    : '';
  // "q /GS0 gs" instead of "q": the opening was written before the opacity was known
  const open = gs ? 'q /GS0 gs\n' : 'q\n';
  const body = content.view().subarray(2);
  edit.set(apRef, `<< /Type /XObject /Subtype /Form /BBox ${arr(d.rect)}${resources} /Length ${open.length + body.length} >>\nstream\n${open}`, body, '\nendstream');

  let common = `<< /Type /Annot /Rect ${arr(d.rect)} /C ${arr(hexToRgb(m.color))} /AP << /N ${apRef.toString()} >> /P ${pageRef.toString()} /NM ${asciiLiteral(`hopso-${m.id}`)}`;
  if (m.author) common += ` /T ${pdfText(m.author)}`;
  if (m.at) common += ` /M ${PDFString.fromDate(new Date(m.at)).toString()}`;
  if (m.tool === 'note') {
    // Print | NoZoom | NoRotate: a sticky note stays upright and readable, like in Acrobat
    edit.set(annotRef, `${common} /Subtype /Text /F 28 /Name /Comment /Open false /Contents ${pdfText(m.text ?? '')} >>`);
  } else if (m.tool === 'highlighter') {
    const [x1, y1, x2, y2] = d.rect;
    edit.set(annotRef, `${common} /Subtype /Highlight /F 4 /CA ${n(d.opacity)} /QuadPoints ${arr([x1, y2, x2, y2, x1, y1, x2, y1])}${m.text ? ` /Contents ${pdfText(m.text)}` : ''} >>`);
  } else {
    dict.reset().text(`${common} /Subtype /Ink /F 4 /InkList [[`);
    for (const p of m.points) dict.num(p[0]).num(p[1]);
    dict.text(`]] /BS << /W ${n(m.width)} /S /S >> >>`);
    edit.set(annotRef, dict.view());
  }
  return annotRef;
}
