// The rendered minutes as poppler sees them: text, fonts, page size, margins, pagination.
import { beforeAll, describe, expect, it } from 'vitest';
import { renderMinutes } from '../../server/pdf/render-minutes';
import { A4_MINUTES } from '../../server/pdf/minutes-geometry';
import { buildLongMinutes, buildMinutes } from '../helpers/minutes-fixture';
import { flat, pdftotext, run, writeTemp } from '../helpers/poppler';

let file: string;
let pageCount: number;
beforeAll(async () => {
  const r = await renderMinutes(buildMinutes());
  file = writeTemp(r.bytes, 'minutes.pdf');
  pageCount = r.pageCount;
});

describe('minutes PDF (poppler)', () => {
  it('contains the exact Vietnamese phrases, counts and percentages', () => {
    const text = flat(pdftotext(file));
    for (const phrase of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'UBND TỈNH HÀ GIANG',
      'VĂN PHÒNG',
      'Số: 12/BB-VP',
      'Hà Giang, ngày 21 tháng 11 năm 2026',
      'BIÊN BẢN HỌP',
      'Về việc triển khai kế hoạch chuyển đổi số năm 2027',
      'I. THỜI GIAN, ĐỊA ĐIỂM',
      'bắt đầu lúc 08 giờ 30 phút, ngày 21 tháng 11 năm 2026',
      'II. THÀNH PHẦN THAM DỰ',
      'Thành viên có mặt: 12/15 thành viên',
      'Trịnh Công Sơn (lý do: đi công tác tại Hà Nội)',
      'Trịnh Công Sơn ủy quyền cho Lê Hoàng Nam',
      'III. NỘI DUNG CUỘC HỌP',
      'Đỗ Minh Đức (chất vấn)',
      'IV. KẾT QUẢ BIỂU QUYẾT',
      'Tán thành 12/15 phiếu (80,00%)',
      'Không tán thành 1/15 phiếu (6,67%)',
      'Hình thức: bỏ phiếu kín',
      'Tán thành 9/15 phiếu (60,00%)',
      'nội dung biểu quyết được thông qua',
      'nội dung biểu quyết không được thông qua',
      'V. KẾT LUẬN',
      `Cuộc họp kết thúc lúc 11 giờ 15 phút cùng ngày. Biên bản gồm 0${pageCount} trang, được lập thành 02 bản`,
      'THƯ KÝ',
      'CHỦ TRÌ',
      '(Ký, ghi rõ họ tên)',
      'Nguyễn Thị Thư Ký',
      'Trần Văn Chủ Trì',
      '9f2c4e8a1b7d3f6051c2e9a4d8b7f3e2a1c6d5b4e3f2a1908070605040302010',
    ]) {
      expect(text).toContain(phrase);
    }
  });

  it('puts the vote results in a table (TT, Phương án, Số phiếu, Tỷ lệ)', () => {
    const layout = pdftotext(file, ['-layout']);
    expect(layout).toMatch(/TT\s+Phương án\s+Số phiếu\s+Tỷ lệ/);
    expect(layout).toMatch(/1\s+Tán thành\s+12\/15\s+80,00%/);
  });

  it('embeds subset TrueType fonts', () => {
    const fonts = run('pdffonts', [file]).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThanOrEqual(3);
    for (const line of fonts) {
      expect(line).toMatch(/^[A-Z]{6}\+\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    }
  });

  it('is A4 portrait', () => {
    expect(run('pdfinfo', [file])).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
  });

  it('keeps every word inside the margins (pdftotext -bbox)', () => {
    const html = run('pdftotext', ['-bbox', file, '-']);
    const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">/g)].map((m) =>
      m.slice(1, 5).map(Number),
    );
    expect(words.length).toBeGreaterThan(300);
    const { width, height, marginLeft, marginRight, marginTop, marginBottom } = A4_MINUTES;
    for (const [xMin, yMin, xMax, yMax] of words as [number, number, number, number][]) {
      expect(xMin).toBeGreaterThanOrEqual(marginLeft - 0.5);
      expect(xMax).toBeLessThanOrEqual(width - marginRight + 0.5);
      // only the page number (top) and the log hash (bottom) sit in the vertical margins
      expect(yMin).toBeGreaterThanOrEqual(marginTop / 3);
      expect(yMax).toBeLessThanOrEqual(height - marginBottom / 4);
    }
    // body text itself stays between top and bottom margins: nothing but page numbers above it
    const inTop = words.filter(([, , , yMax]) => yMax! < marginTop - 1);
    expect(inTop.length).toBeLessThanOrEqual(pageCount - 1);
  });

  it('paginates a 20-page minutes with page numbers from page 2', async () => {
    const r = await renderMinutes(buildLongMinutes(140));
    expect(r.pageCount).toBeGreaterThanOrEqual(20);
    const long = writeTemp(r.bytes, 'long.pdf');
    expect(run('pdfinfo', [long])).toMatch(new RegExp(`Pages:\\s+${r.pageCount}\\b`));
    expect(flat(pdftotext(long))).toContain(`Biên bản gồm ${r.pageCount} trang`);
    const first = pdftotext(long, ['-f', '1', '-l', '1']).trim().split('\n')[0];
    expect(first).not.toMatch(/^\d+$/);
    for (const p of [2, 10, r.pageCount]) {
      const top = pdftotext(long, ['-f', String(p), '-l', String(p)])
        .trim()
        .split('\n')[0];
      expect(top).toBe(String(p));
    }
  });

  it('renders hostile text into a PDF poppler reads', async () => {
    const s = 'Biểu quyết 👍🏽 a\u0301\u0301 \u0000\u001b[31m \ud800 \u202e ' + 'Đ'.repeat(400);
    const doc = buildMinutes({ subject: s, conclusions: [s] });
    doc.agendaItems[0] = { ...doc.agendaItems[0]!, title: s, discussion: s };
    const r = await renderMinutes(doc);
    const f = writeTemp(r.bytes, 'hostile.pdf');
    expect(run('pdfinfo', [f])).toContain(`Pages:           ${r.pageCount}`);
    expect(flat(pdftotext(f))).toContain('Biểu quyết □□');
  });

  it('Helvetica baseline: same layout, diacritics stripped', async () => {
    const r = await renderMinutes(buildMinutes(), { fonts: 'helvetica' });
    const f = writeTemp(r.bytes, 'helvetica.pdf');
    const text = flat(pdftotext(f));
    expect(text).toContain('CONG HOA XA HOI CHU NGHIA VIET NAM');
    expect(text).toContain('Tan thanh 12/15 phieu (80,00%)');
    expect(run('pdffonts', [f])).toContain('Helvetica');
  });
});
