// Who may vote, run votes, record ballots and proxies (one policy file per resource,
// docs/ARCHITECTURE.md). Asked by live/vote-commands.ts; sent as abilities castBallot and recordBallots.
import { can, type MeetingAccess } from './meeting-policy';
import { VOTING_ROLES, type MeetingRole } from '../../shared/roles';

/** a role that holds a vote in the meeting (quorum and results count these members) */
export const isVotingRole = (role: MeetingRole | null): boolean => role !== null && VOTING_ROLES.includes(role);

/** casting one's own ballot */
export const mayCastBallot = (a: MeetingAccess): boolean => isVotingRole(a.role);

/** create, open, close, discard: the chair */
export const mayRunVotes = (a: MeetingAccess): boolean => can(a, 'controlMeeting');

/** a present member's ballot, the paper tally, a proxy for another member: the chair and secretary in the room */
export const mayRecordBallots = (a: MeetingAccess): boolean => can(a, 'recordBallots');

/** giving or revoking a proxy: a voter for themself, an officer for anyone */
export const mayHandleProxy = (a: MeetingAccess): boolean => mayCastBallot(a) || mayRecordBallots(a);
