// A note's pop-up stays on the page (issue 23: it ran off a portrait screen).
import { describe, expect, it } from 'vitest';
import { notePopupPlacement } from '../../client/src/annotations/note-popup';

describe('notePopupPlacement', () => {
  // a portrait tablet at fit-width: the page is 768 px wide; and a narrow phone-like page
  for (const [width, height] of [
    [768, 1086],
    [360, 509],
  ] as const) {
    it(`keeps the pop-up inside a ${width}×${height} page wherever the note is`, () => {
      for (let x = 0; x <= width; x += width / 16) {
        for (let y = 0; y <= height; y += height / 8) {
          const p = notePopupPlacement(x, y, width, height);
          const left = x + (p.left as number);
          const w = p.width as number;
          expect(left, `x=${x}`).toBeGreaterThanOrEqual(8);
          expect(left + w, `x=${x}`).toBeLessThanOrEqual(width - 8);
          // opens upwards in the lower part of the page, and is never taller than the room it has
          if (y > height * 0.55) expect(p.bottom).toBeDefined();
          expect(p.maxHeight as number).toBeLessThanOrEqual(Math.max(80, height));
        }
      }
    });
  }
  it('opens to the right of the icon when there is room', () => {
    expect(notePopupPlacement(100, 100, 768, 1086)).toMatchObject({ left: 36, top: 0 });
  });
});
