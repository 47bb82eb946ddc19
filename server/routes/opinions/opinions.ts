// HTTP side of written opinions (lấy ý kiến bằng văn bản): the office creates and lists a meeting's
// requests; members read theirs, save answers, sign them; the signed summary (báo cáo tổng hợp ý
// kiến) once closed. Rules: server/opinions/opinion-service.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorResponse, IdParams } from '../../../shared/api';
import { CreateOpinionRequestBody, OpinionParams, OpinionRequestViewSchema, SaveAnswersBody } from '../../../shared/opinions';
import { currentUser } from '../../plugins/auth';
import { OpinionService } from '../../opinions/opinion-service';

// one schema for the view of a request, shared with the client (shared/opinions.ts): the response
// is serialised by it, so nothing outside it (no other member's draft) can slip into an answer
const View = OpinionRequestViewSchema;
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

const opinionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = new OpinionService(app.database, app.store, app.minutes, app.notifications);
  // reminders before the deadline: a sweep every OPINION_REMINDER_POLL_SECONDS (0: off), once per
  // request (marked in its row); a failed sweep is logged by the scheduler
  app.scheduler.add({
    name: 'opinion-reminders',
    everyMs: app.config.opinionReminderPollMs,
    run: async () => {
      await service.sendDueReminders();
    },
  });
  const actor = (req: Parameters<typeof currentUser>[0]) => {
    const u = currentUser(req);
    return { id: u.id, isAdmin: u.isAdmin };
  };

  app.post(
    '/api/meetings/:id/opinions',
    {
      schema: {
        tags: ['opinions'],
        summary: 'Office: ask members for their written opinions',
        params: IdParams,
        body: CreateOpinionRequestBody,
        response: { 201: Type.Object({ id: Type.String() }), ...errors },
      },
    },
    async (req, reply) => {
      const r = await service.create(actor(req), req.params.id, req.body);
      req.log.info(
        { audit: 'opinion.create', meetingId: req.params.id, requestId: r.id, by: currentUser(req).id },
        'written opinions requested',
      );
      return reply.status(201).send(r);
    },
  );

  app.get(
    '/api/meetings/:id/opinions',
    {
      schema: {
        tags: ['opinions'],
        summary: 'The requests of a meeting the caller may see',
        params: IdParams,
        response: { 200: Type.Array(View), ...errors },
      },
    },
    async (req) => service.list(actor(req), req.params.id),
  );

  app.get(
    '/api/opinions/:id',
    {
      schema: {
        tags: ['opinions'],
        summary: 'A request: questions, deadline, one’s own answers; the result once closed',
        params: OpinionParams,
        response: { 200: View, ...errors },
      },
    },
    async (req) => service.get(actor(req), req.params.id),
  );

  app.put(
    '/api/opinions/:id/answers',
    {
      schema: {
        tags: ['opinions'],
        summary: 'A member asked saves their answers (until the deadline; clears their signature)',
        params: OpinionParams,
        body: SaveAnswersBody,
        response: { 200: View, ...errors },
      },
    },
    async (req) => service.saveAnswers(actor(req), req.params.id, req.body.answers),
  );

  app.post(
    '/api/opinions/:id/sign',
    {
      schema: {
        tags: ['opinions'],
        summary: 'A member asked signs their saved answers',
        params: OpinionParams,
        response: { 200: View, ...errors },
      },
    },
    async (req) => {
      const v = await service.sign(actor(req), req.params.id);
      req.log.info({ audit: 'opinion.sign', requestId: req.params.id, by: currentUser(req).id }, 'written opinion signed');
      return v;
    },
  );

  app.get(
    '/api/opinions/:id/report.pdf',
    {
      schema: {
        tags: ['opinions'],
        summary: 'The signed báo cáo tổng hợp ý kiến, once the request has closed',
        params: OpinionParams,
        response: errors,
      },
    },
    async (req, reply) => {
      const bytes = await service.reportPdf(actor(req), req.params.id);
      return reply
        .header('Content-Type', 'application/pdf')
        .header('Content-Length', String(bytes.length))
        .header('Cache-Control', 'private, no-store')
        .header('Content-Disposition', 'attachment; filename="bao-cao-tong-hop-y-kien.pdf"')
        .send(bytes as never);
    },
  );
};
export default opinionRoutes;
