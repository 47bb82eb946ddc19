// Renders the vote-counting minutes (biên bản kiểm phiếu) of an election in the Decree 30 layout
// of the minutes (same header, fonts, geometry and table), with one signature box per member of
// the counting committee, two per row, so each can sign in turn (incremental updates).
import type { CountingReportDocument } from '../../shared/counting-report';
import { formatVnDateTime } from '../../shared/minutes';
import { TextFlow, type Run } from './pdf-text-flow';
import { A4_MINUTES, FIRST_INDENT, PARAGRAPH_GAP, SIZES } from './minutes-geometry';
import { centred, drawHeader } from './minutes-header';
import { drawTable, endSentence } from './minutes-body';
import type { SignatureBox } from './minutes-signature-blocks';
import { newOfficialPdf } from './official-pdf';

const body = { size: SIZES.body, align: 'justify' as const, firstIndent: FIRST_INDENT, spaceAfter: PARAGRAPH_GAP };
const BOX_HEIGHT = 70;
const BOX_WIDTH = 180;

export interface RenderedCountingReport {
  bytes: Uint8Array;
  pageCount: number;
  /** one per committee member, in committee order */
  signatureBoxes: SignatureBox[];
}

const heading = (flow: TextFlow, text: string) => {
  flow.ensure(flow.lineHeight(SIZES.body) * 3);
  flow.paragraph([{ text, style: 'bold' }], body);
};

function layout(flow: TextFlow, doc: CountingReportDocument): SignatureBox[] {
  flow.newPage();
  drawHeader(flow, doc, 'BIÊN BẢN KIỂM PHIẾU');
  flow.paragraph(
    `Hôm nay, lúc ${formatVnDateTime(doc.date)}${doc.location ? `, tại ${doc.location}` : ''}, trong cuộc họp “${doc.meetingTitle}”, Ban kiểm phiếu gồm:`,
    body,
  );
  doc.committee.forEach((m, i) => flow.paragraph(`${i + 1}. ${m.fullName} - ${m.head ? 'Trưởng ban' : 'Thành viên'};`, body));
  // "đã tiến hành kiểm phiếu bầu …": the question reads on from the sentence, in lower case
  const question = doc.question.replace(/^Bầu\b/u, 'bầu');
  flow.paragraph(`đã tiến hành kiểm phiếu ${endSentence(question)}`, body);

  heading(flow, 'I. KẾT QUẢ KIỂM PHIẾU');
  const form = doc.form === 'strike' ? 'gạch tên người không bầu' : 'đánh dấu người được chọn';
  flow.paragraph(
    [
      { text: '- Hình thức: ', style: 'bold' },
      { text: `${doc.secret ? 'bỏ phiếu kín' : 'biểu quyết công khai (ghi danh)'}, ${form}; số người được bầu: ${doc.seats}.` },
    ],
    body,
  );
  flow.paragraph([{ text: '- Tổng số thành viên: ', style: 'bold' }, { text: `${doc.members}; có mặt: ${doc.present}.` }], body);
  flow.paragraph(
    [
      { text: '- Số phiếu thu về: ', style: 'bold' },
      {
        text: `${doc.ballotsCast}; số phiếu hợp lệ: ${doc.ballotsCast}; số phiếu không hợp lệ: 0; phiếu trắng (không bầu ai): ${doc.blank}.`,
      },
    ],
    body,
  );
  flow.paragraph(
    [{ text: '- Số phiếu bầu cho từng người', style: 'bold' }, { text: ' (tỷ lệ so với tổng số thành viên):' }],
    body,
  );
  const w = flow.contentWidth;
  drawTable(
    flow,
    [
      { title: 'TT', width: w * 0.08, align: 'center' },
      { title: 'Họ và tên', width: w * 0.38, align: 'left' },
      { title: 'Số phiếu', width: w * 0.16, align: 'center' },
      { title: 'Tỷ lệ', width: w * 0.17, align: 'center' },
      { title: 'Kết quả', width: w * 0.21, align: 'center' },
    ],
    doc.candidates.map((c, i) => [
      String(i + 1),
      c.name,
      `${c.votes}/${doc.members}`,
      c.percent,
      c.elected ? 'Trúng cử' : 'Không trúng cử',
    ]),
  );

  heading(flow, 'II. NGƯỜI TRÚNG CỬ');
  const runs: Run[] = [{ text: `Căn cứ quy định (${doc.ruleLabel}), ` }];
  if (doc.elected.length)
    runs.push({ text: 'những người sau đây trúng cử: ' }, { text: endSentence(doc.elected.join('; ')), style: 'bold' });
  else runs.push({ text: 'không có người trúng cử.' });
  flow.paragraph(runs, body);
  if (doc.tied.length) {
    flow.paragraph(
      `Những người sau đây bằng số phiếu ở vị trí cuối, vượt số lượng cần bầu, nên chưa ai trúng cử: ${doc.tied.join('; ')}; đề nghị bầu lại giữa những người này.`,
      body,
    );
  }
  if (doc.unfilledSeats > 0)
    flow.paragraph(`Số người trúng cử còn thiếu so với số lượng cần bầu: ${doc.unfilledSeats}/${doc.seats}.`, body);
  flow.paragraph('Biên bản được Ban kiểm phiếu thông qua và ký tên dưới đây.', body);
  return drawCommitteeSignatures(flow, doc);
}

