// The demo meeting's documents, generated with pdf-lib and an embedded Vietnamese-capable font,
// so the repository ships no binary and nothing is read from outside it at run time.
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { fontBytes } from '../pdf/fonts';
import { wrapText } from '../pdf/text-layout';

export interface DemoDocSpec {
  filename: string;
  title: string;
  subtitle: string;
  sections: { heading: string; body: string }[];
  pages: number;
}

const A4: [number, number] = [595.28, 841.89];
const MM = 72 / 25.4;

const FILLER = [
  'Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về đẩy mạnh cải cách hành chính và chuyển đổi số, trong tháng qua các phòng, ban đã triển khai đồng bộ các nhiệm vụ trọng tâm, bảo đảm tiến độ và chất lượng.',
  'Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến toàn trình đạt 87,5%, tăng 6,2 điểm phần trăm so với cùng kỳ; 100% văn bản đi được ký số và gửi nhận qua hệ thống quản lý văn bản điều hành.',
  'Tuy nhiên, việc khai thác dữ liệu dùng chung giữa các sở, ngành còn hạn chế; một số đơn vị chưa cập nhật kịp thời dữ liệu chuyên ngành lên kho dữ liệu của tỉnh; hạ tầng mạng tại một số xã còn chưa ổn định.',
  'Đề nghị các đơn vị tập trung rà soát, chuẩn hóa quy trình nội bộ, tăng cường ứng dụng công nghệ thông tin trong chỉ đạo, điều hành, phấn đấu 100% cuộc họp được tổ chức không giấy tờ.',
];

function drawPageFrame(page: PDFPage, font: PDFFont, docTitle: string, n: number, total: number) {
  const [w] = A4;
  page.drawText(docTitle, { x: 30 * MM, y: A4[1] - 12 * MM, size: 9, font, color: rgb(0.35, 0.35, 0.35) });
  page.drawLine({
    start: { x: 30 * MM, y: A4[1] - 14 * MM },
    end: { x: w - 20 * MM, y: A4[1] - 14 * MM },
    thickness: 0.5,
    color: rgb(0.6, 0.6, 0.6),
  });
  const label = `Trang ${n}/${total}`;
  page.drawText(label, { x: w / 2 - font.widthOfTextAtSize(label, 10) / 2, y: 12 * MM, size: 10, font });
}

export async function makeDemoDocument(spec: DemoDocSpec): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const regular = await pdf.embedFont(fontBytes('regular'), { subset: true });
  const bold = await pdf.embedFont(fontBytes('bold'), { subset: true });
  const italic = await pdf.embedFont(fontBytes('italic'), { subset: true });
  pdf.setTitle(spec.title);
  pdf.setLanguage('vi-VN');
  pdf.setProducer('Họp Số');
  const left = 30 * MM,
    right = A4[0] - 20 * MM,
    width = right - left;

  for (let n = 1; n <= spec.pages; n++) {
    const page = pdf.addPage(A4);
    drawPageFrame(page, regular, spec.title, n, spec.pages);
    let y = A4[1] - 30 * MM;
    if (n === 1) {
      for (const [text, font, size] of [
        ['ỦY BAN NHÂN DÂN TỈNH', regular, 13],
        ['VĂN PHÒNG', bold, 13],
      ] as const) {
        page.drawText(text, { x: left + 70 - font.widthOfTextAtSize(text, size) / 2, y, size, font });
        y -= 18;
      }
      y -= 40;
      for (const line of wrapText(spec.title.toUpperCase(), bold, 16, width)) {
        page.drawText(line, { x: left + (width - bold.widthOfTextAtSize(line, 16)) / 2, y, size: 16, font: bold });
        y -= 22;
      }
      page.drawText(spec.subtitle, {
        x: left + (width - italic.widthOfTextAtSize(spec.subtitle, 13)) / 2,
        y,
        size: 13,
        font: italic,
      });
      y -= 40;
    }
    const section = spec.sections[(n - 1) % spec.sections.length]!;
    page.drawText(`${n}. ${section.heading}`, { x: left, y, size: 14, font: bold, color: rgb(0.05, 0.2, 0.45) });
    y -= 24;
    const body = [section.body, ...FILLER.slice(0, n === 1 ? 2 : 4)].join('\n');
    for (const line of wrapText(body, regular, 13, width)) {
      if (y < 60 * MM) break;
      page.drawText(line, { x: left, y, size: 13, font: regular });
      y -= 18;
    }
    // A small bar chart: gives each page something a reader (and a test) can see at a glance.
    const bars = [0.45, 0.62, 0.71, 0.875].map((v, i) => Math.min(1, v + ((n * 7 + i * 3) % 10) / 100));
    const chartTop = 55 * MM,
      barW = width / (bars.length * 2);
    bars.forEach((v, i) => {
      const h = v * 35 * MM;
      page.drawRectangle({
        x: left + barW * (2 * i + 0.5),
        y: chartTop - 35 * MM,
        width: barW,
        height: h,
        color: rgb(0.1 + i * 0.15, 0.4, 0.75 - i * 0.1),
      });
      page.drawText(`${(v * 100).toFixed(1).replace('.', ',')}%`, {
        x: left + barW * (2 * i + 0.5),
        y: chartTop - 35 * MM + h + 4,
        size: 9,
        font: regular,
      });
    });
    page.drawText(`Biểu đồ ${n}: Tỷ lệ hoàn thành chỉ tiêu theo quý`, { x: left, y: chartTop - 42 * MM, size: 10, font: italic });
  }
  return pdf.save();
}

