// A small text-flow engine over pdf-lib: measured line breaking (on spaces; a word wider than the
// line is split between graphemes so nothing runs into the margin), justification, mixed
// regular/bold/italic runs within a paragraph, and page breaks. It runs in two modes: "measure"
// (no PDF pages, used to count pages before the closing sentence says "Biên bản gồm N trang") and
// "draw". Both take exactly the same decisions, so the count is the count that gets drawn.
//
// pdf-lib embeds TrueType fonts as Type0/Identity-H, where the PDF word-spacing operator (Tw) has
// no effect, so justified lines are drawn word by word at computed positions, one BT…ET per line.
// Speed: shaping a string with fontkit is the expensive step, and Vietnamese is written in short
// syllables that repeat endlessly, so widths and glyph encodings are cached per (style, syllable);
// the shaping itself is also remembered across documents (shared-fontkit.ts).
import {
  beginText,
  endText,
  rgb,
  setFillingColor,
  setFontAndSize,
  setTextMatrix,
  showText,
  type PDFDocument,
  type PDFFont,
  type PDFHexString,
  type PDFName,
  type PDFOperator,
  type PDFPage,
  type RGB,
} from 'pdf-lib';
import type { TextSanitizer } from './pdf-text-sanitize';

export type RunStyle = 'regular' | 'bold' | 'italic';
export interface FontFamily {
  regular: PDFFont;
  bold: PDFFont;
  italic: PDFFont;
  sanitizer: TextSanitizer;
}
export interface Run {
  text: string;
  style?: RunStyle;
}
export type Align = 'justify' | 'left' | 'center' | 'right';

export interface PageSetup {
  width: number;
  height: number;
  marginTop: number;
  marginBottom: number;
  marginLeft: number;
  marginRight: number;
}

export interface ParagraphOptions {
  size: number;
  align?: Align;
  /** first-line indent, pt */
  firstIndent?: number;
  /** indent of every line from the left edge of the box, pt */
  indent?: number;
  /** box; defaults to the page's text area */
  x?: number;
  width?: number;
  /** line height as a multiple of size */
  leading?: number;
  spaceAfter?: number;
  color?: RGB;
}

interface Piece {
  text: string;
  style: RunStyle;
  width: number;
}
interface Word {
  pieces: Piece[];
  width: number;
}
export interface Line {
  words: Word[];
  naturalWidth: number;
  indent: number;
  last: boolean;
}

const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });
const round = (n: number) => Math.round(n * 100) / 100;

// Caches live with the font (one PDF's font object), so the measuring pass warms the drawing pass.
const widthCaches = new WeakMap<PDFFont, Map<string, number>>();
const encodeCaches = new WeakMap<PDFFont, Map<string, PDFHexString>>();
function cacheFor<V>(caches: WeakMap<PDFFont, Map<string, V>>, font: PDFFont): Map<string, V> {
  let c = caches.get(font);
  if (!c) caches.set(font, (c = new Map()));
  return c;
}
const BLACK = rgb(0, 0, 0);

export class TextFlow {
  /** top of the next line, in PDF user space (origin bottom-left) */
  y: number;
  pageCount = 0;
  page: PDFPage | null = null;
  private readonly fontKeys = new WeakMap<PDFPage, Map<RunStyle, PDFName>>();

  /**
   * @param doc null to only measure
   * @param onNewPage draws running elements (page number, footer) on each new page
   */
  constructor(
    private readonly doc: PDFDocument | null,
    readonly fonts: FontFamily,
    readonly setup: PageSetup,
    private readonly onNewPage?: (page: PDFPage, pageNumber: number) => void,
  ) {
    this.y = setup.height - setup.marginTop;
  }

  get left(): number {
    return this.setup.marginLeft;
  }
  get contentWidth(): number {
    return this.setup.width - this.setup.marginLeft - this.setup.marginRight;
  }
  get bottom(): number {
    return this.setup.marginBottom;
  }

  newPage(): void {
    this.pageCount += 1;
    this.y = this.setup.height - this.setup.marginTop;
    if (this.doc) {
      this.page = this.doc.addPage([this.setup.width, this.setup.height]);
      this.onNewPage?.(this.page, this.pageCount);
    }
  }

  /** Starts a new page unless `height` more points fit above the bottom margin. */
  ensure(height: number): void {
    if (this.pageCount === 0 || this.y - height < this.bottom - 0.01) this.newPage();
  }

