// A fontkit for pdf-lib's registerFontkit that parses each font file once per process and remembers
// how it shapes each string. Every minutes PDF used to re-parse three 0.5 MB TrueType files, decode
// their GSUB/GPOS tables again on the first layout, and shape every syllable again (about 0.5 ms
// each with fontkit), for measuring and once more for encoding: most of the cost of an embedded
// font. What is per document, the subset and its glyph numbering, stays in pdf-lib's per-document
// embedder (font.createSubset()), so sharing the parsed font does not change the output.
// (Subsetting stays fontkit's: a byte-copying subsetter took ~0.3 ms a font against fontkit's ~5,
// but the target is met without it, and font tables are a solved problem best left to the library.)
//
// Safe to share: fontkit's parsing and layout are synchronous (no interleaving between concurrent
// renders), and glyph runs are only read by pdf-lib (glyph ids and advance widths).
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument } from 'pdf-lib';

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
type Font = ReturnType<Fontkit['create']>;
type GlyphRun = ReturnType<Font['layout']>;

/**
 * Shaped strings kept per font. A 20-page minutes shapes about 600 distinct strings in the regular
 * style; the limit leaves room for documents of many thousand distinct words (measured and later
 * encoded: both must hit) while bounding a long-lived server to ~3.5 MB a font (~0.2 KB an entry).
 */
const LAYOUT_CACHE_LIMIT = 16384;
/** Longer strings are shaped each time: words and syllables are short, long ones are hostile input. */
const LAYOUT_CACHE_MAX_LENGTH = 64;

const parsed = new WeakMap<Uint8Array, Font>();

/**
 * Replaces `font.layout` by a memo of the default-feature layout (the only one pdf-lib asks for).
 * Remembered runs keep only `glyphs`: pdf-lib 1.17.1 (pinned) reads nothing else of a run
 * (CustomFontEmbedder.encodeText / widthOfTextAtSize), and a whole run (positions, features) takes
 * ~0.8 KB a syllable against ~0.2 KB. No other code reaches these font objects.
 */
function memoizeLayout(font: Font): Font {
  const layout = font.layout.bind(font);
  const runs = new Map<string, GlyphRun>();
  font.layout = (text, features) => {
    if (features !== undefined || text.length > LAYOUT_CACHE_MAX_LENGTH) return layout(text, features);
    let run = runs.get(text);
    if (!run) {
      run = { glyphs: layout(text).glyphs } as GlyphRun;
      // oldest first out: Map iterates in insertion order
      if (runs.size >= LAYOUT_CACHE_LIMIT) runs.delete(runs.keys().next().value!);
      runs.set(text, run);
    }
    return run;
  };
  return font;
}

/**
 * fontkit keeps one glyph object per glyph id with the code points of its first request. When a
 * document's subset is written, the components of composite glyphs (the "a" inside "á") are
 * requested with no code points; with the parsed font shared, a later document that draws a plain
 * "a" got that object, and pdf-lib wrote no ToUnicode entry for it: the page looked right but
 * pdftotext read "Thông bá th y" for "Thông báo thay" (seen with two invitations in one process).
 * A request that knows the code points fills them in.
 */
function keepCodePoints(font: Font): Font {
  const getGlyph = font.getGlyph.bind(font);
  font.getGlyph = ((id: number, codePoints?: number[]) => {
    const glyph = getGlyph(id, codePoints);
    if (codePoints && codePoints.length > 0 && (!glyph.codePoints || glyph.codePoints.length === 0))
      glyph.codePoints = codePoints;
    return glyph;
  }) as Font['getGlyph'];
  return font;
}

/** Keyed by the bytes' identity: callers pass the process-wide buffers from fonts.ts' fontBytes(). */
export const sharedFontkit: Fontkit = {
  create(bytes, postscriptName) {
    if (postscriptName !== undefined) return fontkit.create(bytes, postscriptName);
    let font = parsed.get(bytes);
    if (!font) parsed.set(bytes, (font = keepCodePoints(memoizeLayout(fontkit.create(bytes)))));
    return font;
  },
};
