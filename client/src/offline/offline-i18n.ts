// UI strings of the offline reader and the app update (vi and en; spread into i18n/vi.ts and
// i18n/en.ts as `offline`).
export const offlineVi = {
  waiting_one: '{{count}} thay đổi đang chờ',
  waiting_other: '{{count}} thay đổi đang chờ',
  waitingHint: 'Các nét vẽ làm khi mất mạng được lưu trên máy và sẽ gửi theo thứ tự khi có mạng.',
  conflictsTitle: 'Thay đổi không gửi được',
  conflict: {
    NOT_FOUND: 'Tài liệu không còn (có thể đã được thay bằng phiên bản mới).',
    CONFLICT: 'Cuộc họp đã thay đổi trạng thái (có thể đã kết thúc).',
    FORBIDDEN: 'Bạn không còn quyền thực hiện thay đổi này.',
    generic: 'Máy chủ từ chối: {{message}}',
  },
  conflictWhat: 'Nét vẽ trang {{page}}',
  conflictOther: 'Thay đổi ({{type}})',
  dismiss: 'Đã hiểu',
  offlineCopy: 'Đang đọc bản lưu trên máy (ngoại tuyến).',
  storageTitle: 'Dữ liệu ngoại tuyến',
  storageUsed: 'Đã lưu {{kept}} ({{documents}} tài liệu) · trình duyệt dùng {{origin}}',
  storageClear: 'Xóa dữ liệu ngoại tuyến',
  storageCleared: 'Đã xóa dữ liệu ngoại tuyến trên máy này.',
  storageNote: 'Tài liệu mật không được lưu trên máy. Đăng xuất sẽ xóa toàn bộ.',
  update: 'Đã có phiên bản mới của ứng dụng — vui lòng tải lại.',
  updateReload: 'Tải lại',
};

export const offlineEn: typeof offlineVi = {
  waiting_one: '{{count}} change waiting',
  waiting_other: '{{count}} changes waiting',
  waitingHint: 'Marks made without network are kept on this device and sent in order when it is back.',
  conflictsTitle: 'Changes that could not be sent',
  conflict: {
    NOT_FOUND: 'The document is gone (it may have been replaced by a new version).',
    CONFLICT: 'The meeting has changed state (it may have ended).',
    FORBIDDEN: 'You may no longer make this change.',
    generic: 'The server refused: {{message}}',
  },
  conflictWhat: 'Mark on page {{page}}',
  conflictOther: 'Change ({{type}})',
  dismiss: 'Got it',
  offlineCopy: 'Reading the copy kept on this device (offline).',
  storageTitle: 'Offline data',
  storageUsed: '{{kept}} kept ({{documents}} documents) · the browser uses {{origin}}',
  storageClear: 'Clear offline data',
  storageCleared: 'Offline data on this device cleared.',
  storageNote: 'Confidential documents are not kept on the device. Logging out clears everything.',
  update: 'A new version of the app is available — please reload.',
  updateReload: 'Reload',
};
