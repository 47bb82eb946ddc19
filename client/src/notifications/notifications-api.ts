// The bell's HTTP calls (server/routes/me/notifications.ts).
import { http } from '../api/http';
import type { NotificationPage, UnreadCount } from '../../../shared/notifications-api';

export const notificationsApi = {
  list: (before?: string) =>
    http.get<NotificationPage>(`/api/me/notifications?limit=20${before ? `&before=${encodeURIComponent(before)}` : ''}`),
  unread: () => http.get<UnreadCount>('/api/me/notifications/unread-count'),
  markRead: (id: string) => http.post<UnreadCount>(`/api/me/notifications/${encodeURIComponent(id)}/read`),
  markAllRead: () => http.post<UnreadCount>('/api/me/notifications/read-all'),
};
