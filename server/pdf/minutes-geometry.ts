// Page geometry and type sizes for administrative documents (Decree 30/2020/NĐ-CP, Appendix I):
// A4 portrait, margins top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm, 13–14 pt text.
import type { PageSetup } from './pdf-text-flow';

export const MM = 72 / 25.4;

export const A4_MINUTES: PageSetup = {
  width: 595.28,
  height: 841.89,
  marginTop: 20 * MM,
  marginBottom: 20 * MM,
  marginLeft: 30 * MM,
  marginRight: 15 * MM,
};

export const SIZES = {
  body: 13,
  heading: 13,
  agency: 12.5,
  motto: 12.5,
  tagline: 13.5,
  number: 13,
  placeDate: 13.5,
  title: 14,
  subject: 14,
  signTitle: 13,
  signHint: 12,
  pageNumber: 13,
  footer: 7.5,
} as const;

/** first-line indent of body paragraphs: 1 cm */
export const FIRST_INDENT = 10 * MM;
/** space after a body paragraph (Decree 30: at least 6 pt) */
export const PARAGRAPH_GAP = 6;
