// UI strings of the notification bell (spread into i18n/vi.ts and i18n/en.ts as `notifications`).
// `kind.<kind with dots as _>`: one sentence per notification kind, with the kind's params.
export const notificationsVi = {
  bell: 'Thông báo',
  bellUnread_one: 'Thông báo: {{count}} chưa đọc',
  bellUnread_other: 'Thông báo: {{count}} chưa đọc',
  title: 'Thông báo',
  empty: 'Chưa có thông báo nào.',
  markAllRead: 'Đánh dấu tất cả đã đọc',
  more: 'Xem thêm',
  unread: 'Chưa đọc',
  kind: {
    default: 'Có thông báo mới',
    invitation_issued: 'Giấy mời họp {{number}}: {{title}}',
    invitation_changed: 'Thông báo thay đổi {{number}}: {{title}} ({{changesVi}})',
    invitation_reply: '{{name}} đã trả lời giấy mời: {{title}}',
    document_published: 'Tài liệu mới cho cuộc họp {{meeting}}: {{title}} (lần {{version}})',
    document_reminder: 'Nhắc đọc tài liệu trước cuộc họp {{meeting}}: {{title}}',
    opinion_requested: 'Xin ý kiến bằng văn bản: {{title}}',
    opinion_reminder: 'Sắp hết hạn trả lời xin ý kiến: {{title}}',
    task_assigned: 'Bạn được giao nhiệm vụ: {{title}} (hạn {{deadline}})',
    task_due: 'Sắp đến hạn nhiệm vụ: {{title}} (hạn {{deadline}})',
  },
};

export const notificationsEn: typeof notificationsVi = {
  bell: 'Notifications',
  bellUnread_one: 'Notifications: {{count}} unread',
  bellUnread_other: 'Notifications: {{count}} unread',
  title: 'Notifications',
  empty: 'No notifications yet.',
  markAllRead: 'Mark all as read',
  more: 'Show more',
  unread: 'Unread',
  kind: {
    default: 'You have a new notification',
    invitation_issued: 'Meeting invitation {{number}}: {{title}}',
    invitation_changed: 'Invitation changed {{number}}: {{title}} ({{changesEn}})',
    invitation_reply: '{{name}} replied to the invitation: {{title}}',
    document_published: 'New document for {{meeting}}: {{title}} (version {{version}})',
    document_reminder: 'Please read before {{meeting}}: {{title}}',
    opinion_requested: 'Your written opinion is requested: {{title}}',
    opinion_reminder: 'The deadline is near, written opinions: {{title}}',
    task_assigned: 'You were assigned a task: {{title}} (due {{deadline}})',
    task_due: 'Task due soon: {{title}} (due {{deadline}})',
  },
};
