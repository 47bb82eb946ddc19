// Meeting control: start / pause / resume / end, open an item, show a document, turn its page,
// name the presenter. The chair leads; the named presenter may show documents and turn pages.
import { eq } from 'drizzle-orm';
import type { Query, Tables } from '../db/store';
import { AppError } from '../errors';
import { can, canPresent } from '../policies/meeting-policy';
import type { MeetingState } from '../../shared/meeting-state';
import type { MeetingStatus } from '../../shared/roles';
import type { CommandDefinition } from './commands';
import { requireAgendaItem, requireMember, requireShowableDocument } from './references';
import { documentAllowed } from './hot-reads';

const conflict = (message: string) => new AppError('CONFLICT', message);

function requireStatus(state: MeetingState, allowed: MeetingStatus[], what: string) {
  if (!allowed.includes(state.status)) throw conflict(`Cannot ${what}: the meeting is ${state.status}`);
}

/** meetings.status mirrors the log so lists and the REST API show it without replaying. */
const setStatus = (status: MeetingStatus) => async (tx: Query, t: Tables, meetingId: string, _p: unknown, at: string) => {
  await tx.update(t.meetings).set({ status, updatedAt: at }).where(eq(t.meetings.id, meetingId));
};

const chairOnly = (a: Parameters<typeof can>[0]) => can(a, 'controlMeeting');
const LIVE: MeetingStatus[] = ['running', 'paused'];

export const meetingControlCommands: {
  'meeting.start': CommandDefinition<'meeting.start'>;
  'meeting.pause': CommandDefinition<'meeting.pause'>;
  'meeting.resume': CommandDefinition<'meeting.resume'>;
  'meeting.end': CommandDefinition<'meeting.end'>;
  'agenda.open': CommandDefinition<'agenda.open'>;
  'document.show': CommandDefinition<'document.show'>;
  'page.set': CommandDefinition<'page.set'>;
  'presenter.set': CommandDefinition<'presenter.set'>;
} = {
  'meeting.start': {
    authorize: chairOnly,
    decide: ({ state }) => {
      requireStatus(state, ['scheduled'], 'start');
      return {};
    },
    alsoInTx: setStatus('running'),
  },
  'meeting.pause': {
    authorize: chairOnly,
    decide: ({ state }) => {
      requireStatus(state, ['running'], 'pause');
      return {};
    },
    alsoInTx: setStatus('paused'),
  },
  'meeting.resume': {
    authorize: chairOnly,
    decide: ({ state }) => {
      requireStatus(state, ['paused'], 'resume');
      return {};
    },
    alsoInTx: setStatus('running'),
  },
  'meeting.end': {
    authorize: chairOnly,
    decide: ({ state }) => {
      requireStatus(state, LIVE, 'end');
      return {};
    },
    alsoInTx: setStatus('ended'),
  },
  'agenda.open': {
    authorize: chairOnly,
    decide: async ({ q, t, meetingId, state, payload }) => {
      requireStatus(state, LIVE, 'open an item');
      await requireAgendaItem(q, t, meetingId, payload.itemId);
      return { itemId: payload.itemId };
    },
  },
  'document.show': {
    authorize: (a, s) => canPresent(a, s.presenterId),
    decide: async ({ q, t, meetingId, state, payload, access }) => {
      requireStatus(state, LIVE, 'show a document');
      // a presenter who is not an officer cannot show (nor learn of) a draft (policies/document-policy.ts);
      // an officer is told it is a draft (DOCUMENT_DRAFT): members could not open it
      await documentAllowed(q, t, access, payload.documentId, 'read');
      await requireShowableDocument(q, t, meetingId, payload.documentId);
      return { documentId: payload.documentId };
    },
  },
  'page.set': {
    authorize: (a, s) => canPresent(a, s.presenterId),
    decide: async ({ q, t, meetingId, state, payload, access }) => {
      requireStatus(state, LIVE, 'turn the page');
      // a presenter who is not an officer cannot show (nor learn of) a draft (policies/document-policy.ts);
      // an officer is told it is a draft (DOCUMENT_DRAFT): members could not open it
      await documentAllowed(q, t, access, payload.documentId, 'read');
      const doc = await requireShowableDocument(q, t, meetingId, payload.documentId);
      if (payload.page > doc.pageCount)
        throw new AppError('INVALID', `Page ${payload.page} is past the end (${doc.pageCount} pages)`);
      return payload.view
        ? { documentId: payload.documentId, page: payload.page, view: payload.view }
        : { documentId: payload.documentId, page: payload.page };
    },
  },
  'presenter.set': {
    authorize: chairOnly,
    decide: async ({ q, t, meetingId, state, payload }) => {
      requireStatus(state, LIVE, 'hand over');
      if (payload.userId !== null) {
        const role = await requireMember(q, t, meetingId, payload.userId);
        if (role === 'observer') throw new AppError('INVALID', 'An observer cannot present');
      }
      return { userId: payload.userId };
    },
  },
};
