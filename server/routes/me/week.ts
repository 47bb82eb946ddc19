// The caller's week (lịch công tác tuần): a thin route over services/week-schedule.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../../shared/api';
import { WeekQuery, WeekViewSchema } from '../../../shared/week-api';
import { currentUser } from '../../plugins/auth';
import { weekSchedule } from '../../services/week-schedule';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

const weekRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/me/week',
    {
      schema: {
        tags: ['me'],
        summary: 'The meetings of one week (Monday–Sunday, Vietnam time): mine, or for the office the unit’s',
        querystring: WeekQuery,
        response: { 200: WeekViewSchema, ...errors },
      },
    },
    async (req) => app.database.read((q, t) => weekSchedule(q, t, app.live.runtime, currentUser(req), req.query)),
  );
};
export default weekRoutes;
