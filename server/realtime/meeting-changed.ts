// Preparation (meeting details, members, agenda, documents) changes over REST, not through the live
// event log. So that every open meeting page (and the organiser's own sidebar while the Prepare panel
// is open) shows the change at once, a successful change sends the meeting's room a bare nudge;
// each client then re-reads the meeting with its own rights. The nudge carries nothing else.
import type { FastifyInstance } from 'fastify';
import { rooms } from '../live/visibility';

declare module 'fastify' {
  interface FastifyRequest {
    /** set by a route whose URL names something inside a meeting (a document): the meeting to nudge */
    changedMeetingId: string | null;
  }
}

/**
 * Adds the nudge to the routes of this (encapsulated) plugin: every non-GET 2xx. The meeting is the
 * `:id` of a `/api/meetings/:id…` route, or what the route put in `req.changedMeetingId` (a
 * `/api/documents/:id` route's `:id` is a document, not a meeting).
 */
export function announceMeetingChanges(app: FastifyInstance): void {
  if (!app.hasRequestDecorator('changedMeetingId')) app.decorateRequest('changedMeetingId', null);
  app.addHook('onResponse', async (req, reply) => {
    if (req.method === 'GET' || req.method === 'HEAD' || reply.statusCode >= 300) return;
    const param = (req.params as { id?: unknown } | undefined)?.id;
    const meetingId =
      req.changedMeetingId ?? (req.routeOptions.url?.startsWith('/api/meetings/:id') && typeof param === 'string' ? param : null);
    if (meetingId === null || !app.hasDecorator('io')) return;
    app.io.to(rooms.meeting(meetingId)).emit('meeting.changed', { meetingId });
  });
}
