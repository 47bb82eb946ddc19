// Coordinates round-trip: a mark drawn at a known screen point of a rotated or odd-sized page (as
// pdf.js maps it, like the client) lands at that point in the exported PDF: in pdf.js's annotation
// data for native annotations, and in pdftoppm's pixels for the flattened form. Also measures the
// export of tracemonkey.pdf with 1,000 strokes (printed, not asserted).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { degrees } from 'pdf-lib';
import { burnAnnotations, type BurnMark } from '../../server/pdf/burn-annotations';
import type { InkPoint } from '../../shared/annotations';

const FIX = '/work/shared/fixtures/pdfs';
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIX, name)));

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: PdfJs | undefined;
const load = async (bytes: Uint8Array) => {
  pdfjs ??= await import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs.getDocument({ data: bytes.slice(), verbosity: 0, isEvalSupported: false }).promise;
};

/** A short horizontal dash (in screen terms) centred on screen point (sx, sy) of a viewport. */
function dashAt(viewport: { convertToPdfPoint: (x: number, y: number) => number[] }, sx: number, sy: number): InkPoint[] {
  return Array.from({ length: 9 }, (_, i) => {
    const [x, y] = viewport.convertToPdfPoint(sx - 8 + i * 2, sy);
    return [Math.round(x! * 100) / 100, Math.round(y! * 100) / 100, 0.5] as InkPoint;
  });
}

interface Case {
  file: string;
  page: number;
  fx: number;
  fy: number;
}
const CASES: Case[] = [
  { file: 'rotation.pdf', page: 1, fx: 0.3, fy: 0.2 },
  { file: 'rotation.pdf', page: 2, fx: 0.7, fy: 0.25 }, // /Rotate 90
  { file: 'sizes.pdf', page: 2, fx: 0.25, fy: 0.6 }, // 649 × 323
  { file: 'sizes.pdf', page: 3, fx: 0.8, fy: 0.8 }, // landscape
];

