// The written-opinion PDFs, in the Decree 30 layout of the minutes (same header, fonts, table):
// - a member's answer sheet (phiếu lấy ý kiến), which the member signs to confirm their answers;
// - the báo cáo tổng hợp ý kiến: counts per question, the rule, the outcome, the other opinions
//   quoted with their authors, signed by the office that asked.
import { formatVnDateTime } from '../../shared/minutes';
import { formatPercent } from '../../shared/format-percent';
import { CHOICE_LABEL_VI, type OpinionChoice } from '../../shared/opinions';
import { TextFlow, type Run } from './pdf-text-flow';
import { FIRST_INDENT, PARAGRAPH_GAP, SIZES } from './minutes-geometry';
import { centred, drawHeader, type HeaderFields } from './minutes-header';
import { drawTable, endSentence } from './minutes-body';
import type { SignatureBox } from './minutes-signature-blocks';
import { newOfficialPdf } from './official-pdf';

const body = { size: SIZES.body, align: 'justify' as const, firstIndent: FIRST_INDENT, spaceAfter: PARAGRAPH_GAP };
const BOX = { width: 190, height: 72 };

export interface AnswerSheetDocument extends HeaderFields {
  requestTitle: string;
  memberName: string;
  answers: { question: string; choice: OpinionChoice; text: string }[];
}

export interface OpinionReportDocument extends HeaderFields {
  requestTitle: string;
  createdAt: string;
  deadline: string;
  ruleLabel: string;
  asked: number;
  answered: number;
  closedBecause: 'deadline' | 'allAnswered';
  questions: {
    text: string;
    agree: number;
    disagree: number;
    other: number;
    noAnswer: number;
    base: number;
    passed: boolean;
    opinions: { name: string; choice: OpinionChoice; text: string }[];
  }[];
  signerTitle: string;
  signerName: string;
}

export interface RenderedSigned {
  bytes: Uint8Array;
  pageCount: number;
  box: SignatureBox;
}

async function render(
  title: string,
  header: HeaderFields,
  draw: (flow: TextFlow) => void,
  signer: { title: string; name: string },
): Promise<RenderedSigned> {
  const { flow, finish } = await newOfficialPdf();
  flow.newPage();
  drawHeader(flow, header, title);
  draw(flow);
  // one signature block on the right, as an administrative document's signer
  flow.space(10);
  const half = flow.contentWidth / 2;
  flow.ensure(SIZES.signTitle * 2.4 + BOX.height + SIZES.signTitle * 2.4);
  const x = flow.left + half;
  let y = centred(flow, signer.title, 'bold', SIZES.signTitle, x, half, flow.y);
  y = centred(flow, '(Ký, ghi rõ họ tên)', 'italic', SIZES.signHint, x, half, y);
  const box: SignatureBox = {
    page: flow.pageCount - 1,
    x: x + (half - BOX.width) / 2,
    y: y - BOX.height - 2,
    width: BOX.width,
    height: BOX.height,
  };
  flow.y = centred(flow, signer.name, 'bold', SIZES.signTitle, x, half, box.y - 4);
  return { bytes: await finish({ title: `${title} — ${header.subject}` }), pageCount: flow.pageCount, box };
}

export function renderAnswerSheet(doc: AnswerSheetDocument): Promise<RenderedSigned> {
  return render(
    'PHIẾU LẤY Ý KIẾN',
    doc,
    (flow) => {
      flow.paragraph([{ text: 'Người trả lời: ', style: 'bold' }, { text: endSentence(doc.memberName) }], body);
      doc.answers.forEach((a, i) => {
        flow.paragraph([{ text: `${i + 1}. ${a.question}`, style: 'bold' }], body);
        const runs: Run[] = [{ text: '- Ý kiến: ' }, { text: CHOICE_LABEL_VI[a.choice], style: 'bold' }];
        if (a.text.trim()) runs.push({ text: `: “${a.text.trim()}”` });
        flow.paragraph(runs, body);
      });
    },
    { title: 'NGƯỜI CHO Ý KIẾN', name: doc.memberName },
  );
}

export function renderOpinionReport(doc: OpinionReportDocument): Promise<RenderedSigned> {
  return render(
    'BÁO CÁO TỔNG HỢP Ý KIẾN',
    doc,
    (flow) => {
      flow.paragraph(
        `Lúc ${formatVnDateTime(doc.createdAt)}, xin ý kiến bằng văn bản về: ${endSentence(doc.requestTitle)} Thời hạn trả lời: ${formatVnDateTime(doc.deadline)}.`,
        body,
      );
      flow.paragraph(
        [
          { text: '- Số thành viên được xin ý kiến: ', style: 'bold' },
          { text: `${doc.asked}; số thành viên trả lời: ${doc.answered}; không trả lời: ${doc.asked - doc.answered}.` },
        ],
        body,
      );
      flow.paragraph(
        [
          { text: '- Nguyên tắc thông qua: ', style: 'bold' },
          {
            text: `${doc.ruleLabel}; thành viên không trả lời được tính là không đồng ý khi tỷ lệ tính trên tổng số thành viên được xin ý kiến.`,
          },
        ],
        body,
      );
      flow.paragraph(
        [
          { text: '- Kết thúc lấy ý kiến: ', style: 'bold' },
          { text: doc.closedBecause === 'allAnswered' ? 'tất cả thành viên đã trả lời.' : 'hết thời hạn trả lời.' },
        ],
        body,
      );
      const w = flow.contentWidth;
      doc.questions.forEach((q, i) => {
        flow.ensure(flow.lineHeight(SIZES.body) * 6);
        flow.paragraph([{ text: `${i + 1}. ${q.text}`, style: 'bold' }], body);
        const pct = (n: number) => formatPercent(n, q.base);
        drawTable(
          flow,
          [
            { title: 'Đồng ý', width: w * 0.25, align: 'center' },
            { title: 'Không đồng ý', width: w * 0.25, align: 'center' },
            { title: 'Ý kiến khác', width: w * 0.25, align: 'center' },
            { title: 'Không trả lời', width: w * 0.25, align: 'center' },
          ],
          [
            [
              `${q.agree} (${pct(q.agree)})`,
              `${q.disagree} (${pct(q.disagree)})`,
              `${q.other} (${pct(q.other)})`,
              String(q.noAnswer),
            ],
          ],
        );
        flow.paragraph(
          [
            { text: 'Kết quả: ' },
            { text: q.passed ? 'được thông qua' : 'không được thông qua', style: 'bold' },
            { text: ` (Đồng ý ${q.agree}/${q.base}).` },
          ],
          body,
        );
        if (q.opinions.length) {
          flow.paragraph([{ text: 'Ý kiến khác và góp ý:', style: 'italic' }], body);
          for (const o of q.opinions)
            flow.paragraph(
              [{ text: '+ ' }, { text: o.name, style: 'bold' }, { text: ` (${CHOICE_LABEL_VI[o.choice]}): “${o.text}”` }],
              body,
            );
        }
      });
    },
    { title: doc.signerTitle, name: doc.signerName },
  );
}
