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
  if (c < 0) { sign = '-'; c = -c; }
  const i = Math.floor(c / 100), f = c - i * 100;
  if (f === 0) return sign + i;
  if (f % 10 === 0) return `${sign}${i}.${f / 10}`;
  return `${sign}${i}.${f < 10 ? '0' : ''}${f}`;
}
const n = pdfNum;

/** Filled outline of an ink or highlighter stroke (operators only, colour set by the caller). */
export function outlinePathOps(outline: readonly [number, number][]): string {
  if (outline.length < 2) return '';
  const first = outline[0]!;
  let ops = `${n(first[0])} ${n(first[1])} m`;
  for (let i = 1; i < outline.length; i++) {
    const p = outline[i]!;
    ops += `\n${n(p[0])} ${n(p[1])} l`;
  }
  return `${ops}\nh f`;
}

/** The note's icon: a folded sheet with three lines, NOTE_ICON_SIZE square, top-left at the anchor. */
export function noteIconOps(x: number, y: number, color: string): string {
  const s = NOTE_ICON_SIZE;
  const [r, g, b] = hexToRgb(color);
  const x2 = x + s, y1 = y - s;
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
  const outline = strokeOutline(m.points, m.width, m.tool);
  const [r, g, b] = hexToRgb(m.color);
  out.num(r).num(g).num(b).text('rg');
  if (outline.length >= 2) {
    // the same operators as outlinePathOps
    for (let i = 0; i < outline.length; i++) {
      const p = outline[i]!;
      out.text('\n').num(p[0]).num(p[1]).text(i === 0 ? 'm' : 'l');
    }
    out.text('\nh f');
  } else out.text('\n');
  return {
    rect: boundsOf(outline.length ? outline : m.points, 1),
    opacity: m.tool === 'highlighter' ? highlighterOpacity : 1,
    multiply: m.tool === 'highlighter',
  };
}

const scratch = new PdfBytes();
export function drawMark(m: MarkInput, highlighterOpacity: number): MarkDrawing {
  const placement = drawMarkInto(m, highlighterOpacity, scratch.reset());
  return { ops: scratch.toString(), ...placement };
}
