import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PDFDocument } from 'pdf-lib';
import { embedMinutesFonts } from '../../server/pdf/minutes-fonts';
import { TextFlow, type FontFamily } from '../../server/pdf/pdf-text-flow';
import { deburrVietnamese } from '../../server/pdf/pdf-text-sanitize';
import { A4_MINUTES } from '../../server/pdf/minutes-geometry';

let fonts: FontFamily;
let helvetica: FontFamily;
beforeAll(async () => {
  fonts = await embedMinutesFonts(await PDFDocument.create());
  helvetica = await embedMinutesFonts(await PDFDocument.create(), 'helvetica');
});

describe('text sanitizer', () => {
  it('keeps Vietnamese and composes decomposed input (NFC)', () => {
    const s = fonts.sanitizer;
    expect(s.clean('Nguyễn Thị Thư Ký')).toBe('Nguyễn Thị Thư Ký');
    expect(s.clean('Nguye\u0302\u0303n')).toBe('Nguyễn');
  });
  it('replaces glyphs the font lacks, drops controls and joiners', () => {
    const s = fonts.sanitizer;
    expect(s.replacement).toBe('□');
    expect(s.clean('Tán thành 👍🏽')).toBe('Tán thành □□');
    expect(s.clean('a\u200db\ufe0fc')).toBe('abc');
    expect(s.clean('x\u0000y\u0007z\u009b')).toBe('xyz');
    expect(s.clean('tab\there')).toBe('tab here');
    expect(s.clean('lone \ud800 surrogate \udc00')).toBe('lone □ surrogate □');
    expect(s.clean('a\r\nb')).toBe('a b');
    expect(s.clean('a\r\nb', { keepNewlines: true })).toBe('a\nb');
  });
  it('strips diacritics for the Helvetica baseline', () => {
    expect(deburrVietnamese('Nguyễn Thị Thư Ký, Đà Nẵng')).toBe('Nguyen Thi Thu Ky, Da Nang');
    expect(helvetica.sanitizer.clean('Trần Văn Chủ Trì 😀')).toBe('Tran Van Chu Tri ?');
  });
});

describe('line breaking', () => {
  const width = 300;
  const flowOf = (f: FontFamily) => new TextFlow(null, f, A4_MINUTES);

  it('breaks on spaces and never exceeds the width', () => {
    const flow = flowOf(fonts);
    const text =
      'Các đại biểu thảo luận sôi nổi về giải pháp nâng cao chất lượng cung cấp dịch vụ công trực tuyến toàn trình. '.repeat(5);
    const lines = flow.breakLines([{ text: flow.clean(text) }], 13, width, 28);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(line.naturalWidth + line.indent).toBeLessThanOrEqual(width + 0.01);
    // no word was cut: every word of the input appears whole on some line
    const rebuilt = lines.map((l) => l.words.map((w) => w.pieces.map((p) => p.text).join('')).join(' ')).join(' ');
    expect(rebuilt).toBe(text.trim().replace(/\s+/g, ' '));
    expect(lines[lines.length - 1]!.last).toBe(true);
  });

  it('splits a word longer than the line between graphemes', () => {
    const flow = flowOf(fonts);
    const long = 'Đ'.repeat(200);
    const lines = flow.breakLines([{ text: long }], 13, width);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.naturalWidth).toBeLessThanOrEqual(width + 0.01);
    expect(lines.map((l) => l.words.map((w) => w.pieces.map((p) => p.text).join('')).join('')).join('')).toBe(long);
  });

  it('keeps style changes inside one word ("Chủ trì:" bold then text)', () => {
    const flow = flowOf(fonts);
    const lines = flow.breakLines([{ text: 'Chủ trì:', style: 'bold' }, { text: ' Trần Văn Chủ Trì' }], 13, width);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.words[0]!.pieces[0]!.style).toBe('bold');
    expect(lines[0]!.words).toHaveLength(6);
  });

  it('holds for arbitrary strings (property)', () => {
    const flow = flowOf(fonts);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 20, max: 400 }), (s, w) => {
        const lines = flow.breakLines([{ text: flow.clean(s) }], 13, w);
        for (const line of lines) {
          // a single grapheme wider than the line is the only allowed overflow
          const singleGrapheme = line.words.length === 1 && line.words[0]?.pieces.length === 1;
          expect(singleGrapheme || line.naturalWidth <= w + 0.01, `width ${line.naturalWidth} > ${w}`).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
