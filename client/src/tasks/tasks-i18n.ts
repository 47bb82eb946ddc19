// UI strings of the tasks pages (spread into i18n/vi.ts and i18n/en.ts as `tasks`).
export const tasksVi = {
  title: 'Nhiệm vụ',
  mine: 'Nhiệm vụ của tôi',
  overdue: 'Nhiệm vụ quá hạn',
  none: 'Không có nhiệm vụ nào.',
  deadline: 'Hạn: {{date}}',
  owner: 'Chủ trì thực hiện: {{who}}',
  state: { todo: 'Chưa thực hiện', in_progress: 'Đang thực hiện', done: 'Hoàn thành', overdue: 'Quá hạn' },
};

export const tasksEn: typeof tasksVi = {
  title: 'Tasks',
  mine: 'My tasks',
  overdue: 'Overdue tasks',
  none: 'No tasks.',
  deadline: 'Due: {{date}}',
  owner: 'In charge: {{who}}',
  state: { todo: 'Not started', in_progress: 'In progress', done: 'Done', overdue: 'Overdue' },
};
