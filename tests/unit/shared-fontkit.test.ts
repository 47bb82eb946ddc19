// The process-wide fontkit of the minutes PDF (server/pdf/shared-fontkit.ts): one parse per font
// file, shaping remembered, and the same glyphs as a fresh fontkit.
import { describe, expect, it } from 'vitest';
import fontkit from '@pdf-lib/fontkit';
import { fontBytes } from '../../server/pdf/fonts';
import { sharedFontkit } from '../../server/pdf/shared-fontkit';

// precomposed Vietnamese letters are composite glyphs (base + mark components) in Tinos/Noto Serif
const SAMPLE = 'Biên bản họp: Nguyễn Thị Thư Ký, Đỗ Minh Đức — 87,5% ỹỵỷ ẶẬ □';

describe('shared fontkit', () => {
  it('parses a font file once and shapes like fontkit', () => {
    const bytes = fontBytes('bold');
    const font = sharedFontkit.create(bytes);
    expect(sharedFontkit.create(bytes)).toBe(font);
    const fresh = fontkit.create(bytes);
    for (const word of SAMPLE.split(' ')) {
      expect(font.layout(word).glyphs.map((g) => g.id)).toEqual(fresh.layout(word).glyphs.map((g) => g.id));
      expect(font.layout(word)).toBe(font.layout(word)); // remembered
    }
    const long = 'ạ'.repeat(100); // hostile lengths are shaped each time, not kept
    expect(font.layout(long)).not.toBe(font.layout(long));
  });
});