export const DEMO_DOCUMENTS: DemoDocSpec[] = [
  {
    filename: 'bao-cao-cong-tac-thang-11.pdf',
    title: 'Báo cáo kết quả công tác tháng 11 năm 2026',
    subtitle: 'và nhiệm vụ trọng tâm tháng 12 năm 2026',
    pages: 10,
    sections: [
      {
        heading: 'Kết quả thực hiện nhiệm vụ',
        body: 'Văn phòng đã tham mưu tổ chức 14 cuộc họp, trong đó 12 cuộc họp không giấy tờ.',
      },
      { heading: 'Công tác cải cách hành chính', body: 'Tiếp nhận 1.248 hồ sơ, giải quyết đúng hạn 1.231 hồ sơ, đạt 98,6%.' },
      { heading: 'Chuyển đổi số', body: 'Hoàn thành kết nối hệ thống họp trực tuyến tới 100% xã, phường, thị trấn.' },
      { heading: 'Tồn tại, hạn chế', body: 'Một số đơn vị còn chậm cập nhật dữ liệu; chất lượng đường truyền chưa đồng đều.' },
      {
        heading: 'Nhiệm vụ tháng 12',
        body: 'Tổng kết công tác năm 2026, xây dựng kế hoạch năm 2027, bảo đảm an toàn thông tin.',
      },
    ],
  },
  {
    filename: 'du-thao-ke-hoach-chuyen-doi-so-2027.pdf',
    title: 'Dự thảo Kế hoạch chuyển đổi số năm 2027',
    subtitle: 'Tài liệu xin ý kiến các thành viên',
    pages: 12,
    sections: [
      { heading: 'Mục đích, yêu cầu', body: 'Xây dựng chính quyền số, nâng cao hiệu lực, hiệu quả chỉ đạo, điều hành.' },
      { heading: 'Chỉ tiêu chủ yếu', body: '100% cuộc họp không giấy tờ; 95% hồ sơ công việc xử lý trên môi trường mạng.' },
      {
        heading: 'Nhiệm vụ, giải pháp',
        body: 'Hoàn thiện hạ tầng, nền tảng dùng chung; phát triển dữ liệu số; bảo đảm an toàn thông tin cấp độ 3.',
      },
      {
        heading: 'Kinh phí thực hiện',
        body: 'Dự kiến tổng kinh phí 4,85 tỷ đồng từ nguồn ngân sách tỉnh và nguồn hợp pháp khác.',
      },
      { heading: 'Tổ chức thực hiện', body: 'Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành triển khai.' },
      { heading: 'Phụ lục: lộ trình', body: 'Quý I: khảo sát; Quý II: triển khai thí điểm; Quý III–IV: nhân rộng toàn tỉnh.' },
    ],
  },
  {
    filename: 'to-trinh-du-toan-kinh-phi.pdf',
    title: 'Tờ trình về việc phê duyệt dự toán kinh phí',
    subtitle: 'triển khai phòng họp không giấy tờ năm 2027',
    pages: 4,
    sections: [
      {
        heading: 'Sự cần thiết',
        body: 'Bảo đảm điều kiện tổ chức họp không giấy tờ theo kế hoạch cải cách hành chính của tỉnh.',
      },
      {
        heading: 'Nội dung dự toán',
        body: 'Thiết bị đầu cuối: 1,2 tỷ đồng; phần mềm và dịch vụ: 0,9 tỷ đồng; đào tạo: 0,15 tỷ đồng.',
      },
      { heading: 'Đề xuất', body: 'Kính đề nghị cuộc họp xem xét, biểu quyết thông qua dự toán nêu trên.' },
    ],
  },
];
