// Aligning the pages of two versions by their text (server/services/page-alignment.ts).
import { describe, expect, it } from 'vitest';
import { alignPages, pageSimilarity } from '../../server/services/page-alignment';

const pages = (n: number) =>
  Array.from({ length: n }, (_, i) => `Draft plan page ${i + 1}: section ${i + 1} describes the work of quarter ${i + 1}.`);

describe('alignPages', () => {
  it('finds nothing between equal versions', () => {
    expect(alignPages(pages(5), pages(5))).toEqual([]);
  });

  it('an inserted page is one added page; the later pages match their old selves', () => {
    const after = [...pages(5)];
    after.splice(2, 0, 'Annex A: units taking part.');
    expect(alignPages(pages(5), after)).toEqual([{ status: 'added', page: 3, previousPage: null }]);
  });

  it('a removed page is one removed page', () => {
    const after = pages(5).filter((_, i) => i !== 1);
    expect(alignPages(pages(5), after)).toEqual([{ status: 'removed', page: null, previousPage: 2 }]);
  });

  it('an edited page is changed in place; with a page inserted before it, it keeps its old number too', () => {
    const before = pages(5);
    const edited = before[2]!.replace('describes', 'sets out in detail');
    expect(alignPages(before, [before[0]!, before[1]!, edited, before[3]!, before[4]!])).toEqual([
      { status: 'changed', page: 3, previousPage: 3 },
    ]);
    expect(alignPages(before, [before[0]!, 'Annex A: units taking part.', before[1]!, edited, before[3]!, before[4]!])).toEqual([
      { status: 'added', page: 2, previousPage: null },
      { status: 'changed', page: 4, previousPage: 3 },
    ]);
  });

  it('a page replaced by an unrelated one is removed and added, not "changed"', () => {
    const before = pages(3);
    expect(
      alignPages(before, [before[0]!, 'Entirely different: minutes of another body, nothing in common.', before[2]!]),
    ).toEqual([
      { status: 'removed', page: null, previousPage: 2 },
      { status: 'added', page: 2, previousPage: null },
    ]);
  });

  it('similarity is shared words over all words', () => {
    expect(pageSimilarity('a b c d', 'a b c d')).toBe(1);
    expect(pageSimilarity('a b', 'c d')).toBe(0);
    expect(pageSimilarity('a b c', 'a b d')).toBeCloseTo(0.5);
  });
});
