// A realistic biên bản for tests: 15 members, absences with reasons, a proxy, a guest, three agenda
// items with speakers, a named vote and a secret one, conclusions.
import type { MinutesDocument, MinutesPerson } from '../../shared/minutes';
import { formatPercent } from '../../shared/minutes';

export function buildMinutes(overrides: Partial<MinutesDocument> = {}): MinutesDocument {
  const present: MinutesPerson[] = [
    'Trần Văn Chủ Trì',
    'Nguyễn Thị Thư Ký',
    'Lê Hoàng Nam',
    'Phạm Thị Hương',
    'Đỗ Minh Đức',
    'Vũ Thị Lan',
    'Hoàng Quốc Việt',
    'Bùi Thị Ngọc Ánh',
    'Đặng Văn Hùng',
    'Ngô Thị Thu Trang',
    'Dương Văn Khải',
    'Lý Thị Mỹ Dung',
  ].map((fullName) => ({ fullName }));
  present[0] = { fullName: 'Trần Văn Chủ Trì', position: 'Chánh Văn phòng' };
  present[1] = { fullName: 'Nguyễn Thị Thư Ký', position: 'Chuyên viên Phòng Tổng hợp' };
  return {
    organization: { parentAgency: 'UBND TỈNH HÀ GIANG', unitName: 'VĂN PHÒNG' },
    number: '12/BB-VP',
    place: 'Hà Giang',
    date: '2026-11-21T01:30:00Z',
    subject: 'triển khai kế hoạch chuyển đổi số năm 2027 và phân bổ kinh phí ứng dụng công nghệ thông tin',
    startedAt: '2026-11-21T01:30:00Z',
    endedAt: '2026-11-21T04:15:00Z',
    location: 'Phòng họp tầng 3, trụ sở Văn phòng UBND tỉnh, số 1 đường Trần Hưng Đạo, thành phố Hà Giang',
    chair: { fullName: 'Trần Văn Chủ Trì', position: 'Chánh Văn phòng' },
    secretary: { fullName: 'Nguyễn Thị Thư Ký', position: 'Chuyên viên Phòng Tổng hợp' },
    attendance: {
      membersTotal: 15,
      present,
      absent: [
        { fullName: 'Trịnh Công Sơn', reason: 'đi công tác tại Hà Nội' },
        { fullName: 'Mai Thị Phương', reason: 'nghỉ ốm' },
        { fullName: 'Lương Văn Tấn' },
      ],
      proxies: [{ fromName: 'Trịnh Công Sơn', toName: 'Lê Hoàng Nam' }],
      guests: [{ fullName: 'Phan Thanh Bình', position: 'Giám đốc Sở Thông tin và Truyền thông' }],
    },
    agendaItems: [
      {
        title: 'Báo cáo kết quả thực hiện chuyển đổi số năm 2026',
        presenter: 'Lê Hoàng Nam, Trưởng phòng Hành chính - Tổ chức',
        discussion:
          'Đồng chí Lê Hoàng Nam trình bày báo cáo tóm tắt kết quả thực hiện kế hoạch chuyển đổi số năm 2026: 100% văn bản đi, đến được xử lý trên môi trường mạng; tỷ lệ hồ sơ thủ tục hành chính được số hóa đạt 87,5%; hệ thống họp không giấy tờ được đưa vào sử dụng từ tháng 6.\nBáo cáo nêu một số tồn tại: hạ tầng mạng tại một số phòng họp chưa ổn định, kỹ năng sử dụng chữ ký số của một bộ phận cán bộ còn hạn chế.',
        speakers: [
          {
            fullName: 'Phạm Thị Hương',
            kind: 'speak',
            summary: 'đề nghị bổ sung số liệu so sánh với cùng kỳ năm 2025 và làm rõ nguyên nhân chậm số hóa hồ sơ lưu trữ',
          },
          {
            fullName: 'Đỗ Minh Đức',
            kind: 'question',
            summary: 'chất vấn về tiến độ kết nối hệ thống quản lý văn bản với trục liên thông quốc gia',
          },
        ],
        conclusion:
          'Thống nhất thông qua báo cáo, giao Phòng Hành chính - Tổ chức tiếp thu ý kiến, hoàn thiện trước ngày 30 tháng 11 năm 2026',
      },
      {
        title: 'Dự thảo kế hoạch chuyển đổi số năm 2027',
        presenter: 'Vũ Thị Lan, Phó Trưởng phòng Tổng hợp',
        discussion:
          'Dự thảo kế hoạch gồm 5 nhóm nhiệm vụ, 23 chỉ tiêu cụ thể, trong đó ưu tiên nâng cấp hạ tầng phòng họp trực tuyến và đào tạo kỹ năng số cho cán bộ, công chức.',
        speakers: [
          {
            fullName: 'Hoàng Quốc Việt',
            kind: 'speak',
            summary: 'nhất trí với dự thảo, đề nghị bổ sung chỉ tiêu về an toàn thông tin cấp độ 3',
          },
        ],
        conclusion: 'Đưa dự thảo ra biểu quyết',
      },
      {
        title: 'Phân bổ kinh phí ứng dụng công nghệ thông tin năm 2027',
        presenter: 'Bùi Thị Ngọc Ánh, Kế toán trưởng',
        discussion:
          'Tổng kinh phí dự kiến 4.250.000.000 đồng (bốn tỷ hai trăm năm mươi triệu đồng), trong đó 60% cho hạ tầng, 25% cho phần mềm và 15% cho đào tạo.',
        speakers: [],
      },
    ],
    votes: [
      {
        question: 'Thông qua Kế hoạch chuyển đổi số năm 2027',
        mode: 'named',
        ruleLabel: 'quá nửa tổng số thành viên tán thành',
        eligible: 15,
        ballotsCast: 13,
        choices: [
          { label: 'Tán thành', count: 12, percent: formatPercent(12, 15) },
          { label: 'Không tán thành', count: 1, percent: formatPercent(1, 15) },
          { label: 'Ý kiến khác', count: 0, percent: formatPercent(0, 15) },
        ],
        passed: true,
      },
      {
        question: 'Phương án phân bổ kinh phí ứng dụng công nghệ thông tin năm 2027',
        mode: 'secret',
        ruleLabel: 'từ hai phần ba tổng số thành viên trở lên tán thành',
        eligible: 15,
        ballotsCast: 13,
        choices: [
          { label: 'Tán thành', count: 9, percent: formatPercent(9, 15) },
          { label: 'Không tán thành', count: 3, percent: formatPercent(3, 15) },
          { label: 'Ý kiến khác', count: 1, percent: formatPercent(1, 15) },
        ],
        passed: false,
      },
    ],
    conclusions: [
      'Cuộc họp thống nhất thông qua Báo cáo kết quả chuyển đổi số năm 2026 và Kế hoạch chuyển đổi số năm 2027.',
      'Phương án phân bổ kinh phí chưa được thông qua; giao Phòng Kế hoạch - Tài chính phối hợp với Sở Thông tin và Truyền thông rà soát, trình lại tại cuộc họp tháng 12 năm 2026.',
    ],
    copies: 2,
    eventLogHeadHash: '9f2c4e8a1b7d3f6051c2e9a4d8b7f3e2a1c6d5b4e3f2a1908070605040302010',
    ...overrides,
  };
}

/** The fixture with `paragraphs` extra paragraphs of discussion, for pagination and timing. */
export function buildLongMinutes(paragraphs = 60): MinutesDocument {
  const base = buildMinutes();
  const para =
    'Các đại biểu thảo luận sôi nổi về giải pháp nâng cao chất lượng cung cấp dịch vụ công trực tuyến toàn trình, bảo đảm kết nối, chia sẻ dữ liệu giữa các cơ sở dữ liệu quốc gia, cơ sở dữ liệu chuyên ngành với hệ thống thông tin giải quyết thủ tục hành chính của tỉnh; đồng thời đề nghị tăng cường công tác kiểm tra, giám sát việc thực hiện, kịp thời tháo gỡ khó khăn, vướng mắc phát sinh tại cơ sở.';
  const discussion = Array.from({ length: paragraphs }, (_, i) => `(${i + 1}) ${para}`).join('\n');
  return { ...base, agendaItems: base.agendaItems.map((it, i) => (i === 1 ? { ...it, discussion } : it)) };
}
