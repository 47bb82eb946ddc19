// Sections I–V of the minutes, the closing sentence, drawn through a TextFlow.
import type { MinutesDocument, MinutesPerson, MinutesVoteResult } from '../../shared/minutes';
import { formatCount2, formatVnDate, formatVnDateTime, formatVnTime, sameVnDay } from '../../shared/minutes';
import type { Align, Run, TextFlow } from './pdf-text-flow';
import { FIRST_INDENT, PARAGRAPH_GAP, SIZES } from './minutes-geometry';

const body = { size: SIZES.body, align: 'justify' as const, firstIndent: FIRST_INDENT, spaceAfter: PARAGRAPH_GAP };

/**
 * Keep with next: a heading (however many lines it wraps to) moves to the next page unless it fits
 * together with the first `nextLines` lines of what follows, so no heading is left alone at the
 * bottom of a page.
 */
function keepWithNext(flow: TextFlow, runs: Run[], size: number, nextLines = 2): void {
  flow.ensure(flow.paragraphHeight(runs, { ...body, size }) + nextLines * flow.lineHeight(SIZES.body));
}

function heading(flow: TextFlow, text: string): void {
  const runs: Run[] = [{ text, style: 'bold' }];
  keepWithNext(flow, runs, SIZES.heading);
  flow.paragraph(runs, { ...body, size: SIZES.heading, firstIndent: FIRST_INDENT });
}

function person(p: MinutesPerson): string {
  return p.position ? `${p.fullName}, ${p.position}` : p.fullName;
}

function joinList(items: readonly string[], empty: string): string {
  return items.length ? items.join('; ') : empty;
}

export function endSentence(s: string): string {
  const t = s.trim();
  return /[.!?…:;]$/.test(t) ? t : `${t}.`;
}

export function drawTimeAndPlace(flow: TextFlow, doc: MinutesDocument): void {
  heading(flow, 'I. THỜI GIAN, ĐỊA ĐIỂM');
  flow.paragraph([{ text: '- Thời gian: ', style: 'bold' }, { text: `bắt đầu lúc ${formatVnDateTime(doc.startedAt)}.` }], body);
  flow.paragraph([{ text: '- Địa điểm: ', style: 'bold' }, { text: endSentence(doc.location) }], body);
}

export function drawAttendance(flow: TextFlow, doc: MinutesDocument): void {
  const a = doc.attendance;
  heading(flow, 'II. THÀNH PHẦN THAM DỰ');
  flow.paragraph([{ text: '- Chủ trì: ', style: 'bold' }, { text: endSentence(person(doc.chair)) }], body);
  flow.paragraph([{ text: '- Thư ký: ', style: 'bold' }, { text: endSentence(person(doc.secretary)) }], body);
  flow.paragraph(
    [
      { text: '- Thành viên có mặt: ', style: 'bold' },
      {
        text: `${a.present.length}/${a.membersTotal} thành viên${a.present.length ? ', gồm: ' : ''}${endSentence(a.present.map(person).join('; ') || '')}`,
      },
    ],
    body,
  );
  const absent = a.absent.map((x) => `${x.fullName} (${x.reason ? `lý do: ${x.reason}` : 'không có lý do'})`);
  flow.paragraph(
    [
      { text: '- Vắng mặt: ', style: 'bold' },
      { text: a.absent.length ? `${a.absent.length} thành viên, gồm: ${endSentence(absent.join('; '))}` : 'không.' },
    ],
    body,
  );
  if (a.proxies.length) {
    flow.paragraph(
      [
        { text: '- Ủy quyền biểu quyết: ', style: 'bold' },
        { text: endSentence(a.proxies.map((p) => `${p.fromName} ủy quyền cho ${p.toName}`).join('; ')) },
      ],
      body,
    );
  }
  if (a.guests.length) {
    flow.paragraph([{ text: '- Khách mời: ', style: 'bold' }, { text: endSentence(joinList(a.guests.map(person), '')) }], body);
  }
}

