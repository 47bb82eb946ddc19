// minutes.update: the secretary writes the minutes field by field while the meeting runs and after
// it ends, until they are finalised. The chair may write conclusions too (docs/design-notes.md, Roles: the chair states
// them, the secretary records them); per-field versions keep two writers from overwriting each other.
import { AppError } from '../errors';
import { MINUTES_HEADER_MAX, fieldVersion, minutesFieldKey, parseCopies } from '../../shared/minutes-draft';
import type { CommandDefinition } from './commands';
import { mayWriteMinutes, mayWriteMinutesField } from '../policies/minutes-policy';
import { requireAgendaItem } from './references';

export const minutesCommands: {
  'minutes.update': CommandDefinition<'minutes.update'>;
} = {
  'minutes.update': {
    // who writes which field: policies/minutes-policy.ts
    authorize: mayWriteMinutes,
    decide: async ({ q, t, meetingId, state, access, payload }) => {
      if (!mayWriteMinutesField(access, payload.field)) {
        throw new AppError('FORBIDDEN', 'The chair writes conclusions; the rest of the minutes is the secretary’s');
      }
      if (state.minutes.status !== 'draft') {
        throw new AppError('MINUTES_FINALIZED', 'The minutes are finalised and read-only; open a new version to correct them');
      }
      const key = minutesFieldKey(payload);
      if (!key)
        throw new AppError(
          'INVALID',
          `${payload.field} needs ${payload.field === 'speaker' ? 'requestId' : payload.field === 'discussion' || payload.field === 'conclusion' ? 'itemId' : 'no itemId or requestId'}`,
        );
      if (payload.itemId) await requireAgendaItem(q, t, meetingId, payload.itemId);
      const text = payload.text.normalize('NFC');
      if (payload.field === 'copies' && parseCopies(text) === null)
        throw new AppError('INVALID', 'Copies must be a number from 1 to 99');
      const max =
        payload.field in MINUTES_HEADER_MAX ? MINUTES_HEADER_MAX[payload.field as keyof typeof MINUTES_HEADER_MAX] : null;
      // copies: parseCopies above is the stricter rule (it allows the spaces around " 3 ")
      if (max !== null && payload.field !== 'copies' && text.length > max)
        throw new AppError('INVALID', `${payload.field} is at most ${max} characters`);
      const current = fieldVersion(state.minutes, key);
      if (payload.baseVersion !== current) {
        throw new AppError(
          'CONFLICT',
          `This part of the minutes changed meanwhile (version ${current}, you edited version ${payload.baseVersion})`,
        );
      }
      return {
        key,
        field: payload.field,
        ...(payload.itemId ? { itemId: payload.itemId } : {}),
        ...(payload.requestId ? { requestId: payload.requestId } : {}),
        text,
        version: current + 1,
      };
    },
  },
};
