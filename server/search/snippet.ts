// Highlighted snippets cut from the original text (with its diacritics) at the offsets where the
// folded query words match the folded text (fold.ts keeps offsets). Returned as segments, never as
// HTML: the client renders <mark> around the hits itself, so indexed text cannot inject markup.
import { foldText } from './fold';
import type { SearchSegment } from '../../shared/search-api';

const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where the words occur: the whole phrase where it is there (words in order, spaces or punctuation
 * between), else each word (word starts; the last word may be a prefix, as the query treats it).
 */
export function findHits(folded: string, terms: readonly string[]): Array<[number, number]> {
  if (terms.length > 1) {
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${terms.map(escapeRe).join('[^\\p{L}\\p{N}]+')}[\\p{L}\\p{N}]*`, 'gu');
    const phrase = [...folded.matchAll(re)].map((m): [number, number] => [m.index, m.index + m[0].length]);
    if (phrase.length > 0) return phrase;
  }
  const hits: Array<[number, number]> = [];
  terms.forEach((term, i) => {
    const prefix = i === terms.length - 1;
    let at = folded.indexOf(term);
    while (at !== -1) {
      const end = at + term.length;
      if (!isWordChar(folded[at - 1]) && (prefix || !isWordChar(folded[end]))) {
        let stop = end;
        while (prefix && isWordChar(folded[stop])) stop++;
        hits.push([at, stop]);
      }
      at = folded.indexOf(term, at + 1);
    }
  });
  hits.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number]> = [];
  for (const h of hits) {
    const last = merged[merged.length - 1];
    // overlapping, or next words of the phrase (only spaces between): one mark
    if (last && (h[0] <= last[1] || /^\s+$/.test(folded.slice(last[1], h[0])))) last[1] = Math.max(last[1], h[1]);
    else merged.push([h[0], h[1]]);
  }
  return merged;
}

/** The first of the texts that holds a hit, for the snippet (a title row shows its title first). */
export function pickSnippetText(texts: readonly string[], terms: readonly string[]): string {
  for (const t of texts) if (t && findHits(foldText(t.replace(/\s+/g, ' ').trim()), terms).length > 0) return t;
  return texts.find((t) => t) ?? '';
}

/** Up to `width` characters around the first stretch with the most hits, as plain/marked segments. */
export function snippet(text: string, terms: readonly string[], width = 200): SearchSegment[] {
  const clean = text.replace(/\s+/g, ' ').trim();
  const folded = foldText(clean);
  const hits = findHits(folded, terms);
  let start = 0;
  if (clean.length > width && hits.length > 0) {
    // the window that holds the most hits, starting a little before its first one
    let best = 0;
    let bestCount = 0;
    for (let i = 0; i < hits.length; i++) {
      let n = 0;
      while (i + n < hits.length && hits[i + n]![1] <= hits[i]![0] + width - 20) n++;
      if (n > bestCount) {
        bestCount = n;
        best = i;
      }
    }
    start = Math.max(0, hits[best]![0] - 40);
    const space = clean.lastIndexOf(' ', start);
    if (space > start - 20 && space >= 0) start = space + 1;
  }
  const end = Math.min(clean.length, start + width);
  const segments: SearchSegment[] = [];
  if (start > 0) segments.push({ text: '…' });
  let at = start;
  for (const [s, e] of hits) {
    if (e <= start || s >= end) continue;
    const from = Math.max(s, start);
    const to = Math.min(e, end);
    if (from > at) segments.push({ text: clean.slice(at, from) });
    segments.push({ text: clean.slice(from, to), hit: true });
    at = to;
  }
  if (at < end) segments.push({ text: clean.slice(at, end) });
  if (end < clean.length) segments.push({ text: '…' });
  return segments;
}
