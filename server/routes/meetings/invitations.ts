// HTTP side of the giấy mời: issue a version (officers), the versions with the replies (officers
// see everyone's and the expected attendance; a member only their own), a version's signed PDF,
// and the meeting as an .ics. Replies are live commands (`invitation.reply`), not routes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, IdParams } from '../../../shared/api';
import {
  InvitationOverview,
  InvitationVersionParams,
  InvitationVersionSchema,
  IssueInvitationBody,
} from '../../../shared/invitations-api';
import { currentUser } from '../../plugins/auth';
import { meetingAccess } from '../../policies/meeting-policy';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

const invitationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const access = (req: { params: { id: string } } & Parameters<typeof currentUser>[0]) =>
    app.database.read((q, t) => meetingAccess(q, t, currentUser(req), req.params.id));

  app.post(
    '/api/meetings/:id/invitations',
    {
      schema: {
        tags: ['invitations'],
        summary: 'Officers: issue the invitation (version 1) or a change notice (time, place or title changed)',
        params: IdParams,
        body: IssueInvitationBody,
        response: { 201: InvitationVersionSchema, ...errors },
      },
    },
    async (req, reply) => {
      const a = await access(req);
      const started = performance.now();
      const v = await app.invitations.issue(a, req.body);
      req.log.info(
        {
          audit: 'invitation.issue',
          meetingId: a.meetingId,
          by: a.userId,
          version: v.version,
          pages: v.pageCount,
          ms: Math.round(performance.now() - started),
        },
        'invitation issued',
      );
      return reply.status(201).send(v);
    },
  );

  app.get(
    '/api/meetings/:id/invitations',
    {
      schema: {
        tags: ['invitations'],
        summary: 'Issued versions, replies (officers: all, with expected attendance and quorum)',
        params: IdParams,
        response: { 200: InvitationOverview, ...errors },
      },
    },
    async (req) => app.invitations.overview(await access(req)),
  );

  app.get(
    '/api/meetings/:id/invitations/:version/pdf',
    {
      schema: { tags: ['invitations'], summary: 'A version’s signed PDF', params: InvitationVersionParams, response: errors },
    },
    async (req, reply) => {
      const { bytes, row } = await app.invitations.pdf(await access(req), Number(req.params.version));
      const name = `giay-moi-${row.number.replace(/[^A-Za-z0-9-]+/g, '-')}-v${row.version}.pdf`;
      return reply
        .header('Content-Type', 'application/pdf')
        .header('Content-Length', String(bytes.length))
        .header('Cache-Control', 'private, no-store')
        .header('Content-Disposition', `inline; filename="${name}"`)
        .send(bytes as never);
    },
  );

  app.get(
    '/api/meetings/:id/calendar.ics',
    {
      schema: {
        tags: ['invitations'],
        summary: 'The meeting as an iCalendar event (SEQUENCE grows with each change notice)',
        params: IdParams,
        response: errors,
      },
    },
    async (req, reply) => {
      const a = await access(req);
      return reply
        .header('Content-Type', 'text/calendar; charset=utf-8')
        .header('Cache-Control', 'private, no-store')
        .header('Content-Disposition', 'attachment; filename="cuoc-hop.ics"')
        .send((await app.calendars.meetingIcs(a.meetingId)) as never);
    },
  );
};
export default invitationRoutes;
