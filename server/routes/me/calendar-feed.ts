// The caller's personal calendar feed: whether one exists, a new secret URL (replacing any), revoke.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../../shared/api';
import { CalendarFeedInfo } from '../../../shared/invitations-api';
import { currentUser } from '../../plugins/auth';

const errors = { 401: ErrorResponse };

const calendarFeedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/me/calendar-feed',
    {
      schema: { tags: ['me'], summary: 'Whether one has a calendar feed URL', response: { 200: CalendarFeedInfo, ...errors } },
    },
    async (req) => app.calendars.feedInfo(currentUser(req).id),
  );
  app.post(
    '/api/me/calendar-feed',
    {
      schema: {
        tags: ['me'],
        summary: 'A new secret calendar feed URL (the previous one stops working); shown once',
        response: { 200: CalendarFeedInfo, ...errors },
      },
    },
    async (req) => app.calendars.rotate(currentUser(req).id),
  );
  app.delete(
    '/api/me/calendar-feed',
    {
      schema: { tags: ['me'], summary: 'Revoke one’s calendar feed URL', response: { 200: CalendarFeedInfo, ...errors } },
    },
    async (req) => {
      await app.calendars.revoke(currentUser(req).id);
      return app.calendars.feedInfo(currentUser(req).id);
    },
  );
};
export default calendarFeedRoutes;
