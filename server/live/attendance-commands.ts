// Attendance (điểm danh): officers mark anyone; a member checks themselves in once the meeting is
// open, from the app or with the room screen's short-lived QR token.
import { AppError } from '../errors';
import { can } from '../policies/meeting-policy';
import type { CommandDefinition } from './commands';
import { requireMember } from './references';

export const attendanceCommands: {
  'attendance.mark': CommandDefinition<'attendance.mark'>;
  'attendance.checkIn': CommandDefinition<'attendance.checkIn'>;
} = {
  'attendance.mark': {
    authorize: (a) => can(a, 'markAttendance'),
    decide: async ({ q, t, meetingId, payload, reads }) => {
      // allowed after the end too: the secretary corrects the record while finishing the minutes
      // (in a group commit once per member and batch: a membership change clears the batch's reads)
      const member = () => requireMember(q, t, meetingId, payload.userId);
      if (reads) await reads.once(`member:${meetingId}:${payload.userId}`, member);
      else await member();
      const reason = payload.reason?.trim();
      return { userId: payload.userId, status: payload.status, ...(reason ? { reason } : {}) };
    },
  },
  'attendance.checkIn': {
    authorize: (a) => can(a, 'checkIn'),
    decide: ({ tokens, meetingId, state, access, payload, now }) => {
      if (state.status !== 'running' && state.status !== 'paused') {
        throw new AppError('CONFLICT', 'Check-in opens when the meeting starts');
      }
      if (payload.token !== undefined) {
        const r = tokens.checkCheckInToken(meetingId, payload.token, now.getTime());
        if (r === 'expired') throw new AppError('TOKEN_EXPIRED', 'This check-in code has expired; scan the room screen again');
        if (r === 'invalid') throw new AppError('INVALID', 'This check-in code is not valid for this meeting');
      }
      const current = state.attendance[access.userId]?.status;
      if (current === 'present' || current === 'late') throw new AppError('CONFLICT', 'You are already checked in');
      return { userId: access.userId, via: payload.token !== undefined ? 'qr' : 'app' };
    },
  },
};
