// Folding for find: case, diacritics and width are ignored on both sides, so "ngan sach" finds
// "ngân sách" (and "NGÂN SÁCH"). Vietnamese "đ/Đ" is a letter of its own, not d + a mark, so NFD
// leaves it alone: it is mapped to "d" by hand. Each folded character remembers which character
// of the original it came from, so a hit in the folded text maps back to the original's offsets.

const MARKS = /\p{M}/u;

/** One character folded: lower case, no marks, compatibility forms spelled out ("ﬁ" → "fi"). */
function foldChar(ch: string): string {
  if (ch === 'đ' || ch === 'Đ') return 'd';
  if (/\s/.test(ch)) return ' ';
  let out = '';
  for (const c of ch.normalize('NFKD')) if (!MARKS.test(c)) out += c;
  return out.toLowerCase();
}

/** A folded string and, for each of its UTF-16 units, the offset in the original it came from. */
export interface Folded {
  text: string;
  origin: number[];
}

/** Folds `s`; runs of white space become one space (text extracted from PDFs is irregular there). */
export function foldWithMap(s: string): Folded {
  let text = '';
  const origin: number[] = [];
  let i = 0;
  for (const ch of s) {
    const f = foldChar(ch);
    for (let k = 0; k < f.length; k++) {
      if (f[k] === ' ' && text.endsWith(' ')) continue;
      text += f[k];
      origin.push(i);
    }
    i += ch.length;
  }
  return { text, origin };
}

/** The folded form of a query: trimmed, white space collapsed. */
export function foldQuery(q: string): string {
  return foldWithMap(q).text.trim();
}
