// Who may do what with a meeting's giấy mời (one policy file per resource, docs/ARCHITECTURE.md).
// Officers issue: an administrator, the meeting's chair or secretary (an organiser who created the
// meeting holds one of those roles). Every member reads the issued versions; replies and the
// substitute's approval are live commands (server/live/invitation-commands.ts).
import { isOfficer as officer, type MeetingAccess } from './meeting-policy';

export type InvitationAction = 'issue' | 'read' | 'readReplies';

const RULES: Record<InvitationAction, (a: MeetingAccess) => boolean> = {
  issue: officer,
  read: () => true,
  // every member's reply and reason, expected attendance and quorum
  readReplies: officer,
};

export const canInvitation = (a: MeetingAccess, action: InvitationAction): boolean => RULES[action](a);
