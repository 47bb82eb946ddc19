// The administrative header of every document the server issues (Decree 30): agency block (left) and
// national motto block (right), each centred in its column with its short rule, then "Số: …" and the
// italic place/date line, then the title and its subject line. Minutes, vote-counting minutes and
// invitations all draw it here (drawOfficialHeader); only the title and subject lines differ.
import type { MinutesDocument } from '../../shared/minutes';
import { formatPlaceDate } from '../../shared/minutes';
import type { Run, RunStyle, TextFlow } from './pdf-text-flow';
import { SIZES } from './minutes-geometry';

const MOTTO = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
const TAGLINE = 'Độc lập - Tự do - Hạnh phúc';

/** Draws centred, wrapped text with its top at `top`; returns the new top (below the last line). */
export function centred(
  flow: TextFlow,
  runs: string | readonly Run[],
  style: RunStyle,
  size: number,
  x: number,
  width: number,
  top: number,
  leading = 1.2,
): number {
  const list =
    typeof runs === 'string' ? [{ text: flow.clean(runs), style }] : runs.map((r) => ({ ...r, text: flow.clean(r.text) }));
  const lh = size * leading;
  let y = top;
  for (const line of flow.breakLines(list, size, width)) {
    flow.drawLine(line, x, y, width, 'center', size);
    y -= lh;
  }
  return y;
}

/** A rule of `length` centred on `cx`, just under a line whose top was `top` (size `size`). */
function ruleUnder(flow: TextFlow, cx: number, length: number, y: number): void {
  flow.hline(cx - length / 2, cx + length / 2, y, 0.6);
}

/** what the header shows; the minutes and the vote-counting minutes (biên bản kiểm phiếu) share it */
export type HeaderFields = Pick<MinutesDocument, 'organization' | 'number' | 'place' | 'date' | 'subject'>;

export function drawHeader(flow: TextFlow, doc: HeaderFields, title = 'BIÊN BẢN HỌP'): void {
  drawOfficialHeader(flow, doc, { title, subject: `Về việc ${doc.subject}` });
}

export interface HeaderTitle {
  /** BIÊN BẢN HỌP, GIẤY MỜI, … */
  title: string;
  /** the bold line under it (trích yếu) */
  subject: string;
  /** an italic line under the subject (an invitation's change notice) */
  note?: string;
}

export function drawOfficialHeader(flow: TextFlow, doc: Omit<HeaderFields, 'subject'>, head: HeaderTitle): void {
  flow.ensure(200);
  const left = flow.left;
  const leftWidth = flow.contentWidth * 0.4;
  const rightX = left + leftWidth;
  const rightWidth = flow.contentWidth - leftWidth;
  const top = flow.y;

  // left: parent agency (regular), unit (bold), short rule 1/3–1/2 of the unit line
  let ly = top;
  const parent = flow.clean(doc.organization.parentAgency).toLocaleUpperCase('vi').trim();
  if (parent) ly = centred(flow, parent, 'regular', SIZES.agency, left, leftWidth, ly);
  const unit = flow.clean(doc.organization.unitName).toLocaleUpperCase('vi').trim();
  if (unit) ly = centred(flow, unit, 'bold', SIZES.agency, left, leftWidth, ly);
  const unitWidth = Math.min(flow.measure(unit, 'bold', SIZES.agency), leftWidth);
  const ruleY = ly - 1;
  ruleUnder(flow, left + leftWidth / 2, Math.max(unitWidth * 0.4, 40), ruleY);

  // right: motto (bold caps), tagline (bold), rule as long as the tagline
  let ry = centred(flow, MOTTO, 'bold', SIZES.motto, rightX, rightWidth, top);
  ry = centred(flow, TAGLINE, 'bold', SIZES.tagline, rightX, rightWidth, ry);
  const taglineWidth = flow.measure(flow.clean(TAGLINE), 'bold', SIZES.tagline);
  ruleUnder(flow, rightX + rightWidth / 2, taglineWidth, ry - 1);

  // Số (left) and place/date (right, italic) share a baseline below both blocks
  const rowTop = Math.min(ly, ry) - 8;
  const numberBottom = centred(flow, `Số: ${doc.number}`, 'regular', SIZES.number, left, leftWidth, rowTop);
  const dateBottom = centred(flow, formatPlaceDate(doc.place, doc.date), 'italic', SIZES.placeDate, rightX, rightWidth, rowTop);
  let y = Math.min(numberBottom, dateBottom) - 18;

  // title and trích yếu, centred over the text area, a short rule under the subject
  y = centred(flow, head.title, 'bold', SIZES.title, left, flow.contentWidth, y);
  const subjectWidth = flow.contentWidth * 0.85;
  const subjectX = left + (flow.contentWidth - subjectWidth) / 2;
  y = centred(flow, head.subject, 'bold', SIZES.subject, subjectX, subjectWidth, y);
  if (head.note) y = centred(flow, head.note, 'italic', SIZES.body, subjectX, subjectWidth, y - 2);
  ruleUnder(flow, left + flow.contentWidth / 2, 80, y - 3);
  flow.y = y - 16;
}

/** Page number centred in the top margin, from page 2 on (Decree 30). */
export function pageNumberText(pageNumber: number): string | null {
  return pageNumber >= 2 ? String(pageNumber) : null;
}
