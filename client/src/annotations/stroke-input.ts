// Pure helpers for ink input: pointer position → PDF user space, pressure, eraser hit tests.
import type { PageViewport } from 'pdfjs-dist';
import type { InkPoint, StoredStroke } from '../../../shared/annotations';
import { NOTE_ICON_SIZE } from '../../../shared/stroke-geometry';

/** CSS px inside the page box → PDF user space of the unrotated page (pdf.js does the rotation). */
export function toPdfPoint(viewport: PageViewport, x: number, y: number, pressure: number): InkPoint {
  const [px, py] = viewport.convertToPdfPoint(x, y) as [number, number];
  return [Math.round(px * 100) / 100, Math.round(py * 100) / 100, Math.round(pressure * 1000) / 1000];
}

/** Pens report real pressure; mice report 0.5 while pressed; many touch screens 0 or 1. */
export function pressureOf(e: { pointerType: string; pressure: number }): number {
  if (e.pointerType === 'pen') return Math.min(1, Math.max(0.05, e.pressure || 0.5));
  return 0.5;
}

function distToSegment(px: number, py: number, a: readonly number[], b: readonly number[]): number {
  const ax = a[0]!,
    ay = a[1]!,
    bx = b[0]!,
    by = b[1]!;
  const dx = bx - ax,
    dy = by - ay;
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Does a point (PDF space) touch this mark, with `slop` points of tolerance? */
export function hits(st: StoredStroke, x: number, y: number, slop: number): boolean {
  if (st.tool === 'note') {
    const a = st.points[0];
    return !!a && x >= a[0] - slop && x <= a[0] + NOTE_ICON_SIZE + slop && y <= a[1] + slop && y >= a[1] - NOTE_ICON_SIZE - slop;
  }
  const r = st.width / 2 + slop;
  const pts = st.points;
  if (pts.length === 1) return Math.hypot(x - pts[0]![0], y - pts[0]![1]) <= r;
  for (let i = 1; i < pts.length; i++) if (distToSegment(x, y, pts[i - 1]!, pts[i]!) <= r) return true;
  return false;
}

/**
 * 128 random bits as 32 hex characters. getRandomValues, unlike randomUUID, exists outside secure
 * contexts too (a meeting room served over plain HTTP on the LAN), so ids are never guessable.
 */
export const newStrokeId = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
