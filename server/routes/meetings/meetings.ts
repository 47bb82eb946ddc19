import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  CreateMeetingBody, ErrorResponse, IdParams, MeetingDetailSchema, MeetingList, MeetingSchema, UpdateMeetingBody,
} from '../../../shared/api';
import { currentUser } from '../../plugins/auth';
import { authorize } from '../../policies/meeting-policy';
import { AppError } from '../../errors';
import { createMeeting, deleteMeeting, getMeeting, listMeetings, updateMeeting } from '../../services/meetings';
import { listAgenda } from '../../services/agenda';
import { listDocuments } from '../../services/documents';
import { listMembers } from '../../services/members';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

const meetingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/meetings', {
    schema: { tags: ['meetings'], summary: 'Meetings the caller belongs to (all, for an admin)', response: { 200: MeetingList, ...errors } },
  }, async (req) => listMeetings(app.db, currentUser(req)));

  app.post('/api/meetings', {
    schema: { tags: ['meetings'], body: CreateMeetingBody, response: { 201: MeetingSchema, ...errors } },
  }, async (req, reply) => {
    const user = currentUser(req);
    if (!user.isAdmin) throw new AppError('FORBIDDEN', 'Only an administrator creates meetings');
    const m = createMeeting(app.db, user, req.body);
    req.log.info({ audit: 'meeting.create', meetingId: m.id, by: user.id }, 'meeting created');
    return reply.status(201).send(m);
  });

  app.get('/api/meetings/:id', {
    schema: { tags: ['meetings'], params: IdParams, response: { 200: MeetingDetailSchema, ...errors } },
  }, async (req) => {
    const a = authorize(app.db, currentUser(req), req.params.id, 'read');
    return {
      meeting: getMeeting(app.db, a.meetingId, a.role),
      agenda: listAgenda(app.db, a.meetingId),
      documents: listDocuments(app.db, a.meetingId),
      members: listMembers(app.db, a.meetingId),
    };
  });

  app.patch('/api/meetings/:id', {
    schema: { tags: ['meetings'], params: IdParams, body: UpdateMeetingBody, response: { 200: MeetingSchema, ...errors } },
  }, async (req) => {
    const a = authorize(app.db, currentUser(req), req.params.id, 'update');
    return updateMeeting(app.db, a.meetingId, req.body, a.role);
  });

  app.delete('/api/meetings/:id', {
    schema: { tags: ['meetings'], params: IdParams, response: { 204: Type.Null(), ...errors } },
  }, async (req, reply) => {
    const user = currentUser(req);
    const a = authorize(app.db, user, req.params.id, 'delete');
    deleteMeeting(app.db, a.meetingId);
    req.log.info({ audit: 'meeting.delete', meetingId: a.meetingId, by: user.id }, 'meeting deleted');
    return reply.status(204).send(null);
  });
};
export default meetingRoutes;
