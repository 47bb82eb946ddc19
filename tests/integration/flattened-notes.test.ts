// Flattened notes stay inside the page (issue 23: a note near the right margin lost its text past
// the page edge). pdftotext -bbox is an independent reader: every word of every note must be there,
// and every word's box inside the page, on upright and rotated pages.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PDFDocument, degrees } from 'pdf-lib';
import { burnAnnotations, type BurnMark } from '../../server/pdf/burn-annotations';
import { writeTemp } from '../helpers/poppler';

const TEXT =
  'Đề nghị bổ sung số liệu so sánh với cùng kỳ năm 2025 và làm rõ nguyên nhân chậm số hóa hồ sơ lưu trữ tại các đơn vị trực thuộc';
const LONG_WORD = 'https://hopso.example.vn/tai-lieu/2027/ke-hoach-chuyen-doi-so-ban-cuoi-cung-da-sua';

async function a4(rotation: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  page.setRotation(degrees(rotation));
  return doc.save();
}

interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}
function words(pdf: Uint8Array): { width: number; height: number; words: Word[] } {
  const file = writeTemp(pdf, `notes-${Math.random().toString(36).slice(2)}.pdf`);
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
  const page = /<page width="([\d.]+)" height="([\d.]+)">/.exec(html)!;
  const list = [
    ...html.matchAll(/<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<\/word>/g),
  ].map((m) => ({ xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5]! }));
  return { width: Number(page[1]), height: Number(page[2]), words: list };
}

const note = (id: string, x: number, y: number, text: string): BurnMark => ({
  id,
  page: 1,
  layer: 'shared',
  tool: 'note',
  color: '#ffd60a',
  width: 1,
  points: [[x, y, 0.5]],
  text,
});

describe('flattened notes', () => {
  // pdftotext -bbox reports boxes of text on 90°/270° pages in a frame of its own, so for those the
  // check is that no word is lost (a word past the page edge is dropped by poppler)
  it.each([0, 90, 180, 270])('page rotated %i°: notes by every edge keep all their words inside the page', async (rotation) => {
    const marks = [
      note('right', 580, 420, TEXT), // by the right margin: used to run off the page
      note('bottom-right', 585, 12, TEXT),
      note('top-left', 4, 838, TEXT),
      note('long-word', 300, 400, LONG_WORD),
    ];
    const out = await burnAnnotations(await a4(rotation), marks, { flatten: true });
    const { width, height, words: found } = words(out);
    const outside = found.filter((w) => w.xMin < -0.5 || w.yMin < -0.5 || w.xMax > width + 0.5 || w.yMax > height + 0.5);
    if (rotation % 180 === 0) expect(outside).toEqual([]);
    // every word of the text, once per note that carries it (nothing clipped away)
    const all = found.map((w) => w.text).join(' ');
    for (const w of TEXT.split(' ')) expect(all.split(w).length - 1, w).toBeGreaterThanOrEqual(3);
    expect(
      found
        .filter((w) => LONG_WORD.includes(w.text))
        .map((w) => w.text)
        .join(''),
    ).toContain(LONG_WORD);
  });
});