export function drawAgenda(flow: TextFlow, doc: MinutesDocument): void {
  heading(flow, 'III. NỘI DUNG CUỘC HỌP');
  if (!doc.agendaItems.length) flow.paragraph('Không có nội dung.', body);
  // an item never opened and with nothing written gets no heading of its own (it would stand empty);
  // it is named once, below, as not discussed. Numbers stay those of the agenda.
  const notDiscussed: string[] = [];
  doc.agendaItems.forEach((item, i) => {
    if (item.discussed === false) {
      notDiscussed.push(`${i + 1}. ${item.title}`);
      return;
    }
    const title: Run[] = [{ text: `${i + 1}. ${item.title}`, style: 'bold' }];
    keepWithNext(flow, title, SIZES.body);
    flow.paragraph(title, body);
    if (item.presenter) flow.paragraph([{ text: '- Trình bày: ', style: 'italic' }, { text: endSentence(item.presenter) }], body);
    if (item.discussion.trim()) flow.paragraph(item.discussion, body);
    if (item.speakers.length) {
      flow.paragraph([{ text: '- Ý kiến phát biểu:', style: 'italic' }], body);
      for (const s of item.speakers) {
        const kind = s.kind === 'question' ? 'chất vấn' : 'phát biểu';
        const runs: Run[] = [
          { text: '+ ' },
          { text: s.fullName, style: 'bold' },
          { text: ` (${kind})${s.summary?.trim() ? `: ${endSentence(s.summary)}` : '.'}` },
        ];
        flow.paragraph(runs, body);
      }
    }
    if (item.conclusion?.trim()) {
      flow.paragraph([{ text: '- Kết luận của chủ trì: ', style: 'italic' }, { text: endSentence(item.conclusion) }], body);
    }
  });
  if (notDiscussed.length) {
    flow.paragraph(
      [{ text: 'Nội dung chưa thảo luận: ', style: 'italic' }, { text: endSentence(notDiscussed.join('; ')) }],
      body,
    );
  }
}

export interface Column {
  title: string;
  width: number;
  align: Align;
}

/** A bordered table; rows move to the next page whole, the header row repeats there. */
export function drawTable(flow: TextFlow, columns: readonly Column[], rows: readonly string[][]): void {
  const size = SIZES.body;
  const lh = flow.lineHeight(size, 1.2);
  const pad = 4;
  const x0 = flow.left;
  const layoutRow = (cells: readonly string[], bold: boolean) => {
    const lines = columns.map((c, i) =>
      flow.breakLines([{ text: flow.clean(cells[i] ?? ''), style: bold ? 'bold' : 'regular' }], size, c.width - 2 * pad),
    );
    const height = Math.max(...lines.map((l) => l.length)) * lh + 2 * pad;
    return { lines, height };
  };
  const header = layoutRow(
    columns.map((c) => c.title),
    true,
  );
  const drawRow = (row: ReturnType<typeof layoutRow>, header: boolean) => {
    let x = x0;
    const top = flow.y;
    columns.forEach((c, i) => {
      flow.rect(x, top - row.height, c.width, row.height);
      (row.lines[i] ?? []).forEach((line, k) =>
        flow.drawLine(line, x + pad, top - pad - k * lh, c.width - 2 * pad, header ? 'center' : c.align, size),
      );
      x += c.width;
    });
    flow.y = top - row.height;
  };
  flow.ensure(header.height + lh * 2 + 2 * pad);
  drawRow(header, true);
  for (const cells of rows) {
    const row = layoutRow(cells, false);
    if (flow.y - row.height < flow.bottom) {
      flow.newPage();
      drawRow(header, true);
    }
    drawRow(row, false);
  }
  flow.space(PARAGRAPH_GAP + 2);
}

