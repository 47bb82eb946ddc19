// Replies to the giấy mời (shared/invitations.ts): every member replies for themself while the
// meeting is still scheduled and an invitation has been issued; the chair or the secretary approves
// a substitute, who becomes a member with the absent member's role in the same transaction (and
// sees nothing of the meeting before that: a non-member's every request answers NOT_FOUND), or
// refuses them. Both are told — the substitute and the member who sent them — in the app and by
// e-mail, committed with the event.
//
// Quorum and votes: the substitute counts in place of the member (cử người dự thay: one seat). On
// approval the substitute takes the member's role and the member becomes an observer of the meeting
// (they still read its documents, hold no vote and do not count for quorum), so neither the room's
// quorum nor a vote can count both of them, whoever of the two checks in.
import { and, eq } from 'drizzle-orm';
import type { meetingMembers } from '../db/schema';
import type { Query, Tables } from '../db/store';
import { AppError } from '../errors';
import { can } from '../policies/meeting-policy';
import type { MeetingState } from '../../shared/meeting-state';
import type { CommandDefinition, CommandNotice } from './commands';
import { formatVnDateTime } from '../../shared/minutes';
import { requireMember } from './references';

function requireOpenInvitation(state: MeetingState): void {
  if (!state.invitation || state.invitation.version === 0)
    throw new AppError('INVITATION_NOT_ISSUED', 'No invitation has been issued for this meeting yet');
  if (state.status !== 'scheduled')
    throw new AppError('CONFLICT', 'The meeting has started: replies are closed; attendance is taken in the room');
}

/** The notices of an approval or refusal: to the substitute, and to the member who sent them. */
async function substituteNotices(
  q: Query,
  t: Tables,
  meetingId: string,
  memberId: string,
  substituteUserId: string,
  outcome: 'approved' | 'refused',
  reason?: string,
): Promise<CommandNotice[]> {
  const [m] = await q
    .select({ title: t.meetings.title, startsAt: t.meetings.startsAt, location: t.meetings.location })
    .from(t.meetings)
    .where(eq(t.meetings.id, meetingId));
  const name = async (id: string) =>
    (await q.select({ n: t.users.fullName }).from(t.users).where(eq(t.users.id, id)))[0]?.n ?? '';
  const params = {
    title: m?.title ?? '',
    when: m?.startsAt ? formatVnDateTime(m.startsAt) : '',
    location: m?.location ?? '',
    member: await name(memberId),
    substitute: await name(substituteUserId),
    reason: reason ?? '',
  };
  const link = `/meetings/${meetingId}`;
  return [
    // a refused substitute is not a member: their link is the home page, not a meeting they get 404 for
    { userIds: [substituteUserId], kind: `substitute.${outcome}`, meetingId, params, link: outcome === 'approved' ? link : '/' },
    { userIds: [memberId], kind: `substitute.${outcome}.member`, meetingId, params, link },
  ];
}

/** The member's pending substitute, or CONFLICT. */
function pendingSubstitute(state: MeetingState, memberId: string): string {
  const reply = state.invitation.replies[memberId];
  if (!reply || reply.status !== 'substitute' || !reply.substituteUserId)
    throw new AppError('CONFLICT', 'This member has not named a substitute');
  if (reply.approved) throw new AppError('CONFLICT', 'This substitute is approved already');
  return reply.substituteUserId;
}

export const invitationCommands: {
  'invitation.reply': CommandDefinition<'invitation.reply'>;
  'invitation.approveSubstitute': CommandDefinition<'invitation.approveSubstitute'>;
  'invitation.refuseSubstitute': CommandDefinition<'invitation.refuseSubstitute'>;
} = {
  'invitation.reply': {
    // every invitee replies for themself; an administrator who is not a member was not invited
    authorize: (a) => a.role !== null,
    decide: async ({ q, t, meetingId, state, access, payload }) => {
      requireOpenInvitation(state);
      const version = state.invitation.version;
      const previous = state.invitation.replies[access.userId];
      if (previous?.approved)
        throw new AppError('CONFLICT', 'Your substitute has been approved already; ask the secretary to change it');
      if (payload.status === 'attending') return { memberId: access.userId, status: 'attending', version };
      const reason = payload.reason?.normalize('NFC').trim();
      if (payload.status === 'absent') {
        if (!reason) throw new AppError('INVALID', 'An absence needs a reason');
        return { memberId: access.userId, status: 'absent', version, reason };
      }
      const [sub] = await q
        .select({ id: t.users.id, fullName: t.users.fullName })
        .from(t.users)
        .where(eq(t.users.username, payload.substituteUsername.trim().toLowerCase()));
      if (!sub) throw new AppError('INVALID', 'There is no account with this username');
      if (sub.id === access.userId) throw new AppError('INVALID', 'You cannot be your own substitute');
      const [already] = await q
        .select({ role: t.meetingMembers.role })
        .from(t.meetingMembers)
        .where(and(eq(t.meetingMembers.meetingId, meetingId), eq(t.meetingMembers.userId, sub.id)));
      if (already) throw new AppError('CONFLICT', 'This person is already a member of the meeting');
      return {
        memberId: access.userId,
        status: 'substitute',
        version,
        substituteUserId: sub.id,
        substituteName: sub.fullName,
        ...(reason ? { reason } : {}),
      };
    },
  },
  'invitation.approveSubstitute': {
    authorize: (a) => can(a, 'approveSubstitute'),
    decide: async ({ q, t, meetingId, state, payload }) => {
      requireOpenInvitation(state);
      const substituteUserId = pendingSubstitute(state, payload.memberId);
      const role = await requireMember(q, t, meetingId, payload.memberId);
      const [taken] = await q
        .select({ role: t.meetingMembers.role })
        .from(t.meetingMembers)
        .where(and(eq(t.meetingMembers.meetingId, meetingId), eq(t.meetingMembers.userId, substituteUserId)));
      if (taken) throw new AppError('CONFLICT', 'The substitute is already a member of the meeting');
      return { memberId: payload.memberId, substituteUserId, role };
    },
    // the substitute attends with the member's role (cử người dự thay): a member from this commit on;
    // the member keeps reading the meeting as an observer, without the vote and the quorum count
    alsoInTx: async (tx, t, meetingId, payload, at) => {
      await tx.insert(t.meetingMembers).values({
        meetingId,
        userId: payload.substituteUserId,
        role: payload.role as typeof meetingMembers.$inferInsert.role,
        addedAt: at,
      });
      await tx
        .update(t.meetingMembers)
        .set({ role: 'observer' })
        .where(and(eq(t.meetingMembers.meetingId, meetingId), eq(t.meetingMembers.userId, payload.memberId)));
    },
    notify: ({ q, t, meetingId }, p) => substituteNotices(q, t, meetingId, p.memberId, p.substituteUserId, 'approved'),
  },
  'invitation.refuseSubstitute': {
    authorize: (a) => can(a, 'approveSubstitute'), // the same officers who approve one refuse one
    decide: async ({ q, t, meetingId, state, payload }) => {
      requireOpenInvitation(state);
      const substituteUserId = pendingSubstitute(state, payload.memberId);
      await requireMember(q, t, meetingId, payload.memberId);
      const reason = payload.reason?.normalize('NFC').trim();
      return { memberId: payload.memberId, substituteUserId, ...(reason ? { reason } : {}) };
    },
    notify: ({ q, t, meetingId }, p) => substituteNotices(q, t, meetingId, p.memberId, p.substituteUserId, 'refused', p.reason),
  },
};
