// The personal calendar feed, read by calendar apps without a login: the secret token in the URL is
// the only credential, and it opens calendar data and nothing else (GET only; every other route
// still needs a session). An unknown or revoked token is 404, like any missing page.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorResponse } from '../../../shared/api';
import { AppError } from '../../errors';

const calendarFeed: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/calendar/:file',
    {
      schema: {
        tags: ['calendar'],
        summary: 'A personal calendar feed (token in the URL)',
        security: [],
        params: Type.Object({ file: Type.String({ pattern: '^[A-Za-z0-9_-]{43}\\.ics$' }) }),
        response: { 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (req, reply) => {
      const ics = await app.calendars.feedIcs(req.params.file.slice(0, -4));
      if (ics === null) throw new AppError('NOT_FOUND', 'No such calendar');
      return reply
        .header('Content-Type', 'text/calendar; charset=utf-8')
        .header('Cache-Control', 'private, max-age=300')
        .send(ics as never);
    },
  );
};
export default calendarFeed;
