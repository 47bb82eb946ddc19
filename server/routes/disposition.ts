// The Content-Disposition of every file we send: the `content-disposition` package writes the UTF-8
// name (RFC 8187 filename*) and quotes safely; the plain-ASCII fallback for old clients is the same
// name without Vietnamese diacritics ("Biên bản.pdf" → "Bien ban.pdf"), not a row of question marks.
import { create } from 'content-disposition';

export function asciiFallback(filename: string): string {
  const folded = filename.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
  return folded.replace(/[^\x20-\x7e]/g, '_');
}

export function dispositionHeader(type: 'inline' | 'attachment', filename: string): string {
  const fallback = asciiFallback(filename);
  return create(filename, { type, fallback: fallback === filename ? false : fallback });
}
