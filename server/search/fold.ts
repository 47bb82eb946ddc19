// Folding for search: Vietnamese without diacritics must find text with them and the reverse
// ("ke hoach chuyen doi so" finds "kế hoạch chuyển đổi số"). SQLite's unicode61 tokenizer removes
// combining marks but leaves "đ" (U+0111, a letter with a stroke, no decomposition) as it is, so the
// folding is done here, once, for both sides: indexed text and queries.
//
// The fold keeps the length of the (NFC) text, one UTF-16 unit for one, so a match found in the
// folded text is at the same offsets in the original: snippets are cut from the original text.

const cache = new Map<number, string>();

function foldUnit(code: number, ch: string): string {
  if (code < 0x80) return ch.toLowerCase();
  const hit = cache.get(code);
  if (hit !== undefined) return hit;
  let out: string;
  if (code === 0x0111 || code === 0x0110)
    out = 'd'; // đ Đ
  else if (code >= 0xd800 && code <= 0xdfff)
    out = ch; // half of a surrogate pair: kept as is
  else {
    const base = ch
      .normalize('NFD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase();
    out = base.length === 1 ? base : ch.toLowerCase().length === 1 ? ch.toLowerCase() : ch;
  }
  cache.set(code, out);
  return out;
}

/** NFC text as it is indexed and shown: the offsets of `foldText(t)` are the offsets of `t`. */
export function normalizeText(text: string): string {
  return text.normalize('NFC');
}

/** Lower case, no diacritics, đ → d; same length as its (NFC) input. */
export function foldText(nfcText: string): string {
  // one UTF-16 unit in, one out: only what is not already lower-case ASCII is looked at
  return nfcText.replace(/[^a-z0-9 .,]/g, (ch) => foldUnit(ch.charCodeAt(0), ch));
}

/** The words of a query, folded; at most `max`, each at most 64 characters. */
export function queryTerms(query: string, max = 12): string[] {
  const folded = foldText(normalizeText(query));
  const words = folded.match(/[\p{L}\p{N}]+/gu) ?? [];
  const seen = new Set<string>();
  for (const w of words) {
    if (seen.size >= max) break;
    seen.add(w.slice(0, 64));
  }
  return [...seen];
}
