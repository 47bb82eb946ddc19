import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AddMemberBody, ErrorResponse, IdParams, MemberCandidateSchema, MemberParams, MemberSchema } from '../../../shared/api';
import { AppError } from '../../errors';
import { currentUser } from '../../plugins/auth';
import { authorize } from '../../policies/meeting-policy';
import { addMember, listMemberCandidates, listMembers, memberCandidateByUsername, removeMember } from '../../services/members';
import type { MeetingAccess } from '../../policies/meeting-policy';
import { announceMeetingChanges } from '../../realtime/meeting-changed';

/**
 * An officer who is not an administrator may not change or drop their own membership: it would
 * take away the standing they prepare the meeting with, and nobody but an administrator could give it back.
 */
function refuseOwnMembership(a: MeetingAccess, userId: string | undefined): void {
  if (!a.isAdmin && userId === a.userId) throw new AppError('CONFLICT', 'You cannot change your own membership of this meeting');
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  announceMeetingChanges(app); // open meeting pages re-read the meeting after a change
  // the live state knows whether a vote is open (caught up from the log: several processes)
  const voteOpen = async (meetingId: string) => (await app.live.runtime.current(meetingId)).votes.openVoteId !== null;
  app.get(
    '/api/meetings/:id/members',
    {
      schema: { tags: ['members'], params: IdParams, response: { 200: Type.Array(MemberSchema), ...errors } },
    },
    async (req) =>
      app.database.read(async (q, t) =>
        listMembers(q, t, (await authorize(q, t, currentUser(req), req.params.id, 'read')).meetingId),
      ),
  );

  app.get(
    '/api/meetings/:id/member-candidates',
    {
      schema: {
        tags: ['members'],
        summary: 'Accounts the caller may add to this meeting (id, username, full name): for whoever manages its members',
        params: IdParams,
        response: { 200: Type.Array(MemberCandidateSchema), ...errors },
      },
    },
    async (req) => {
      return app.database.read(async (q, t) => {
        await authorize(q, t, currentUser(req), req.params.id, 'manageMembers');
        return listMemberCandidates(q, t);
      });
    },
  );

  app.post(
    '/api/meetings/:id/members',
    {
      schema: { tags: ['members'], params: IdParams, body: AddMemberBody, response: { 201: MemberSchema, ...errors } },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const { a, m } = await app.database.write(req.params.id, async (tx, t) => {
        const a = await authorize(tx, t, user, req.params.id, 'manageMembers');
        refuseOwnMembership(a, (await memberCandidateByUsername(tx, t, req.body.username))?.id);
        const m = await addMember(tx, t, a.meetingId, req.body.username, req.body.role, {
          by: a,
          voteOpen: await voteOpen(a.meetingId),
        });
        return { a, m };
      });
      // a changed role: that user's open sockets take the new role's rooms (realtime/revocation.ts)
      app.revocation.userChanged(m.userId);
      req.log.info({ audit: 'member.add', meetingId: a.meetingId, userId: m.userId, role: m.role, by: user.id }, 'member added');
      return reply.status(201).send(m);
    },
  );

  app.delete(
    '/api/meetings/:id/members/:userId',
    {
      schema: { tags: ['members'], params: MemberParams, response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const a = await app.database.write(req.params.id, async (tx, t) => {
        const a = await authorize(tx, t, user, req.params.id, 'manageMembers');
        refuseOwnMembership(a, req.params.userId);
        await removeMember(tx, t, a.meetingId, req.params.userId, { by: a, voteOpen: await voteOpen(a.meetingId) });
        return a;
      });
      // best effort at once for this process's sockets; every process re-checks (realtime/revocation.ts)
      app.revocation.memberRemoved(a.meetingId, req.params.userId);
      req.log.info({ audit: 'member.remove', meetingId: a.meetingId, userId: req.params.userId, by: user.id }, 'member removed');
      return reply.status(204).send(null);
    },
  );
};
export default memberRoutes;