function drawVote(flow: TextFlow, vote: MinutesVoteResult, index: number): void {
  const question: Run[] = [{ text: `${index + 1}. ${vote.question}`, style: 'bold' }];
  // the question stays with the line under it and the table's header row and first row
  keepWithNext(flow, question, SIZES.body, 5);
  flow.paragraph(question, body);
  const mode = vote.mode === 'secret' ? 'bỏ phiếu kín' : 'biểu quyết công khai (ghi danh)';
  const paper = vote.paperBallots ? ` (trong đó ${vote.paperBallots} phiếu giấy do tổ kiểm phiếu kiểm)` : '';
  flow.paragraph(
    `Hình thức: ${mode}. Số thành viên có quyền biểu quyết: ${vote.eligible}; số phiếu thu về: ${vote.ballotsCast}${paper}.`,
    body,
  );
  const base = vote.base ?? vote.eligible;
  const w = flow.contentWidth;
  const columns: Column[] = [
    { title: 'TT', width: w * 0.09, align: 'center' },
    { title: vote.election ? 'Người ứng cử' : 'Phương án', width: w * 0.43, align: 'left' },
    { title: 'Số phiếu', width: w * 0.24, align: 'center' },
    { title: 'Tỷ lệ', width: w * 0.24, align: 'center' },
  ];
  drawTable(
    flow,
    columns,
    vote.choices.map((c, i) => [String(i + 1), c.label, `${c.count}/${base}`, c.percent]),
  );
  const summary = vote.choices.map((c) => `${c.label} ${c.count}/${base} phiếu (${c.percent})`).join('; ');
  flow.paragraph([{ text: 'Kết quả: ', style: 'bold' }, { text: `${summary}.` }], body);
  if (vote.recorded?.length) {
    flow.paragraph(
      [
        { text: 'Biểu quyết ghi nhận thay thành viên không có thiết bị: ', style: 'italic' },
        { text: endSentence(vote.recorded.map((r) => `${r.memberName} (ghi nhận bởi ${r.byName})`).join('; ')) },
      ],
      body,
    );
  }
  if (vote.election) {
    // an election: who is elected, not "passed" (the seat rule: docs/elections.md)
    const e = vote.election;
    const runs: Run[] = [{ text: `Căn cứ quy định (${vote.ruleLabel.replace(/ tán thành$/u, ' bầu')}), ` }];
    runs.push(
      e.elected.length
        ? { text: `trúng cử: ${endSentence(e.elected.join('; '))}`, style: 'bold' }
        : { text: 'không có người trúng cử.' },
    );
    flow.paragraph(runs, body);
    if (e.tied.length) flow.paragraph(`Bằng số phiếu ở vị trí cuối, chưa trúng cử: ${endSentence(e.tied.join('; '))}`, body);
    return;
  }
  flow.paragraph(
    [
      { text: `Căn cứ quy định (${vote.ruleLabel}), nội dung biểu quyết ` },
      { text: vote.passed ? 'được thông qua' : 'không được thông qua', style: 'bold' },
      { text: '.' },
    ],
    body,
  );
}

export function drawVotes(flow: TextFlow, doc: MinutesDocument): void {
  heading(flow, 'IV. KẾT QUẢ BIỂU QUYẾT');
  if (!doc.votes.length) flow.paragraph('Không tiến hành biểu quyết.', body);
  doc.votes.forEach((v, i) => drawVote(flow, v, i));
}

export function drawConclusions(flow: TextFlow, doc: MinutesDocument): void {
  heading(flow, 'V. KẾT LUẬN');
  const list = doc.conclusions.filter((c) => c.trim());
  if (!list.length) flow.paragraph('Không có.', body);
  for (const c of list) flow.paragraph(c, body);
}

/** "Cuộc họp kết thúc lúc … Biên bản gồm NN trang, được lập thành NN bản …" */
export function closingSentence(doc: MinutesDocument, pageCount: number): string {
  const end = sameVnDay(doc.startedAt, doc.endedAt)
    ? `${formatVnTime(doc.endedAt)} cùng ngày`
    : `${formatVnTime(doc.endedAt)}, ${formatVnDate(doc.endedAt)}`;
  return `Cuộc họp kết thúc lúc ${end}. Biên bản gồm ${formatCount2(pageCount)} trang, được lập thành ${formatCount2(doc.copies)} bản có giá trị như nhau.`;
}

export function drawClosing(flow: TextFlow, doc: MinutesDocument, pageCount: number): void {
  flow.paragraph(closingSentence(doc, pageCount), body);
}
