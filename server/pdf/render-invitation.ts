// Renders a giấy mời (invitation, Decree 30/2020/NĐ-CP, abbreviation GM) in the layout of the
// minutes (same page, margins, fonts and header blocks): agency and motto, Số and place/date, the
// title GIẤY MỜI with its subject, "Kính gửi", time, place, chair, participants, content, documents,
// contact; "Nơi nhận" bottom left and the signer's block bottom right with an empty box where the
// digital signature's visible mark goes. Saved without object streams, ready to sign.
import { formatVnDate, formatVnDateTime } from '../../shared/minutes';
import type { InvitationDocument } from '../invitations/invitation-document';
import { CHANGE_LABEL_VI } from '../invitations/invitation-document';
import { TextFlow, type Run } from './pdf-text-flow';
import { FIRST_INDENT, PARAGRAPH_GAP, SIZES } from './minutes-geometry';
import { centred, drawOfficialHeader } from './minutes-header';
import type { SignatureBox } from './minutes-signature-blocks';
import { newOfficialPdf } from './official-pdf';

const body = { size: SIZES.body, align: 'justify' as const, firstIndent: FIRST_INDENT, spaceAfter: PARAGRAPH_GAP };
const BOX_HEIGHT = 78;
const BOX_WIDTH = 190;

export interface RenderedInvitation {
  bytes: Uint8Array;
  pageCount: number;
  signatureBox: SignatureBox;
}

function header(flow: TextFlow, doc: InvitationDocument): void {
  const what = doc.changes.map((c) => CHANGE_LABEL_VI[c]).join(', ') || 'nội dung';
  drawOfficialHeader(flow, doc, {
    title: 'GIẤY MỜI',
    subject: subjectOf(doc.title),
    note:
      doc.version > 1 && doc.replaces
        ? `(Thông báo thay đổi ${what}; thay thế Giấy mời số ${doc.replaces.number} ${formatVnDate(doc.replaces.date)})`
        : undefined,
  });
}

/** The subject under GIẤY MỜI: "Họp …", without doubling a title that already says "Họp". */
function subjectOf(title: string): string {
  const t = title.trim();
  return /^họp\s/i.test(t) ? t : `Họp ${t}`;
}

function item(flow: TextFlow, label: string, text: string | Run[]): void {
  const rest: Run[] = typeof text === 'string' ? [{ text }] : text;
  flow.paragraph([{ text: label, style: 'bold' }, ...rest], body);
}

function content(flow: TextFlow, doc: InvitationDocument): void {
  flow.paragraph([{ text: 'Kính gửi: ', style: 'bold' }, { text: doc.recipients }], { ...body, align: 'center', firstIndent: 0 });
  flow.space(4);
  const unit = doc.organization.unitName.trim() || 'Cơ quan';
  const t = doc.title.trim();
  const what = /^họp\s/i.test(t) ? `cuộc ${t.charAt(0).toLocaleLowerCase('vi')}${t.slice(1)}` : `cuộc họp ${t}`;
  flow.paragraph(`${unit} trân trọng kính mời tham dự ${what}, cụ thể như sau:`, body);
  item(flow, '1. Thời gian: ', `${formatVnDateTime(doc.startsAt)}.`);
  item(flow, '2. Địa điểm: ', `${doc.location}.`);
  item(flow, '3. Chủ trì: ', `${doc.chair || '……'}.`);
  item(flow, '4. Thành phần: ', doc.participants.length ? '' : 'các thành viên theo danh sách kèm theo.');
  for (const p of doc.participants) flow.paragraph(`- ${p.fullName} (${p.role});`, body);
  item(flow, '5. Nội dung: ', doc.agenda.length ? '' : `${doc.title}.`);
  doc.agenda.forEach((a, i) =>
    flow.paragraph(
      `${String.fromCharCode(97 + (i % 26))}) ${a.title}${a.presenter ? ` (trình bày: ${a.presenter})` : ''};`,
      body,
    ),
  );
  item(
    flow,
    '6. Tài liệu: ',
    doc.documents.length
      ? `gửi trên hệ thống Họp Số, gồm: ${doc.documents.join('; ')}.`
      : 'gửi trên hệ thống Họp Số trước cuộc họp.',
  );
  if (doc.contact.trim()) item(flow, 'Liên hệ: ', `${doc.contact.trim()}.`);
  flow.paragraph('Trân trọng kính mời./.', body);
}

/** "Nơi nhận" (left, small) and the signer's block (right) side by side; returns the signature box. */
function closing(flow: TextFlow, doc: InvitationDocument): SignatureBox {
  flow.space(8);
  const half = flow.contentWidth / 2;
  flow.ensure(SIZES.signTitle * 1.2 * 2 + BOX_HEIGHT + SIZES.signTitle * 2.4 + 8);
  const top = flow.y;
  let ly = top;
  const small = 11;
  ly = centredLeft(flow, [{ text: 'Nơi nhận:', style: 'bold' }], small + 1, flow.left, half, ly);
  for (const line of ['- Như trên;', `- ${doc.chair ? `Chủ trì: ${doc.chair}` : 'Chủ trì'};`, '- Lưu: VT.'])
    ly = centredLeft(flow, [{ text: line }], small, flow.left, half, ly);

  const x = flow.left + half;
  let y = centred(flow, doc.signer.title.toLocaleUpperCase('vi'), 'bold', SIZES.signTitle, x, half, top);
  y = centred(flow, '(Ký, ghi rõ họ tên)', 'italic', SIZES.signHint, x, half, y);
  const box: SignatureBox = {
    page: flow.pageCount - 1,
    x: x + (half - BOX_WIDTH) / 2,
    y: y - BOX_HEIGHT - 2,
    width: BOX_WIDTH,
    height: BOX_HEIGHT,
  };
  const end = centred(flow, doc.signer.fullName, 'bold', SIZES.signTitle, x, half, box.y - 4);
  flow.y = Math.min(ly, end);
  return box;
}

function centredLeft(flow: TextFlow, runs: Run[], size: number, x: number, width: number, top: number): number {
  const lines = flow.breakLines(
    runs.map((r) => ({ ...r, text: flow.clean(r.text) })),
    size,
    width,
  );
  let y = top;
  for (const line of lines) {
    flow.drawLine(line, x, y, width, 'left', size);
    y -= size * 1.2;
  }
  return y;
}

export async function renderInvitation(doc: InvitationDocument, now = new Date()): Promise<RenderedInvitation> {
  const { flow, finish } = await newOfficialPdf();
  flow.newPage();
  header(flow, doc);
  content(flow, doc);
  const signatureBox = closing(flow, doc);
  const bytes = await finish({ title: `Giấy mời số ${doc.number} — ${doc.title}`, subject: `Giấy mời họp ${doc.title}`, now });
  return { bytes, pageCount: flow.pageCount, signatureBox };
}
