import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  CreateMeetingBody,
  ErrorResponse,
  IdParams,
  MeetingDetailSchema,
  MeetingList,
  MeetingSchema,
  UpdateMeetingBody,
} from '../../../shared/api';
import { currentUser } from '../../plugins/auth';
import { authorize, mayCreateMeeting } from '../../policies/meeting-policy';
import { abilitiesOf } from '../../policies/abilities';
import { AppError } from '../../errors';
import { createMeeting, deleteMeeting, getMeeting, listMeetings, updateMeeting } from '../../services/meetings';
import { listAgenda } from '../../services/agenda';
import { listDocuments } from '../../services/documents';

import { draftsVisibleTo } from '../../policies/document-policy';
import { listMembers } from '../../services/members';
import { announceMeetingChanges } from '../../realtime/meeting-changed';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

const meetingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  announceMeetingChanges(app); // open meeting pages re-read the meeting after a change
  app.get(
    '/api/meetings',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Meetings the caller belongs to (all, for an admin)',
        response: { 200: MeetingList, ...errors },
      },
    },
    async (req) => app.database.read((q, t) => listMeetings(q, t, currentUser(req))),
  );

  app.post(
    '/api/meetings',
    {
      schema: {
        tags: ['meetings'],
        summary: 'An administrator or an organiser creates a meeting; an organiser becomes its secretary (or chair: creatorRole)',
        body: CreateMeetingBody,
        response: { 201: MeetingSchema, ...errors },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      if (!mayCreateMeeting(user)) throw new AppError('FORBIDDEN', 'Only an administrator or an organiser creates meetings');
      const { creatorRole, ...input } = req.body;
      // an administrator sees every meeting anyway and joins only when asked; an organiser must hold a role to prepare it
      const m = await app.database.write(null, (tx, t) =>
        createMeeting(tx, t, user, input, creatorRole ?? (user.isAdmin ? null : 'secretary')),
      );
      req.log.info({ audit: 'meeting.create', meetingId: m.id, by: user.id }, 'meeting created');
      return reply.status(201).send(m);
    },
  );

  app.get(
    '/api/meetings/:id',
    {
      schema: { tags: ['meetings'], params: IdParams, response: { 200: MeetingDetailSchema, ...errors } },
    },
    async (req) => {
      const { a, meeting, agenda, members, documents } = await app.database.read(async (q, t) => {
        const a = await authorize(q, t, currentUser(req), req.params.id, 'read');
        return {
          a,
          meeting: await getMeeting(q, t, a.meetingId, a.role),
          agenda: await listAgenda(q, t, a.meetingId, { drafts: draftsVisibleTo(a) }),
          members: await listMembers(q, t, a.meetingId),
          documents: await listDocuments(q, t, a.meetingId, { drafts: draftsVisibleTo(a) }),
        };
      });
      return {
        meeting,
        abilities: abilitiesOf(a),
        agenda,
        documents,
        members,
      };
    },
  );

  app.patch(
    '/api/meetings/:id',
    {
      schema: { tags: ['meetings'], params: IdParams, body: UpdateMeetingBody, response: { 200: MeetingSchema, ...errors } },
    },
    async (req) => {
      const { title, location, organization } = req.body;
      const { a, updated } = await app.database.write(req.params.id, async (tx, t) => {
        const a = await authorize(tx, t, currentUser(req), req.params.id, 'update');
        // the schema allows 1–300 characters; a title of spaces only is no title
        if (title !== undefined && !title.trim()) throw new AppError('INVALID', 'The title is empty');
        const updated = await updateMeeting(
          tx,
          t,
          a.meetingId,
          {
            ...req.body,
            ...(title !== undefined ? { title: title.trim() } : {}),
            ...(typeof location === 'string' ? { location: location.trim() || null } : {}),
            ...(typeof organization === 'string' ? { organization: organization.trim() || null } : {}),
          },
          a.role,
        );
        return { a, updated };
      });
      req.log.info(
        { audit: 'meeting.update', meetingId: a.meetingId, by: currentUser(req).id, fields: Object.keys(req.body) },
        'meeting updated',
      );
      // the giấy mời went out and the time, place or title changed: the change notice goes out by itself
      // (invitations/invitation-service.ts holds the rule). The edit is saved whatever happens here: if
      // signing fails, the invitation panel still shows the change for the office to issue by hand.
      try {
        const notice = await app.invitations.noticeAfterEdit(a);
        if (notice)
          req.log.info(
            { audit: 'invitation.changeNotice', meetingId: a.meetingId, version: notice.version, changes: notice.changes },
            'change notice issued',
          );
      } catch (err) {
        req.log.warn({ err, meetingId: a.meetingId }, 'the change notice could not be issued after the edit');
      }
      return updated;
    },
  );

  app.delete(
    '/api/meetings/:id',
    {
      schema: { tags: ['meetings'], params: IdParams, response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const a = await app.database.write(req.params.id, async (tx, t) => {
        const a = await authorize(tx, t, user, req.params.id, 'delete');
        await deleteMeeting(tx, t, a.meetingId);
        return a;
      });
      req.log.info({ audit: 'meeting.delete', meetingId: a.meetingId, by: user.id }, 'meeting deleted');
      return reply.status(204).send(null);
    },
  );
};
export default meetingRoutes;
