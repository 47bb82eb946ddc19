// HTTP side of an election's vote-counting minutes (biên bản kiểm phiếu): the chair or the
// secretary draws them up naming the counting committee; committee members sign; members read
// the PDF. Rules: server/elections/counting-report-service.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorResponse } from '../../../shared/api';
import { CountingReportSchema, CreateCountingReportBody, VoteParams } from '../../../shared/counting-report';
import { currentUser } from '../../plugins/auth';
import { meetingAccess } from '../../policies/meeting-policy';
import { CountingReportService } from '../../elections/counting-report-service';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

const countingReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = new CountingReportService(app.database, app.store, app.live, app.minutes);
  const access = (req: { params: { id: string } } & Parameters<typeof currentUser>[0]) =>
    app.database.read((q, t) => meetingAccess(q, t, currentUser(req), req.params.id));
  const base = '/api/meetings/:id/votes/:voteId/counting-report';

  app.post(
    base,
    {
      schema: {
        tags: ['elections'],
        summary:
          'Chair or secretary: draw up the vote-counting minutes of a closed election, naming the counting committee (head first)',
        params: VoteParams,
        body: CreateCountingReportBody,
        response: { 201: CountingReportSchema, ...errors },
      },
    },
    async (req, reply) => {
      const a = await access(req);
      const v = await service.create(a, req.params.voteId, req.body.committee);
      req.log.info(
        { audit: 'countingReport.create', meetingId: a.meetingId, voteId: req.params.voteId, by: a.userId },
        'vote-counting minutes drawn up',
      );
      return reply.status(201).send(v);
    },
  );

  app.get(
    base,
    {
      schema: {
        tags: ['elections'],
        summary: 'The vote-counting minutes: committee and who has signed (null while none is drawn up)',
        params: VoteParams,
        response: { 200: Type.Union([CountingReportSchema, Type.Null()]), ...errors },
      },
    },
    async (req) => service.get(await access(req), req.params.voteId),
  );

  app.post(
    `${base}/sign`,
    {
      schema: {
        tags: ['elections'],
        summary: 'A member of the counting committee signs the vote-counting minutes',
        params: VoteParams,
        response: { 200: CountingReportSchema, ...errors },
      },
    },
    async (req) => {
      const a = await access(req);
      const v = await service.sign(a, req.params.voteId);
      req.log.info(
        { audit: 'countingReport.sign', meetingId: a.meetingId, voteId: req.params.voteId, by: a.userId },
        'vote-counting minutes signed',
      );
      return v;
    },
  );

  app.get(
    `${base}.pdf`,
    {
      schema: {
        tags: ['elections'],
        summary: 'The vote-counting minutes PDF (signed once signatures exist)',
        params: VoteParams,
        response: errors,
      },
    },
    async (req, reply) => {
      const { bytes, view } = await service.pdf(await access(req), req.params.voteId);
      return reply
        .header('Content-Type', 'application/pdf')
        .header('Content-Length', String(bytes.length))
        .header('ETag', `"${view.sha256}"`)
        .header('Cache-Control', 'private, no-store')
        .header('Content-Disposition', `attachment; filename="bien-ban-kiem-phieu.pdf"`)
        .send(bytes as never);
    },
  );
};
export default countingReportRoutes;
