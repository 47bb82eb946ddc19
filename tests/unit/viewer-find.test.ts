// Find in the viewer (client/src/viewer/fold.ts, text-index.ts): folding Vietnamese both ways and
// mapping a hit in the folded text back to the text layer's items and offsets.
import { describe, expect, it } from 'vitest';
import type { TextContent } from 'pdfjs-dist/types/src/display/api';
import { foldQuery, foldWithMap } from '../../client/src/viewer/fold';
import { buildPageText, findInPage } from '../../client/src/viewer/text-index';

const content = (...items: Array<string | [string, boolean]>): TextContent => ({
  items: items.map((it) => {
    const [str, hasEOL] = typeof it === 'string' ? [it, false] : it;
    return { str, hasEOL, dir: 'ltr', width: 0, height: 0, transform: [1, 0, 0, 1, 0, 0], fontName: 'f' };
  }),
  styles: {},
  lang: null,
});

/** the original text of a hit, read back from the items */
function textOf(c: TextContent, h: ReturnType<typeof findInPage>[number]): string {
  const strs = c.items.map((i) => ('str' in i ? i.str : ''));
  let out = '';
  for (let i = h.start.item; i <= h.end.item; i++) {
    const s = strs[i]!;
    out += s.slice(i === h.start.item ? h.start.offset : 0, i === h.end.item ? h.end.offset : s.length);
    if (i < h.end.item) out += ' ';
  }
  return out;
}

describe('fold', () => {
  it('drops case and diacritics, and maps đ/Đ to d', () => {
    expect(foldQuery('NGÂN SÁCH')).toBe('ngan sach');
    expect(foldQuery('Đồng ý')).toBe('dong y');
    expect(foldQuery('  tỷ   đồng ')).toBe('ty dong');
    expect(foldQuery('Nghị quyết')).toBe(foldQuery('nghi quyet'));
  });

  it('treats precomposed and decomposed text alike, and keeps each folded unit’s origin', () => {
    const decomposed = 'ngân sách'.normalize('NFD');
    expect(foldWithMap(decomposed).text).toBe('ngan sach');
    const f = foldWithMap('Ấn định');
    expect(f.text).toBe('an dinh');
    expect(f.origin).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(foldWithMap('ﬁnal').text).toBe('final'); // ligature spelled out, both units from offset 0
  });
});

describe('findInPage', () => {
  it('finds a query without diacritics in text with them, as item/offset ranges of the original', () => {
    const c = content('Dự kiến tổng kinh phí 4,85 tỷ đồng từ nguồn ', ['ngân sách tỉnh', true], 'và nguồn hợp pháp khác.');
    const text = buildPageText(c);
    const hits = findInPage(text, 3, foldQuery('ngan sach'));
    expect(hits).toHaveLength(1);
    expect(hits[0]!.page).toBe(3);
    expect(textOf(c, hits[0]!)).toBe('ngân sách');
    expect(findInPage(text, 3, foldQuery('ty dong')).map((h) => textOf(c, h))).toEqual(['tỷ đồng']);
    expect(findInPage(text, 3, foldQuery('nguon')).map((h) => textOf(c, h))).toEqual(['nguồn', 'nguồn']);
  });

  it('matches across a line end (the end of a line is a space) and across items split mid-word', () => {
    const c = content(['ngân', true], 'sách', 'tỉn', 'h');
    const text = buildPageText(c);
    expect(findInPage(text, 1, foldQuery('ngân sách')).map((h) => [h.start, h.end])).toEqual([
      [
        { item: 0, offset: 0 },
        { item: 1, offset: 4 },
      ],
    ]);
    expect(findInPage(text, 1, 'tinh').map((h) => [h.start, h.end])).toEqual([
      [
        { item: 2, offset: 0 },
        { item: 3, offset: 1 },
      ],
    ]);
    expect(findInPage(text, 1, 'xyz')).toEqual([]);
    expect(findInPage(text, 1, '')).toEqual([]);
  });

  it('counts overlapping-free hits, case-insensitively', () => {
    const c = content('Trace trees; TRACE recording; a traced loop');
    expect(findInPage(buildPageText(c), 1, foldQuery('trace'))).toHaveLength(3);
  });
});

describe("narrowing find with the server's page text (server-text.ts)", () => {
  it('keeps the pages whose text holds the query, however either side spaced the words', async () => {
    const { candidatePages, squeeze } = await import('../../client/src/viewer/server-text');
    const pages = ['Dự toán NGÂN\nSÁCH năm 2027', 'Báo cáo tổng kết', 'ngân sách địa phương'].map(squeeze);
    const keep = candidatePages(pages, 3, foldQuery('ngan sach'))!;
    expect([1, 2, 3].map(keep)).toEqual([true, false, true]);
    // the server's pages do not match the file's count: nothing is trusted, every page is read
    expect(candidatePages(pages, 4, foldQuery('ngan sach'))).toBeNull();
    expect(candidatePages(null, 3, foldQuery('ngan sach'))).toBeNull();
    expect(candidatePages(pages, 3, '')).toBeNull();
  });
});