function drawCommitteeSignatures(flow: TextFlow, doc: CountingReportDocument): SignatureBox[] {
  flow.space(8);
  const half = flow.contentWidth / 2;
  const boxes: SignatureBox[] = [];
  const blockHeight = SIZES.signTitle * 1.2 + SIZES.signHint * 1.2 + BOX_HEIGHT + SIZES.signTitle * 2.4 + 10;
  // the committee's title stays with its first row of signatures
  flow.ensure(SIZES.signTitle * 1.6 + blockHeight);
  centred(flow, 'BAN KIỂM PHIẾU', 'bold', SIZES.signTitle, flow.left, flow.contentWidth, flow.y);
  flow.y -= SIZES.signTitle * 1.6;
  for (let i = 0; i < doc.committee.length; i += 2) {
    flow.ensure(blockHeight);
    const top = flow.y;
    let lowest = top;
    for (const [k, m] of doc.committee.slice(i, i + 2).entries()) {
      const x = flow.left + k * half;
      let y = centred(flow, m.head ? 'TRƯỞNG BAN' : 'THÀNH VIÊN', 'bold', SIZES.signTitle, x, half, top);
      y = centred(flow, '(Ký, ghi rõ họ tên)', 'italic', SIZES.signHint, x, half, y);
      const box: SignatureBox = {
        page: flow.pageCount - 1,
        x: x + (half - BOX_WIDTH) / 2,
        y: y - BOX_HEIGHT - 2,
        width: BOX_WIDTH,
        height: BOX_HEIGHT,
      };
      boxes.push(box);
      lowest = Math.min(lowest, centred(flow, m.fullName, 'bold', SIZES.signTitle, x, half, box.y - 4));
    }
    flow.y = lowest - 10;
  }
  return boxes;
}

export async function renderCountingReport(doc: CountingReportDocument, now = new Date()): Promise<RenderedCountingReport> {
  const { flow, finish } = await newOfficialPdf((_page, _n, f) => {
    // the log's head hash in small print: ties the paper to the meeting's tamper-evident record
    const line = f.breakLines(
      [{ text: f.clean(`Mã nhật ký cuộc họp (SHA-256): ${doc.eventLogHeadHash}`) }],
      SIZES.footer,
      f.contentWidth,
    )[0];
    if (line) f.drawLine(line, A4_MINUTES.marginLeft, A4_MINUTES.marginBottom / 2 + 2, f.contentWidth, 'left', SIZES.footer);
  });
  const signatureBoxes = layout(flow, doc);
  const bytes = await finish({ title: `Biên bản kiểm phiếu — ${doc.subject}`, now });
  return { bytes, pageCount: flow.pageCount, signatureBoxes };
}
