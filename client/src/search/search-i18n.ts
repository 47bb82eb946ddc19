// UI strings of search (spread into i18n/vi.ts and i18n/en.ts as `search`).
export const searchVi = {
  label: 'Tìm kiếm',
  placeholder: 'Tìm cuộc họp, tài liệu, kết luận…',
  submit: 'Tìm',
  title: 'Kết quả tìm kiếm',
  resultsFor: 'Kết quả cho “{{q}}”',
  empty: 'Không tìm thấy kết quả nào cho “{{q}}”.',
  hint: 'Gõ có dấu hoặc không dấu đều được.',
  page: 'trang {{page}}',
  kind: {
    meeting: 'Cuộc họp',
    agenda: 'Nội dung họp',
    document: 'Tài liệu',
    minutes: 'Biên bản',
    conclusion: 'Kết luận',
    opinion: 'Lấy ý kiến',
  },
};

export const searchEn: typeof searchVi = {
  label: 'Search',
  placeholder: 'Search meetings, documents, conclusions…',
  submit: 'Search',
  title: 'Search results',
  resultsFor: 'Results for “{{q}}”',
  empty: 'Nothing found for “{{q}}”.',
  hint: 'Type with or without Vietnamese diacritics.',
  page: 'page {{page}}',
  kind: {
    meeting: 'Meeting',
    agenda: 'Agenda item',
    document: 'Document',
    minutes: 'Minutes',
    conclusion: 'Conclusion',
    opinion: 'Written opinions',
  },
};