describe('annotated PDF export: coordinates round-trip', () => {
  it.each(CASES)('$file page $page: a native Ink annotation sits where it was drawn', async (c) => {
    const src = await load(fixture(c.file));
    const page = await src.getPage(c.page);
    const vp = page.getViewport({ scale: 1.7 }); // any zoom: the client's is whatever the screen gives
    const sx = vp.width * c.fx,
      sy = vp.height * c.fy;
    const points = dashAt(vp, sx, sy);
    const marks: BurnMark[] = [
      { id: 'ink1', page: c.page, layer: 'shared', tool: 'pen', color: '#ff0000', width: 3, points },
      { id: 'hl1', page: c.page, layer: 'private', tool: 'highlighter', color: '#ffd60a', width: 10, points },
      {
        id: 'note1',
        page: c.page,
        layer: 'private',
        tool: 'note',
        color: '#ffd60a',
        width: 1,
        points: [points[0]!],
        text: 'Ghi chú: kiểm tra số liệu',
      },
    ];
    const out = await burnAnnotations(fixture(c.file), marks, { flatten: false });
    const doc = await load(out);
    const annots = await (await doc.getPage(c.page)).getAnnotations();
    const ink = annots.find((a: { subtype: string }) => a.subtype === 'Ink') as {
      inkLists: { x: number; y: number }[][] | number[][];
      rect: number[];
      hasAppearance: boolean;
    };
    expect(ink).toBeTruthy();
    expect(ink.hasAppearance).toBe(true);
    // the ink path's middle point maps back to the screen point at any scale and rotation
    // pdf.js 5 gives each ink list as a flat [x0, y0, x1, y1, ...] array
    const list = Array.from(ink.inkLists[0] as ArrayLike<number>);
    const [mx, my] = [list[8], list[9]];
    const again = (await doc.getPage(c.page)).getViewport({ scale: 1.7 });
    const [bx, by] = again.convertToViewportPoint(mx!, my!);
    expect(Math.abs(bx! - sx)).toBeLessThan(0.5);
    expect(Math.abs(by! - sy)).toBeLessThan(0.5);
    const hl = annots.find((a: { subtype: string }) => a.subtype === 'Highlight');
    expect(hl).toBeTruthy();
    const note = annots.find((a: { subtype: string }) => a.subtype === 'Text') as {
      contentsObj: { str: string };
      rect: number[];
    };
    expect(note.contentsObj.str).toBe('Ghi chú: kiểm tra số liệu');
    expect(note.rect[0]).toBeCloseTo(points[0]![0], 1);
    expect(note.rect[3]).toBeCloseTo(points[0]![1], 1);
  });

  it.each(CASES)('$file page $page: flattened ink shows in pdftoppm pixels where it was drawn', async (c) => {
    const src = await load(fixture(c.file));
    const page = await src.getPage(c.page);
    const dpi = 36;
    const vp = page.getViewport({ scale: dpi / 72 });
    const sx = vp.width * c.fx,
      sy = vp.height * c.fy;
    const big = page.getViewport({ scale: 1 });
    // draw on a different zoom than the render, to prove zoom does not matter
    const points = dashAt(big, sx * (72 / dpi), sy * (72 / dpi));
    const out = await burnAnnotations(
      fixture(c.file),
      [{ id: 'dot', page: c.page, layer: 'shared', tool: 'pen', color: '#ff0000', width: 8, points }],
      { flatten: true },
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-flat-'));
    try {
      const file = path.join(dir, 'f.pdf');
      fs.writeFileSync(file, out);
      execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(c.page), '-l', String(c.page), file, path.join(dir, 'p')]);
      const ppm = fs.readdirSync(dir).find((f) => f.endsWith('.ppm'))!;
      const { w, px } = readPpm(fs.readFileSync(path.join(dir, ppm)));
      let n = 0,
        sumX = 0,
        sumY = 0;
      for (let i = 0; i < px.length; i += 3) {
        if (px[i]! > 200 && px[i + 1]! < 60 && px[i + 2]! < 60) {
          const k = i / 3;
          sumX += k % w;
          sumY += Math.floor(k / w);
          n++;
        }
      }
      expect(n).toBeGreaterThan(3);
      expect(Math.abs(sumX / n - sx)).toBeLessThan(2);
      expect(Math.abs(sumY / n - sy)).toBeLessThan(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('flattened notes keep Vietnamese text (pdftotext), and native export keeps the page count', async () => {
    const out = await burnAnnotations(
      fixture('sizes.pdf'),
      [
        {
          id: 'n',
          page: 1,
          layer: 'private',
          tool: 'note',
          color: '#ffd60a',
          width: 1,
          points: [[100, 700, 0.5]],
          text: 'Đề nghị bổ sung số liệu quý IV',
        },
      ],
      { flatten: true },
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-note-'));
    try {
      fs.writeFileSync(path.join(dir, 'n.pdf'), out);
      expect(
        execFileSync('pdftotext', ['-f', '1', '-l', '1', path.join(dir, 'n.pdf'), '-'], { encoding: 'utf8' }).replace(
          /\s+/g,
          ' ',
        ),
      ).toContain('Đề nghị bổ sung số liệu quý IV');
      expect(execFileSync('qpdf', ['--check', path.join(dir, 'n.pdf')], { encoding: 'utf8' })).toContain(
        'No syntax or stream encoding errors',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('measures: tracemonkey.pdf (14 pages) with 1,000 strokes, native and flattened (printed)', async () => {
    const bytes = fixture('tracemonkey.pdf');
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const marks: BurnMark[] = Array.from({ length: 1000 }, (_, i) => {
      const x0 = 50 + rnd() * 450,
        y0 = 80 + rnd() * 600;
      return {
        id: `s${i}`,
        page: (i % 14) + 1,
        layer: 'shared',
        tool: i % 10 === 0 ? 'highlighter' : 'pen',
        color: '#1d4ed8',
        width: 2,
        points: Array.from({ length: 60 }, (_, k) => [x0 + k * 2, y0 + Math.sin(k / 5) * 10, 0.3 + rnd() * 0.5] as InkPoint),
      };
    });
    const { PDFDocument } = await import('pdf-lib');
    const time = async (f: () => Promise<unknown>) => {
      const t0 = performance.now();
      await f();
      return performance.now() - t0;
    };
    await burnAnnotations(bytes, marks.slice(0, 10), { flatten: false }); // warm up
    const base = await time(async () =>
      (await PDFDocument.load(bytes, { updateMetadata: false })).save({ useObjectStreams: false }),
    );
    const native = await time(() => burnAnnotations(bytes, marks, { flatten: false }));
    const flat = await time(() => burnAnnotations(bytes, marks, { flatten: true }));
    console.log(
      `[export] tracemonkey.pdf 14 pages, 1000 strokes × 60 points: pdf-lib load+save ${base.toFixed(0)} ms; native annotations ${native.toFixed(0)} ms (${(native / base).toFixed(2)}×); flattened ${flat.toFixed(0)} ms (${(flat / base).toFixed(2)}×)`,
    );
    expect(native).toBeGreaterThan(0);
  });
});

describe('annotated PDF export: a big document as an incremental update', () => {
  // 300 small pages saved with object streams, so the original ends in a cross-reference stream and
  // the update must use one too; 10,000 strokes of 60 points (docs/design-notes.md, Targets).
  it('300 pages + 10,000 strokes: appended after the original bytes, opens in pdf.js, poppler and qpdf (ratio printed)', async () => {
    const { PDFDocument, StandardFonts } = await import('pdf-lib');
    const src = await PDFDocument.create();
    const font = await src.embedFont(StandardFonts.Helvetica);
    for (let i = 1; i <= 300; i++) {
      const p = src.addPage([300 + (i % 3) * 40, 420]);
      if (i % 7 === 0) p.setRotation(degrees(90));
      p.drawText(`Trang ${i}`, { x: 20, y: 380, size: 14, font });
    }
    const bytes = await src.save({ useObjectStreams: true });
    expect(Buffer.from(bytes).toString('latin1')).toContain('/XRef');
    const marks: BurnMark[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: `b${i}`,
      page: 1 + (i % 300),
      layer: 'shared',
      tool: i % 10 === 9 ? 'highlighter' : 'pen',
      color: '#c02020',
      width: 2,
      points: Array.from(
        { length: 60 },
        (_, k) => [20 + ((i * 3 + k * 4) % 260), 20 + ((i * 7 + k * 3) % 380), 0.3 + (k % 5) / 10] as InkPoint,
      ),
    }));
    marks.push({
      id: 'note',
      page: 2,
      layer: 'shared',
      tool: 'note',
      color: '#ffd60a',
      width: 1,
      points: [[40, 300, 0.5]],
      text: 'Ý kiến: đồng ý',
    });
    const time = async <T>(f: () => Promise<T>) => {
      const t0 = performance.now();
      const r = await f();
      return { r, ms: performance.now() - t0 };
    };
    const base = await time(async () =>
      (await PDFDocument.load(bytes, { updateMetadata: false })).save({ useObjectStreams: false, updateFieldAppearances: false }),
    );
    const native = await time(() => burnAnnotations(bytes, marks, { flatten: false }));
    const flat = await time(() => burnAnnotations(bytes, marks, { flatten: true }));
    console.log(
      `[export] generated 300 pages (${(bytes.length / 1024).toFixed(0)} KB), 10000 strokes × 60 points: pdf-lib load+save ${base.ms.toFixed(0)} ms; native ${native.ms.toFixed(0)} ms (${(native.ms / base.ms).toFixed(2)}×, ${(native.r.length / 2 ** 20).toFixed(1)} MB); flattened ${flat.ms.toFixed(0)} ms (${(flat.ms / base.ms).toFixed(2)}×, ${(flat.r.length / 2 ** 20).toFixed(1)} MB)`,
    );

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-big-'));
    try {
      for (const [name, out] of [
        ['native', native.r],
        ['flat', flat.r],
      ] as const) {
        // incremental: the original bytes come first, untouched
        expect(Buffer.compare(Buffer.from(out.subarray(0, bytes.length)), Buffer.from(bytes))).toBe(0);
        const file = path.join(dir, `${name}.pdf`);
        fs.writeFileSync(file, out);
        expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Pages:\s+300/);
        expect(execFileSync('qpdf', ['--check', file], { encoding: 'utf8' })).toContain('No syntax or stream encoding errors');
        execFileSync('pdftoppm', ['-r', '20', '-f', '150', '-l', '150', file, path.join(dir, name)]);
        const doc = await load(out);
        expect(doc.numPages).toBe(300);
        const annots = await (await doc.getPage(150)).getAnnotations();
        if (name === 'native') {
          expect(
            annots.filter((a: { subtype: string }) => a.subtype === 'Ink' || a.subtype === 'Highlight').length,
          ).toBeGreaterThanOrEqual(33);
          const notes = await (await doc.getPage(2)).getAnnotations();
          expect(notes.find((a: { subtype: string }) => a.subtype === 'Text')?.contentsObj.str).toBe('Ý kiến: đồng ý');
        } else {
          expect(annots.length).toBe(0);
          expect(execFileSync('pdftotext', ['-f', '2', '-l', '2', file, '-'], { encoding: 'utf8' })).toContain('Ý kiến: đồng ý');
        }
        await doc.destroy();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

function readPpm(buf: Buffer): { w: number; h: number; px: Buffer } {
  // P6\n<w> <h>\n255\n<data>
  let i = 0;
  const tokens: string[] = [];
  while (tokens.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[i]!))) i++;
    let s = '';
    while (!/\s/.test(String.fromCharCode(buf[i]!))) s += String.fromCharCode(buf[i++]!);
    tokens.push(s);
  }
  i++;
  return { w: Number(tokens[1]), h: Number(tokens[2]), px: buf.subarray(i) };
}
