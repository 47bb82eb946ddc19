// Which page of a new version is which page of the old one (issue 15). Pages are aligned by their
// text with the `diff` library's array diff (a longest-common-subsequence over whole pages), so a
// page inserted or removed in the middle shows as just that and every later page still matches its
// old self. Where a run of old pages gives way to a run of new ones, a new page is paired with an old
// one as "changed" when enough of their words are shared; the rest are added or removed pages.
import { diffArrays } from 'diff';

export type PageAlignment =
  | { status: 'changed'; page: number; previousPage: number }
  | { status: 'added'; page: number; previousPage: null }
  | { status: 'removed'; page: null; previousPage: number };

/** Two pages are one page edited when at least this share of their distinct words is common (Jaccard). */
export const SAME_PAGE_SIMILARITY = 0.3;

const words = (s: string) => new Set(s.toLowerCase().split(/\s+/).filter(Boolean));

export function pageSimilarity(a: string, b: string): number {
  const wa = words(a),
    wb = words(b);
  if (wa.size === 0 && wb.size === 0) return 1;
  let common = 0;
  for (const w of wa) if (wb.has(w)) common++;
  return common / (wa.size + wb.size - common);
}

/**
 * The differing pages between `before` and `after` (page texts, already normalised), in reading
 * order; pages equal in both are left out. Page numbers are 1-based, in their own version.
 */
export function alignPages(before: readonly string[], after: readonly string[]): PageAlignment[] {
  const out: PageAlignment[] = [];
  let ia = 0,
    ib = 0;
  let removed: number[] = [],
    added: number[] = [];
  const flush = () => {
    // pair a run of old pages with a run of new ones, in order, where a page looks like an edit
    let j = 0;
    for (const oldIdx of removed) {
      let k = j;
      while (k < added.length && pageSimilarity(before[oldIdx]!, after[added[k]!]!) < SAME_PAGE_SIMILARITY) k++;
      if (k === added.length) {
        out.push({ status: 'removed', page: null, previousPage: oldIdx + 1 });
        continue;
      }
      for (; j < k; j++) out.push({ status: 'added', page: added[j]! + 1, previousPage: null });
      out.push({ status: 'changed', page: added[k]! + 1, previousPage: oldIdx + 1 });
      j = k + 1;
    }
    for (; j < added.length; j++) out.push({ status: 'added', page: added[j]! + 1, previousPage: null });
    removed = [];
    added = [];
  };
  for (const part of diffArrays([...before], [...after])) {
    const n = part.count ?? part.value.length;
    if (part.removed) {
      for (let i = 0; i < n; i++) removed.push(ia++);
      continue;
    }
    if (part.added) {
      for (let i = 0; i < n; i++) added.push(ib++);
      continue;
    }
    flush();
    ia += n;
    ib += n;
  }
  flush();
  return out;
}
