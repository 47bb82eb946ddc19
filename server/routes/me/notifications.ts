// The caller's own notifications (the bell): list (paged, newest first), unread count, mark read.
// No user id in any path: one reads and marks only one's own.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../../shared/api';
import { NotificationIdParams, NotificationListQuery, NotificationPage, UnreadCount } from '../../../shared/notifications-api';
import { currentUser } from '../../plugins/auth';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse };

const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/me/notifications',
    {
      schema: {
        tags: ['me'],
        summary: 'One’s notifications, newest first',
        querystring: NotificationListQuery,
        response: { 200: NotificationPage, ...errors },
      },
    },
    async (req) =>
      await app.notifications.list(currentUser(req).id, {
        before: req.query.before,
        limit: req.query.limit === undefined ? undefined : Number(req.query.limit),
      }),
  );

  app.get(
    '/api/me/notifications/unread-count',
    {
      schema: { tags: ['me'], summary: 'How many of one’s notifications are unread', response: { 200: UnreadCount, ...errors } },
    },
    async (req) => ({ unread: await app.notifications.unreadCount(currentUser(req).id) }),
  );

  app.post(
    '/api/me/notifications/:id/read',
    {
      schema: {
        tags: ['me'],
        summary: 'Mark one notification read',
        params: NotificationIdParams,
        response: { 200: UnreadCount, ...errors },
      },
    },
    async (req) => ({ unread: await app.notifications.markRead(currentUser(req).id, req.params.id) }),
  );

  app.post(
    '/api/me/notifications/read-all',
    {
      schema: { tags: ['me'], summary: 'Mark all of one’s notifications read', response: { 200: UnreadCount, ...errors } },
    },
    async (req) => ({ unread: await app.notifications.markAllRead(currentUser(req).id) }),
  );
};
export default notificationRoutes;
