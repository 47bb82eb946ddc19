// The shape of a mark, the same on screen (SVG) and in exported PDFs (appearance streams and
// flattened content): perfect-freehand turns [x, y, pressure] samples into a filled outline.
// Works in any coordinate space; we feed it PDF user space, so the outline is in points too.
import { getStroke } from 'perfect-freehand';
import type { AnnotationTool, InkPoint } from './annotations';

export const HIGHLIGHTER_OPACITY = 0.35;
/** side of a note's icon, in PDF points; its anchor (points[0]) is the icon's top-left corner */
export const NOTE_ICON_SIZE = 18;

/** Mice and some touch screens report a flat 0.5: then speed stands in for pressure. */
export const hasRealPressure = (points: readonly InkPoint[]) => points.some((p) => p[2] !== 0.5 && p[2] !== 0);

export function strokeOutline(points: readonly InkPoint[], width: number, tool: AnnotationTool, last = true): [number, number][] {
  const pressure = hasRealPressure(points);
  const highlighter = tool === 'highlighter';
  const out = getStroke(
    points.map((p) => [p[0], p[1], p[2]]),
    {
      size: width,
      thinning: highlighter ? 0 : 0.6,
      smoothing: 0.5,
      streamline: 0.4,
      simulatePressure: !pressure && !highlighter,
      start: { cap: true, taper: 0 },
      end: { cap: true, taper: 0 },
      last,
    },
  );
  return out as [number, number][];
}

/** SVG path data for an outline (quadratic midpoints, as perfect-freehand recommends). */
export function outlineToSvgPath(outline: readonly [number, number][]): string {
  const n = outline.length;
  if (n < 2) return '';
  const f = (v: number) => v.toFixed(2);
  const first = outline[0]!;
  let d = `M${f(first[0])},${f(first[1])}Q`;
  for (let i = 0; i < n; i++) {
    const a = outline[i]!;
    const b = outline[(i + 1) % n]!;
    d += `${f(a[0])},${f(a[1])} ${f((a[0] + b[0]) / 2)},${f((a[1] + b[1]) / 2)} `;
  }
  return `${d}Z`;
}

/** Bounding box [minX, minY, maxX, maxY] of a set of points, grown by `pad`. */
export function boundsOf(points: readonly (readonly number[])[], pad = 0): [number, number, number, number] {
  let x1 = Infinity,
    y1 = Infinity,
    x2 = -Infinity,
    y2 = -Infinity;
  for (const p of points) {
    const x = p[0]!,
      y = p[1]!;
    if (x < x1) x1 = x;
    if (y < y1) y1 = y;
    if (x > x2) x2 = x;
    if (y > y2) y2 = y;
  }
  if (x1 === Infinity) return [0, 0, 0, 0];
  return [x1 - pad, y1 - pad, x2 + pad, y2 + pad];
}

export function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}
