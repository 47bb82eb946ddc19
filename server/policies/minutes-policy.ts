// Who may do what with a meeting's biên bản (one policy file per resource, docs/ARCHITECTURE.md).
// Pure: (the caller's standing, the minutes' status) → yes/no. Asked by live/minutes-commands.ts
// and minutes/minutes-service.ts; sent to the client as the draft's `can` (minutesAbilities).
//   - the secretary writes every field while the minutes are a draft; the chair writes conclusions
//     (the chair states them, the secretary records them: docs/design-notes.md, Roles);
//   - the officers (admin, chair, secretary) preview the PDF;
//   - the secretary finalises (after the meeting ended) and opens a corrected version;
//   - the secretary signs first, then the chair.
import { isOfficer, type MeetingAccess } from './meeting-policy';
import type { MinutesField, MinutesStatus } from '../../shared/minutes-draft';

const CHAIR_FIELDS: ReadonlySet<MinutesField> = new Set<MinutesField>(['conclusion', 'conclusions']);

const isSecretary = (a: MeetingAccess): boolean => a.role === 'secretary';

/** whether the caller writes the minutes at all (minutes.update): the secretary, or the chair */
export const mayWriteMinutes = (a: MeetingAccess): boolean => a.role === 'secretary' || a.role === 'chair';

/** whether the caller writes this field (the chair: conclusions only) */
export const mayWriteMinutesField = (a: MeetingAccess, field: MinutesField): boolean =>
  isSecretary(a) || (a.role === 'chair' && CHAIR_FIELDS.has(field));

export const mayPreviewMinutes = (a: MeetingAccess): boolean => isOfficer(a);
export const mayFinalizeMinutes = (a: MeetingAccess): boolean => isSecretary(a);
export const mayReviseMinutes = (a: MeetingAccess): boolean => isSecretary(a);

/** the role the caller signs the minutes in, or null: only the secretary and the chair of this meeting sign */
export const minutesSignerRole = (a: MeetingAccess): 'secretary' | 'chair' | null =>
  a.role === 'secretary' ? 'secretary' : a.role === 'chair' ? 'chair' : null;

/** What the minutes panel offers the caller now (MinutesDraftView.can). */
export function minutesAbilities(a: MeetingAccess, status: MinutesStatus, meetingEnded: boolean) {
  const draft = status === 'draft';
  const signer = minutesSignerRole(a);
  return {
    edit: isSecretary(a) && draft,
    editConclusions: mayWriteMinutes(a) && draft,
    preview: mayPreviewMinutes(a),
    finalize: mayFinalizeMinutes(a) && draft && meetingEnded,
    sign: (signer === 'secretary' && status === 'final') || (signer === 'chair' && status === 'signed_secretary'),
    revise: mayReviseMinutes(a) && !draft,
  };
}