  space(height: number): void {
    if (this.y - height < this.bottom) this.newPage();
    else this.y -= height;
  }

  font(style: RunStyle): PDFFont {
    return this.fonts[style];
  }

  clean(text: string, keepNewlines = false): string {
    return this.fonts.sanitizer.clean(text, { keepNewlines });
  }

  /** Width at `size` (computed once per style and text at 1 pt; widths scale linearly). */
  measure(text: string, style: RunStyle, size: number): number {
    const font = this.font(style);
    const cache = cacheFor(widthCaches, font);
    let w = cache.get(text);
    if (w === undefined) cache.set(text, (w = font.widthOfTextAtSize(text, 1)));
    return w * size;
  }

  private encode(text: string, style: RunStyle): PDFHexString {
    const font = this.font(style);
    const cache = cacheFor(encodeCaches, font);
    let hex = cache.get(text);
    if (!hex) cache.set(text, (hex = font.encodeText(text)));
    return hex;
  }

  private fontKey(page: PDFPage, style: RunStyle): PDFName {
    let keys = this.fontKeys.get(page);
    if (!keys) this.fontKeys.set(page, (keys = new Map()));
    let key = keys.get(style);
    if (!key) {
      const font = this.font(style);
      keys.set(style, (key = page.node.newFontDictionary(font.name, font.ref)));
    }
    return key;
  }

  lineHeight(size: number, leading = 1.25): number {
    return size * leading;
  }

  /** Breaks runs into lines of at most `width` (first line `width - firstIndent`). Text must be clean. */
  breakLines(runs: readonly Run[], size: number, width: number, firstIndent = 0): Line[] {
    const words = this.words(runs, size);
    const space = this.measure(' ', 'regular', size);
    const lines: Line[] = [];
    let current: Word[] = [];
    let currentWidth = 0;
    const avail = () => width - (lines.length === 0 ? firstIndent : 0);
    const flush = (last: boolean) => {
      lines.push({ words: current, naturalWidth: currentWidth, indent: lines.length === 0 ? firstIndent : 0, last });
      current = [];
      currentWidth = 0;
    };
    for (const word of words) {
      const withWord = current.length ? currentWidth + space + word.width : word.width;
      if (withWord <= avail() + 0.001) {
        current.push(word);
        currentWidth = withWord;
        continue;
      }
      if (current.length) flush(false);
      // a word wider than a whole line: cut it between graphemes
      let rest: Word = word;
      while (rest.width > avail() + 0.001) {
        const [head, tail] = this.splitWord(rest, avail(), size);
        current = [head];
        currentWidth = head.width;
        flush(false);
        rest = tail;
      }
      current = [rest];
      currentWidth = rest.width;
    }
    flush(true);
    return lines;
  }

  /** Draws one line whose top is at `top`; returns nothing. Does not move the cursor. */
  drawLine(line: Line, x: number, top: number, width: number, align: Align, size: number, color: RGB = BLACK): void {
    const page = this.page;
    if (!page || line.words.length === 0) return;
    const baseline = top - size * 0.95;
    const space = this.measure(' ', 'regular', size);
    const avail = width - line.indent;
    let cx = x + line.indent;
    let gap = space;
    if (align === 'center') cx += (avail - line.naturalWidth) / 2;
    else if (align === 'right') cx += avail - line.naturalWidth;
    else if (align === 'justify' && !line.last && line.words.length > 1) {
      gap = space + (avail - line.naturalWidth) / (line.words.length - 1);
    }
    const ops: PDFOperator[] = [beginText(), setFillingColor(color)];
    let current: RunStyle | null = null;
    for (const word of line.words) {
      let px = cx;
      for (const piece of word.pieces) {
        if (piece.style !== current) {
          ops.push(setFontAndSize(this.fontKey(page, piece.style), size));
          current = piece.style;
        }
        ops.push(setTextMatrix(1, 0, 0, 1, round(px), round(baseline)), showText(this.encode(piece.text, piece.style)));
        px += piece.width;
      }
      cx += word.width + gap;
    }
    ops.push(endText());
    page.pushOperators(...ops);
  }

