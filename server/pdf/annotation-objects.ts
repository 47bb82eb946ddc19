// Native PDF annotations (Ink, Highlight, Text) and their appearance streams written directly as
// PDF syntax. Building them as pdf-lib objects meant a PDFNumber per ink coordinate and pdf-lib's
// serialiser for each; an export of 10,000 strokes spent most of its time there.
import { PDFHexString, PDFString } from 'pdf-lib';
import type { InkPoint } from '../../shared/annotations';
import { HIGHLIGHTER_OPACITY, hexToRgb } from '../../shared/stroke-geometry';
import { drawMark, pdfNum as n, type MarkInput } from './annotation-appearance';

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

/** Bodies (without "n 0 obj") of the Form XObject that draws the mark and of the annotation. */
export function nativeAnnotationBodies(m: NativeMark, pageRef: string, apRef: string): { appearance: string; annotation: string } {
  const d = drawMark(m, HIGHLIGHTER_OPACITY);
  const gs = d.opacity < 1 || d.multiply;
  const resources = gs
    ? ` /Resources << /ExtGState << /GS0 << /Type /ExtGState /CA ${n(d.opacity)} /ca ${n(d.opacity)}${d.multiply ? ' /BM /Multiply' : ''} >> >> >>`
    : '';
  const content = gs ? `q /GS0 gs\n${d.ops}\nQ` : `q\n${d.ops}\nQ`;
  const appearance = `<< /Type /XObject /Subtype /Form /BBox ${arr(d.rect)}${resources} /Length ${content.length} >>\nstream\n${content}\nendstream`;

  let common = `/Type /Annot /Rect ${arr(d.rect)} /C ${arr(hexToRgb(m.color))} /AP << /N ${apRef} >> /P ${pageRef} /NM ${asciiLiteral(`hopso-${m.id}`)}`;
  if (m.author) common += ` /T ${pdfText(m.author)}`;
  if (m.at) common += ` /M ${PDFString.fromDate(new Date(m.at)).toString()}`;
  let annotation: string;
  if (m.tool === 'note') {
    // Print | NoZoom | NoRotate: a sticky note stays upright and readable, like in Acrobat
    annotation = `<< ${common} /Subtype /Text /F 28 /Name /Comment /Open false /Contents ${pdfText(m.text ?? '')} >>`;
  } else if (m.tool === 'highlighter') {
    const [x1, y1, x2, y2] = d.rect;
    annotation = `<< ${common} /Subtype /Highlight /F 4 /CA ${n(d.opacity)} /QuadPoints ${arr([x1, y2, x2, y2, x1, y1, x2, y1])}${m.text ? ` /Contents ${pdfText(m.text)}` : ''} >>`;
  } else {
    annotation = `<< ${common} /Subtype /Ink /F 4 /InkList [${inkList(m.points)}] /BS << /W ${n(m.width)} /S /S >> >>`;
  }
  return { appearance, annotation };
}

function inkList(points: readonly InkPoint[]): string {
  let s = '[';
  for (let i = 0; i < points.length; i++) s += `${i ? ' ' : ''}${n(points[i]![0])} ${n(points[i]![1])}`;
  return `${s}]`;
}
