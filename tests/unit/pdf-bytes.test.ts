// PdfBytes writes every coordinate of an export as ASCII digits; the fast paths must write the same
// numbers as the plain formatter (pdfNum) and land on the same positions.
import { boundsOf } from '../../shared/stroke-geometry';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { outlinePathInto, pdfNum } from '../../server/pdf/annotation-appearance';
import { PdfBytes } from '../../server/pdf/pdf-bytes';

const coordinate = fc.double({ min: -1e7, max: 1e7, noNaN: true });

describe('PdfBytes', () => {
  it('num() writes what pdfNum returns, then a space', () => {
    const b = new PdfBytes();
    for (const v of [
      0,
      -0,
      0.004,
      -0.004,
      0.005,
      0.01,
      0.1,
      9.99,
      10,
      99.995,
      123.45,
      -123.45,
      2147483647.5,
      2147483648,
      1e12 + 0.37,
    ]) {
      expect(b.reset().num(v).toString()).toBe(`${pdfNum(v)} `);
    }
    fc.assert(fc.property(coordinate, (v) => b.reset().num(v).toString() === `${pdfNum(v)} `));
  });

  it('pathInHundredths() writes whole hundredths from the origin, "m" first and "l" after', () => {
    const b = new PdfBytes();
    expect(
      b
        .reset()
        .pathInHundredths(
          [
            [1.234, -5],
            [100, 0.005],
          ],
          100,
          -200,
        )
        .toString(),
    ).toBe('\n23 -300 m\n9900 201 l');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(coordinate, coordinate), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: -1e6, max: 1e6 }),
        (pts, o) => {
          const lines = b.reset().pathInHundredths(pts, o, -o).toString().split('\n').slice(1);
          return lines.every((line, i) => {
            const [x, y, op] = line.split(' ');
            return (
              Number(x) === Math.round(pts[i]![0] * 100) - o &&
              Number(y) === Math.round(pts[i]![1] * 100) + o &&
              op === (i === 0 ? 'm' : 'l')
            );
          });
        },
      ),
    );
  });

  it('an outline lands where pdfNum would put its points: origin + hundredths / 100', () => {
    const pts: [number, number][] = [
      [50.337, 49.551],
      [52.95, 51.571],
      [48.44, 60.004],
    ];
    const [x1, y1] = boundsOf(pts);
    const ops = outlinePathInto(pts, x1, y1, new PdfBytes()).toString();
    const [, cm, ...path] = ops.split('\n');
    const [, , , , ex, ey] = cm!.split(' ').map(Number);
    path.slice(0, pts.length).forEach((line, i) => {
      const [x, y] = line.split(' ').map(Number);
      expect(pdfNum(ex! + x! / 100)).toBe(pdfNum(pts[i]![0]));
      expect(pdfNum(ey! + y! / 100)).toBe(pdfNum(pts[i]![1]));
    });
    expect(ops.endsWith('\nh f')).toBe(true);
  });
});
