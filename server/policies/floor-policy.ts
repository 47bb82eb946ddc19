// Who may ask for the floor (đăng ký phát biểu) and who runs the queue (one policy file per
// resource, docs/ARCHITECTURE.md). Asked by live/floor-commands.ts; sent as abilities.requestFloor.
import { can, type MeetingAccess } from './meeting-policy';

/** everyone who attends asks for the floor; observers are read-only, an administrator who is not a member is not there */
export const mayRequestFloor = (a: MeetingAccess): boolean => a.role !== null && a.role !== 'observer';

/** giving the floor and reordering the queue: the chair, who leads the meeting */
export const mayRunFloor = (a: MeetingAccess): boolean => can(a, 'controlMeeting');
