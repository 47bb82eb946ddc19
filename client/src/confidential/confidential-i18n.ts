// UI strings of confidential documents (tài liệu mật), vi and en (spread into i18n/vi.ts and
// i18n/en.ts as `confidential`).
export const confidentialVi = {
  level: { mat: 'Mật', 'toi-mat': 'Tối mật', 'tuyet-mat': 'Tuyệt mật' },
  none: 'Thường (không mật)',
  select: 'Độ mật của tài liệu {{name}}',
  badge: 'Tài liệu {{level}}',
  notice: 'Tài liệu {{level}}: mỗi trang mang tên của bạn; không tải về, in hay sao chép.',
  changed: 'Đã đặt độ mật: {{level}}.',
  printBlocked: 'Không in được tài liệu mật.',
};

export const confidentialEn: typeof confidentialVi = {
  level: { mat: 'Confidential', 'toi-mat': 'Secret', 'tuyet-mat': 'Top secret' },
  none: 'Ordinary (not confidential)',
  select: 'Confidentiality of {{name}}',
  badge: '{{level}} document',
  notice: '{{level}} document: every page carries your name; no download, print or copy.',
  changed: 'Confidentiality set: {{level}}.',
  printBlocked: 'Confidential documents cannot be printed.',
};
