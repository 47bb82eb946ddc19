// Content-stream operators that draw one mark in PDF user space: the appearance stream of a native
// annotation and the flattened page content use the very same drawing, so both look like the screen.
import type { AnnotationTool, InkPoint } from '../../shared/annotations';
import { NOTE_ICON_SIZE, boundsOf, hexToRgb, strokeOutline } from '../../shared/stroke-geometry';
import { PdfBytes } from './pdf-bytes';

export interface MarkInput {
  tool: AnnotationTool;
  color: string;
  width: number;
  points: InkPoint[];
  text?: string;
}

/**
 * A number in PDF syntax, rounded to 1/100 pt. Same text as (Math.round(v * 100) / 100).toString(),
 * but built from integers: exports write millions of these, and Number#toString on fractions was
 * most of the export's time.
 */
export function pdfNum(v: number): string {
  let c = Math.round(v * 100);
  let sign = '';
  if (c < 0) {
    sign = '-';
    c = -c;
  }
  const i = Math.floor(c / 100),
    f = c - i * 100;
  if (f === 0) return sign + i;
  if (f % 10 === 0) return `${sign}${i}.${f / 10}`;
  return `${sign}${i}.${f < 10 ? '0' : ''}${f}`;
}
const n = pdfNum;

/**
 * Filled outline of an ink or highlighter stroke, after a line break (operators only, colour set by
 * the caller, to be wrapped in q … Q: it moves and scales the coordinate system). Coordinates are
 * whole hundredths of a point from (x0, y0) under a 1/100 scale: the same positions as pdfNum's
 * rounding, and from the outline's lower-left corner three or four bytes a point shorter than
 * "123.45 678.9" (outlines are most of what an export writes).
 */
export function outlinePathInto(outline: readonly [number, number][], x0: number, y0: number, out: PdfBytes): PdfBytes {
  if (outline.length < 2) return out;
  const ox = Math.round(x0 * 100),
    oy = Math.round(y0 * 100);
  return out
    .text('\n0.01 0 0 0.01 ')
    .num(ox / 100)
    .num(oy / 100)
    .text('cm')
    .pathInHundredths(outline, ox, oy)
    .text('\nh f');
}

/** The note's icon: a folded sheet with three lines, NOTE_ICON_SIZE square, top-left at the anchor. */
export function noteIconOps(x: number, y: number, color: string): string {
  const s = NOTE_ICON_SIZE;
  const [r, g, b] = hexToRgb(color);
  const x2 = x + s,
    y1 = y - s;
  const fold = s * 0.3;
  return [
    `${n(r)} ${n(g)} ${n(b)} rg 0.2 0.2 0.2 RG 0.8 w`,
    `${n(x)} ${n(y)} m ${n(x2 - fold)} ${n(y)} l ${n(x2)} ${n(y - fold)} l ${n(x2)} ${n(y1)} l ${n(x)} ${n(y1)} l h B`,
    '0.25 0.25 0.25 RG 0.9 w',
    ...[0.4, 0.58, 0.76].map((f) => `${n(x + s * 0.18)} ${n(y - s * f)} m ${n(x2 - s * 0.18)} ${n(y - s * f)} l S`),
  ].join('\n');
}

export interface MarkDrawing {
  /** operators, to be wrapped in q … Q by the caller */
  ops: string;
  /** [x1, y1, x2, y2] in user space */
  rect: [number, number, number, number];
  /** needs an ExtGState with this opacity (and Multiply for highlighter) */
  opacity: number;
  multiply: boolean;
}

export type MarkPlacement = Omit<MarkDrawing, 'ops'>;

/** Writes the mark's operators (to be wrapped in q … Q by the caller) into `out`. */
export function drawMarkInto(m: MarkInput, highlighterOpacity: number, out: PdfBytes): MarkPlacement {
  if (m.tool === 'note') {
    const p = m.points[0] ?? [0, 0, 0.5];
    out.text(noteIconOps(p[0], p[1], m.color));
    return { rect: [p[0], p[1] - NOTE_ICON_SIZE, p[0] + NOTE_ICON_SIZE, p[1]], opacity: 1, multiply: false };
  }
  // strokeOutline's very outline (what the screen draws)
  const outline = m.points.length ? strokeOutline(m.points, m.width, m.tool) : [];
  const [r, g, b] = hexToRgb(m.color);
  out.num(r).num(g).num(b).text('rg');
  const rect = outline.length ? boundsOf(outline, 1) : boundsOf(m.points, 1);
  // from the outline's lower-left corner (inside the 1 pt pad)
  if (outline.length >= 2) outlinePathInto(outline, rect[0] + 1, rect[1] + 1, out);
  else out.text('\n');
  return {
    rect,
    opacity: m.tool === 'highlighter' ? highlighterOpacity : 1,
    multiply: m.tool === 'highlighter',
  };
}

const scratch = new PdfBytes();
export function drawMark(m: MarkInput, highlighterOpacity: number): MarkDrawing {
  const placement = drawMarkInto(m, highlighterOpacity, scratch.reset());
  return { ops: scratch.toString(), ...placement };
}
