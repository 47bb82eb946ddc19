// A note's pop-up on the page (InkLayer): placed so it never runs off the page or a portrait screen.
import type { CSSProperties } from 'react';

/**
 * Where a note's pop-up opens, relative to its anchor (x, y) on a page of width × height CSS px: to
 * the right of the icon when it fits, else to its left, else against the page's edge; upwards in
 * the lower part of the page; never wider or taller than the page, so it stays on a portrait screen.
 */
export function notePopupPlacement(x: number, y: number, width: number, height: number): CSSProperties {
  const edge = 8;
  const w = Math.max(100, Math.min(260, width - 2 * edge));
  let left = 36;
  if (x + left + w > width - edge) left = x - 8 - w >= edge ? -8 - w : Math.max(edge - x, width - edge - w - x);
  const up = y > height * 0.55;
  const room = Math.max(80, (up ? y : height - y) - edge);
  return {
    left,
    width: w,
    minWidth: 0,
    maxWidth: w,
    maxHeight: room,
    overflowY: 'auto',
    ...(up ? { top: 'auto', bottom: 14 } : { top: 0 }),
  };
}
