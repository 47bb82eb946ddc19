// Replies to the giấy mời (shared/invitations.ts): every member replies for themself while the
// meeting is still scheduled and an invitation has been issued; the chair or the secretary approves
// a substitute, who becomes a member with the absent member's role in the same transaction (and
// sees nothing of the meeting before that: a non-member's every request answers NOT_FOUND).
import { and, eq } from 'drizzle-orm';
import { meetingMembers, users } from '../db/schema';
import { AppError } from '../errors';
import { can } from '../policies/meeting-policy';
import type { MeetingState } from '../../shared/meeting-state';
import type { CommandDefinition } from './commands';
import { requireMember } from './references';


function requireOpenInvitation(state: MeetingState): void {
  if (!state.invitation || state.invitation.version === 0) throw new AppError('INVITATION_NOT_ISSUED', 'No invitation has been issued for this meeting yet');
  if (state.status !== 'scheduled') throw new AppError('CONFLICT', 'The meeting has started: replies are closed; attendance is taken in the room');
}

export const invitationCommands: {
  'invitation.reply': CommandDefinition<'invitation.reply'>;
  'invitation.approveSubstitute': CommandDefinition<'invitation.approveSubstitute'>;
} = {
  'invitation.reply': {
    // every invitee replies for themself; an administrator who is not a member was not invited
    authorize: (a) => a.role !== null,
    decide: ({ db, meetingId, state, access, payload }) => {
      requireOpenInvitation(state);
      const version = state.invitation.version;
      const previous = state.invitation.replies[access.userId];
      if (previous?.approved) throw new AppError('CONFLICT', 'Your substitute has been approved already; ask the secretary to change it');
      if (payload.status === 'attending') return { memberId: access.userId, status: 'attending', version };
      const reason = payload.reason?.normalize('NFC').trim();
      if (payload.status === 'absent') {
        if (!reason) throw new AppError('INVALID', 'An absence needs a reason');
        return { memberId: access.userId, status: 'absent', version, reason };
      }
      const sub = db.select({ id: users.id, fullName: users.fullName }).from(users).where(eq(users.username, payload.substituteUsername.trim().toLowerCase())).get();
      if (!sub) throw new AppError('INVALID', 'There is no account with this username');
      if (sub.id === access.userId) throw new AppError('INVALID', 'You cannot be your own substitute');
      const already = db.select({ role: meetingMembers.role }).from(meetingMembers)
        .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, sub.id))).get();
      if (already) throw new AppError('CONFLICT', 'This person is already a member of the meeting');
      return {
        memberId: access.userId, status: 'substitute', version,
        substituteUserId: sub.id, substituteName: sub.fullName, ...(reason ? { reason } : {}),
      };
    },
  },
  'invitation.approveSubstitute': {
    authorize: (a) => can(a, 'approveSubstitute'),
    decide: ({ db, meetingId, state, payload }) => {
      requireOpenInvitation(state);
      const reply = state.invitation.replies[payload.memberId];
      if (!reply || reply.status !== 'substitute' || !reply.substituteUserId) throw new AppError('CONFLICT', 'This member has not named a substitute');
      if (reply.approved) throw new AppError('CONFLICT', 'This substitute is approved already');
      const role = requireMember(db, meetingId, payload.memberId);
      const taken = db.select({ role: meetingMembers.role }).from(meetingMembers)
        .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, reply.substituteUserId))).get();
      if (taken) throw new AppError('CONFLICT', 'The substitute is already a member of the meeting');
      return { memberId: payload.memberId, substituteUserId: reply.substituteUserId, role };
    },
    // the substitute attends with the member's role (cử người dự thay): a member from this commit on
    alsoInTx: (tx, meetingId, payload, at) => {
      tx.insert(meetingMembers).values({
        meetingId, userId: payload.substituteUserId, role: payload.role as typeof meetingMembers.$inferInsert.role, addedAt: at,
      }).run();
    },
  },
};
