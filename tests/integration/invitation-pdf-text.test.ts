// Text extraction stays exact when several documents are rendered in one process with the shared
// fonts (server/pdf/shared-fontkit.ts): the first invitation's italic line has no plain "a" (only
// "à", "á", "ă", whose composite glyphs contain it), the second's does. Before keepCodePoints the
// second PDF looked right but pdftotext read "Thông bá th y" for "Thông báo thay".
import { describe, expect, it } from 'vitest';
import { renderInvitation } from '../../server/pdf/render-invitation';
import type { InvitationDocument } from '../../server/invitations/invitation-document';
import { flat, pdftotext, writeTemp } from '../helpers/poppler';

const base: InvitationDocument = {
  organization: { parentAgency: 'Ủy ban nhân dân tỉnh Ninh Bình', unitName: 'Văn phòng' },
  number: '15/GM-UBND',
  place: 'Ninh Bình',
  date: '2026-12-04T08:00:00Z',
  title: 'Họp giao ban tháng 11',
  version: 1,
  changes: [],
  replaces: null,
  recipients: 'Các thành viên dự họp theo danh sách',
  startsAt: '2026-12-10T01:30:00Z',
  location: 'Phòng họp số 1',
  chair: 'Nguyễn Văn An',
  participants: [{ fullName: 'Nguyễn Văn An', role: 'Chủ trì' }],
  agenda: [{ title: 'Báo cáo', presenter: null }],
  documents: ['Tờ trình'],
  contact: 'Chị Thư',
  signer: { title: 'THƯ KÝ', fullName: 'Trần Thị Bình' },
};

describe('invitation PDF text', () => {
  it('extracts exactly, also for the second document rendered in the process', async () => {
    const first = flat(pdftotext(writeTemp((await renderInvitation(base)).bytes)));
    expect(first).toContain('Ninh Bình, ngày 04 tháng 12 năm 2026');
    const second = await renderInvitation({
      ...base,
      number: '16/GM-UBND',
      version: 2,
      changes: ['location', 'startsAt'],
      replaces: { number: '15/GM-UBND', date: base.date },
    });
    const text = flat(pdftotext(writeTemp(second.bytes)));
    expect(text).toContain('(Thông báo thay đổi địa điểm, thời gian; thay thế Giấy mời số 15/GM-UBND ngày 04 tháng 12 năm 2026)');
    expect(text).toContain('Văn phòng trân trọng kính mời tham dự cuộc họp giao ban tháng 11, cụ thể như sau:');
  });
});
