// UI strings of a document's versions for every reader (spread into i18n/vi.ts and en.ts as `documents`).
export const documentsVi = {
  version: 'Lần {{version}}',
  draft: 'Bản nháp',
  changes: 'Xem thay đổi so với lần {{version}}',
  changesTitle: 'Thay đổi: lần {{previous}} → lần {{version}}',
  previous: 'Mở lần {{version}} (kèm ghi chú của bạn)',
  newer: 'Đã có lần {{version}}',
  noChanges: 'Nội dung chữ của các trang không thay đổi.',
  notComparable: 'Chưa so sánh được: hệ thống đang đọc nội dung tài liệu, hoặc tài liệu không có lớp chữ.',
  page: 'Trang {{page}}',
  status: { changed: 'đã sửa', added: 'trang mới', removed: 'đã bỏ' },
  added: 'Thêm',
  removed: 'Bỏ',
  legend: 'Chữ được thêm được gạch chân màu xanh, chữ bị bỏ được gạch ngang màu đỏ.',
};

export const documentsEn: typeof documentsVi = {
  version: 'Version {{version}}',
  draft: 'Draft',
  changes: 'See what changed since version {{version}}',
  changesTitle: 'Changes: version {{previous}} → version {{version}}',
  previous: 'Open version {{version}} (with your notes)',
  newer: 'Version {{version}} is out',
  noChanges: 'The text of the pages did not change.',
  notComparable: 'Cannot compare yet: the document is still being read, or it has no text layer.',
  page: 'Page {{page}}',
  status: { changed: 'changed', added: 'new page', removed: 'removed' },
  added: 'Added',
  removed: 'Removed',
  legend: 'Added words are underlined in green, removed words struck through in red.',
};
