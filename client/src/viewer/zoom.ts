// Zoom is either a fit mode (recomputed when the viewer resizes) or a fixed scale where
// 1 = 100% (a PDF point is 96/72 CSS px, as in every desktop PDF reader).
import { CSS_PER_POINT } from './pdfjs';

export type ZoomMode = { kind: 'fit-width' } | { kind: 'fit-page' } | { kind: 'scale'; scale: number };

export const ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4] as const;
const MIN = 0.25;
const MAX = 4;

/** Padding kept around the page inside the scroll area, in CSS px. */
export const PAGE_GUTTER = 16;

/** CSS px per PDF point for a page of `pageW`×`pageH` points in a `boxW`×`boxH` area. */
export function cssPerPoint(zoom: ZoomMode, pageW: number, pageH: number, boxW: number, boxH: number): number {
  const availW = Math.max(80, boxW - 2 * PAGE_GUTTER);
  const availH = Math.max(80, boxH - 2 * PAGE_GUTTER);
  switch (zoom.kind) {
    case 'fit-width':
      return availW / pageW;
    case 'fit-page':
      return Math.min(availW / pageW, availH / pageH);
    case 'scale':
      return zoom.scale * CSS_PER_POINT;
  }
}

export function stepZoom(current: number, direction: 1 | -1): number {
  const eps = 0.01;
  if (direction > 0) return ZOOM_STEPS.find((s) => s > current + eps) ?? MAX;
  return [...ZOOM_STEPS].reverse().find((s) => s < current - eps) ?? MIN;
}
