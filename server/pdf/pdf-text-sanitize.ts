// Makes arbitrary user text drawable with a given set of fonts. Minutes carry whatever delegates
// and the secretary typed (emoji, pasted control characters, broken surrogates from a bad client),
// and one unencodable character must never stop a legal record from being produced.
//
// The rule, applied in order:
//   1. normalise to NFC, so Vietnamese decomposed input ("a" + U+0301) becomes precomposed letters
//      the fonts have glyphs for;
//   2. tabs and other whitespace controls become a space; line breaks are kept only when the caller
//      asks (paragraph text) and are otherwise a space; other control characters (C0, DEL, C1) are dropped;
//   3. default-ignorable characters (zero-width joiners/spaces, variation selectors, BOM, bidi marks)
//      are dropped: they have no glyph and only glue emoji sequences together;
//   4. any remaining code point that some font in the set has no glyph for (unpaired surrogates
//      included, they are never in a cmap) is replaced by REPLACEMENT, "□" when every font has that
//      glyph, else "?".
import type { PDFFont } from 'pdf-lib';

export interface TextSanitizer {
  /** text safe to measure and draw with every font of the set */
  clean(text: string, options?: { keepNewlines?: boolean }): string;
  /** the character that stands for an undrawable one */
  readonly replacement: string;
}

// U+034F (combining grapheme joiner) and the variation selectors are in the class on purpose: they
// are the invisible characters being removed, not parts of a character the class would split
const IGNORABLE =
  // oxlint-disable-next-line no-misleading-character-class
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8]|\uDB40[\uDC00-\uDFFF]/g;

/**
 * @param fonts every font the text may be drawn with; a code point is kept only if all have it
 * @param pre optional transform applied after NFC (the Helvetica baseline strips diacritics here)
 */
export function createSanitizer(fonts: readonly PDFFont[], pre?: (s: string) => string): TextSanitizer {
  const sets = fonts.map((f) => new Set(f.getCharacterSet()));
  const has = (cp: number) => sets.every((s) => s.has(cp));
  const replacement = has(0x25a1) ? '\u25a1' : '?';
  const cache = new Map<number, boolean>();
  const drawable = (cp: number) => {
    let ok = cache.get(cp);
    if (ok === undefined) cache.set(cp, (ok = has(cp)));
    return ok;
  };
  return {
    replacement,
    clean(text, options = {}) {
      let s = String(text).normalize('NFC');
      if (pre) s = pre(s);
      s = s.replace(IGNORABLE, '').replace(/\r\n?/g, '\n');
      let out = '';
      for (const ch of s) {
        const cp = ch.codePointAt(0) ?? 0xfffd;
        if (cp === 0x0a || cp === 0x2028 || cp === 0x2029) {
          out += options.keepNewlines ? '\n' : ' ';
        } else if (
          cp === 0x09 ||
          cp === 0x0b ||
          cp === 0x0c ||
          cp === 0x85 ||
          cp === 0xa0 ||
          (cp >= 0x2000 && cp <= 0x200a) ||
          cp === 0x3000
        ) {
          out += ' ';
        } else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
          // other controls: dropped
        } else {
          out += drawable(cp) ? ch : replacement;
        }
      }
      return out;
    },
  };
}

/**
 * Vietnamese without diacritics, for fonts limited to WinAnsi (the Helvetica baseline):
 * "Nguyễn Thị Thư Ký" → "Nguyen Thi Thu Ky". đ/Đ are letters of their own, not decomposable.
 */
export function deburrVietnamese(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}
