// HTTP side of the live meeting: the hash-verified event log for officers, the room-screen link,
// and the current check-in code. The rules live in LiveService.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, IdParams } from '../../../shared/api';
import { EventLogSchema, TokenLinkSchema } from '../../../shared/live-api';
import { currentUser } from '../../plugins/auth';
import { meetingAccess } from '../../policies/meeting-policy';
import { checkInPath, roomScreenPath } from '../../realtime/socket-server';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

const liveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/meetings/:id/events',
    {
      schema: {
        tags: ['live'],
        summary: 'The meeting event log and whether its hash chain holds',
        params: IdParams,
        response: { 200: EventLogSchema, ...errors },
      },
    },
    async (req) => {
      const access = await app.database.read((q, t) => meetingAccess(q, t, currentUser(req), req.params.id));
      const log = await app.live.eventLog(access);
      return { events: log.events, verified: log.verified, headHash: log.headHash, brokenAtSeq: log.brokenAtSeq };
    },
  );

  app.post(
    '/api/meetings/:id/room-token',
    {
      schema: {
        tags: ['live'],
        summary: 'A link that opens the room screen (read-only, no login)',
        params: IdParams,
        response: { 201: TokenLinkSchema, ...errors },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const access = await app.database.read((q, t) => meetingAccess(q, t, user, req.params.id));
      const t = app.live.roomToken(access);
      req.log.info({ audit: 'room-token.issue', meetingId: access.meetingId, by: user.id }, 'room screen link issued');
      return reply.status(201).send({ ...t, url: roomScreenPath(access.meetingId, t.token) });
    },
  );

  app.get(
    '/api/meetings/:id/checkin-token',
    {
      schema: {
        tags: ['live'],
        summary: 'The current short-lived check-in code for the QR',
        params: IdParams,
        response: { 200: TokenLinkSchema, ...errors },
      },
    },
    async (req) => {
      const user = currentUser(req);
      const t = await app.live.checkInToken({ kind: 'user', user }, req.params.id);
      return { ...t, url: checkInPath(req.params.id, t.token) };
    },
  );
};
export default liveRoutes;
