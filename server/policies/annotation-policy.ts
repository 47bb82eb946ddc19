// Who may mark a meeting's documents, on which layer, and whose marks they may erase (one policy
// file per resource, docs/ARCHITECTURE.md). Asked by live/annotation-commands.ts and sent to the
// client as abilities (policies/abilities.ts), which shows the tools by them.
//   - anyone but an observer annotates on the private layer, in any meeting status (reading ahead);
//     an administrator who is not in the meeting manages it but does not annotate it;
//   - the shared layer: members who take part (not guests, not observers);
//   - the presenter layer: the chair or the named presenter (meeting-policy canPresent);
//   - erase: one's own marks; the chair also erases others' shared and presenter marks.
import { AppError } from '../errors';
import { can, canPresent, type MeetingAccess } from './meeting-policy';
import type { AnnotationLayer } from '../../shared/annotations';

export const canAnnotate = (a: MeetingAccess): boolean => a.role !== null && a.role !== 'observer';

export const canAnnotateShared = (a: MeetingAccess): boolean => canAnnotate(a) && a.role !== 'guest';

/** Others' shared and presenter marks (never their private ones): the chair, who leads the meeting. */
export const mayEraseOthersMarks = (a: MeetingAccess): boolean => can(a, 'controlMeeting');

/** FORBIDDEN unless the caller may draw on `layer` now (`presenterId`: the live state's presenter). */
export function layerRefusal(a: MeetingAccess, presenterId: string | null, layer: AnnotationLayer): AppError | null {
  if (layer === 'private') return null;
  if (layer === 'presenter' && !canPresent(a, presenterId))
    return new AppError('FORBIDDEN', 'Only the chair or the presenter draws on the presenter layer');
  if (layer === 'shared' && !canAnnotateShared(a)) return new AppError('FORBIDDEN', 'Guests annotate privately only');
  return null;
}
