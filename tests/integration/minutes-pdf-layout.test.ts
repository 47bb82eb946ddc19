// The minutes PDF's body layout (issue 23), as poppler reads it: no empty heading for an agenda item
// never discussed, no heading left alone at the bottom of a page (keep with next), and "có quyền
// biểu quyết" the same figure (the members with a vote) in every vote, whatever its rule's base.
import { describe, expect, it } from 'vitest';
import { renderMinutes } from '../../server/pdf/render-minutes';
import type { MinutesDocument } from '../../shared/minutes';
import { buildMinutes } from '../helpers/minutes-fixture';
import { flat, pdftotext, writeTemp } from '../helpers/poppler';

async function text(doc: MinutesDocument, args: string[] = []): Promise<{ file: string; pages: number; all: string }> {
  const r = await renderMinutes(doc);
  const file = writeTemp(r.bytes, `minutes-layout-${Math.random().toString(36).slice(2)}.pdf`);
  return { file, pages: r.pageCount, all: pdftotext(file, args) };
}

/** The page (1-based) on which `needle` first appears, by text per page. */
function pageOf(file: string, pages: number, needle: string): number {
  for (let p = 1; p <= pages; p++) if (flat(pdftotext(file, ['-f', String(p), '-l', String(p)])).includes(needle)) return p;
  return -1;
}

describe('minutes PDF body layout', () => {
  it('an item never discussed gets no heading of its own; it is named once as not discussed', async () => {
    const base = buildMinutes();
    const doc = buildMinutes({
      agendaItems: [
        ...base.agendaItems,
        { title: 'Công tác thi đua khen thưởng', discussion: '', speakers: [], discussed: false },
      ],
    });
    const { all } = await text(doc);
    const t = flat(all);
    expect(t).toContain('Nội dung chưa thảo luận: 4. Công tác thi đua khen thưởng.');
    expect(t.split('Công tác thi đua khen thưởng').length - 1).toBe(1);
    // the discussed ones keep their agenda numbers
    expect(t).toContain('3. Phân bổ kinh phí ứng dụng công nghệ thông tin năm 2027');
  });

  it('a long item title or vote question is never left alone at the bottom of a page', async () => {
    const longTitle =
      'Xem xét, cho ý kiến về dự thảo Đề án sắp xếp, kiện toàn tổ chức bộ máy các phòng chuyên môn, đơn vị sự nghiệp trực thuộc theo hướng tinh gọn, hoạt động hiệu lực, hiệu quả, gắn với tinh giản biên chế và cơ cấu lại đội ngũ cán bộ, công chức, viên chức giai đoạn 2026 - 2030 ĐUÔITIÊUĐỀ';
    const longQuestion = `${'Biểu quyết thông qua toàn văn dự thảo Đề án với các nội dung đã được tiếp thu, chỉnh lý theo ý kiến của các thành viên, '.repeat(4)}ĐUÔICÂUHỎI`;
    const failures: string[] = [];
    // shift everything below the first item by one line at a time across a page's height
    for (let extra = 0; extra < 44; extra += 2) {
      const base = buildMinutes();
      const filler = Array.from({ length: extra }, (_, i) => `Dòng bổ sung số ${i + 1} của phần diễn biến.`).join('\n');
      const items = base.agendaItems.map((it, i) => (i === 0 ? { ...it, discussion: `${it.discussion}\n${filler}` } : it));
      items.splice(1, 0, {
        title: longTitle,
        discussion: 'MỞĐẦUTHẢOLUẬN các thành viên thống nhất về sự cần thiết.',
        speakers: [],
      });
      const votes = [{ ...base.votes[0]!, question: longQuestion }, ...base.votes.slice(1)];
      const { file, pages } = await text(buildMinutes({ agendaItems: items, votes }));
      const a = pageOf(file, pages, 'ĐUÔITIÊUĐỀ');
      const b = pageOf(file, pages, 'MỞĐẦUTHẢOLUẬN');
      if (a !== b) failures.push(`extra ${extra}: title on page ${a}, its text on page ${b}`);
      const q = pageOf(file, pages, 'ĐUÔICÂUHỎI');
      const form = pageOf(file, pages, 'Hình thức: biểu quyết công khai');
      if (q !== form) failures.push(`extra ${extra}: question on page ${q}, its first line on page ${form}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('"có quyền biểu quyết" is the members with a vote in every vote; the counts are of the rule\'s base; paper ballots and recorded votes are stated', async () => {
    const base = buildMinutes();
    const [named, secret] = base.votes;
    const doc = buildMinutes({
      votes: [
        { ...named!, eligible: 15, base: 15, recorded: [{ memberName: 'Lý Thị Mỹ Dung', byName: 'Nguyễn Thị Thư Ký' }] },
        // a rule of the ballots cast: percentages of 10, but still 15 members with a vote
        { ...secret!, eligible: 15, base: 10, ballotsCast: 10, paperBallots: 2 },
      ],
    });
    const { all } = await text(doc);
    const t = flat(all);
    expect(t.match(/Số thành viên có quyền biểu quyết: (\d+)/g)).toEqual([
      'Số thành viên có quyền biểu quyết: 15',
      'Số thành viên có quyền biểu quyết: 15',
    ]);
    expect(t).toContain('số phiếu thu về: 10 (trong đó 2 phiếu giấy do tổ kiểm phiếu kiểm)');
    expect(t).toMatch(/Tán thành \d+\/10 phiếu/);
    expect(t).toContain('Lý Thị Mỹ Dung (ghi nhận bởi Nguyễn Thị Thư Ký)');
  });
});