  /** Flows a paragraph at the cursor, breaking pages between lines. `\n` starts a new paragraph. */
  paragraph(content: string | readonly Run[], opts: ParagraphOptions): void {
    const runs = typeof content === 'string' ? [{ text: content }] : content;
    const paragraphs = this.splitParagraphs(runs);
    const size = opts.size;
    const lh = this.lineHeight(size, opts.leading);
    const indent = opts.indent ?? 0;
    const x = (opts.x ?? this.left) + indent;
    const width = (opts.width ?? this.contentWidth) - indent;
    for (const para of paragraphs) {
      const lines = this.breakLines(para, size, width, opts.firstIndent ?? 0);
      for (const line of lines) {
        this.ensure(lh);
        this.drawLine(line, x, this.y, width, opts.align ?? 'justify', size, opts.color);
        this.y -= lh;
      }
      if (opts.spaceAfter) this.space(opts.spaceAfter);
    }
  }

  /** Height `content` would take as a paragraph (no page breaks considered). */
  paragraphHeight(content: string | readonly Run[], opts: ParagraphOptions): number {
    const runs = typeof content === 'string' ? [{ text: content }] : content;
    const width = (opts.width ?? this.contentWidth) - (opts.indent ?? 0);
    let lines = 0;
    for (const para of this.splitParagraphs(runs)) lines += this.breakLines(para, opts.size, width, opts.firstIndent ?? 0).length;
    return lines * this.lineHeight(opts.size, opts.leading) + (opts.spaceAfter ?? 0);
  }

  hline(x1: number, x2: number, y: number, thickness = 0.6): void {
    this.page?.drawLine({ start: { x: x1, y }, end: { x: x2, y }, thickness, color: BLACK });
  }

  rect(x: number, y: number, width: number, height: number, thickness = 0.6): void {
    this.page?.drawRectangle({ x, y, width, height, borderWidth: thickness, borderColor: BLACK });
  }

  private splitParagraphs(runs: readonly Run[]): Run[][] {
    const out: Run[][] = [[]];
    for (const run of runs) {
      const parts = this.clean(run.text, true).split('\n');
      parts.forEach((part, i) => {
        if (i > 0) out.push([]);
        if (part) out[out.length - 1]!.push({ text: part, style: run.style ?? 'regular' });
      });
    }
    return out.filter((p) => p.some((r) => r.text.trim() !== ''));
  }

  /** Words across runs: a style change without whitespace stays inside one word. */
  private words(runs: readonly Run[], size: number): Word[] {
    const words: Word[] = [];
    let current: Piece[] = [];
    const push = () => {
      if (current.length) words.push({ pieces: current, width: current.reduce((s, p) => s + p.width, 0) });
      current = [];
    };
    for (const run of runs) {
      const style = run.style ?? 'regular';
      for (const token of run.text.split(/( +)/)) {
        if (!token) continue;
        if (token.startsWith(' ')) {
          push();
          continue;
        }
        current.push({ text: token, style, width: this.measure(token, style, size) });
      }
    }
    push();
    return words;
  }

  /**
   * Splits a word so the head fits `max` (at least one grapheme, so progress is guaranteed).
   * Grapheme widths are summed (cached), then the head is measured once as a whole to be exact.
   */
  private splitWord(word: Word, max: number, size: number): [Word, Word] {
    const units: { text: string; style: RunStyle }[] = [];
    for (const piece of word.pieces) {
      for (const g of graphemes.segment(piece.text)) units.push({ text: g.segment, style: piece.style });
    }
    let n = 0;
    let sum = 0;
    while (n < units.length) {
      const u = units[n]!;
      const w = this.measure(u.text, u.style, size);
      if (n > 0 && sum + w > max) break;
      sum += w;
      n++;
    }
    n = Math.min(n, Math.max(1, units.length - 1));
    let head = this.toWord(units.slice(0, n), size);
    while (n > 1 && head.width > max) head = this.toWord(units.slice(0, --n), size);
    // the tail is only estimated (sum of graphemes): it may be split again, and is short once drawn
    return [head, this.toWord(units.slice(n), size, false)];
  }

  private toWord(units: readonly { text: string; style: RunStyle }[], size: number, exact = true): Word {
    const pieces: Piece[] = [];
    for (const u of units) {
      const w = exact ? 0 : this.measure(u.text, u.style, size);
      const last = pieces[pieces.length - 1];
      if (last && last.style === u.style) {
        last.text += u.text;
        last.width += w;
      } else pieces.push({ text: u.text, style: u.style, width: w });
    }
    if (exact) for (const p of pieces) p.width = this.measure(p.text, p.style, size);
    return { pieces, width: pieces.reduce((s, p) => s + p.width, 0) };
  }
}
