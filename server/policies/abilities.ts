// The caller's abilities in a meeting, sent with it (MeetingDetail.abilities) so the client shows
// controls by the server's policies and never re-derives them from the role. Each is the answer of
// one policy module; tests/integration/authz-matrix checks each against the matrix.
import type { MeetingAbilities } from '../../shared/api';
import { can, type MeetingAccess } from './meeting-policy';
import { canAnnotate, canAnnotateShared, mayEraseOthersMarks } from './annotation-policy';
import { mayRequestFloor } from './floor-policy';
import { mayCastBallot } from './vote-policy';

/** The abilities the meeting page shows controls for (MeetingDetail.abilities). */
export function abilitiesOf(access: MeetingAccess): MeetingAbilities {
  return {
    update: can(access, 'update'),
    manageMembers: can(access, 'manageMembers'),
    editAgenda: can(access, 'editAgenda'),
    uploadDocument: can(access, 'uploadDocument'),
    createAccounts: access.isAdmin,
    controlMeeting: can(access, 'controlMeeting'),
    markAttendance: can(access, 'markAttendance'),
    checkIn: can(access, 'checkIn'),
    issueRoomToken: can(access, 'issueRoomToken'),
    recordBallots: can(access, 'recordBallots'),
    approveSubstitute: can(access, 'approveSubstitute'),
    askOpinions: can(access, 'askOpinions'),
    draftCountingReport: can(access, 'draftCountingReport'),
    annotate: canAnnotate(access),
    annotateShared: canAnnotateShared(access),
    eraseOthersMarks: mayEraseOthersMarks(access),
    requestFloor: mayRequestFloor(access),
    castBallot: mayCastBallot(access),
  };
}
