// Preparation (meeting details, members, agenda, documents) changes over REST, not through the live
// event log. So that every open meeting page (and the organiser's own sidebar while the Prepare panel
// is open) shows the change at once, a successful change sends the meeting's room a bare nudge;
// each client then re-reads the meeting with its own rights. The nudge carries nothing else.
import type { FastifyInstance } from 'fastify';
import { rooms } from '../live/visibility';

/** Adds the nudge to the routes of this (encapsulated) plugin: every non-GET 2xx with an `:id` meeting param. */
export function announceMeetingChanges(app: FastifyInstance): void {
  app.addHook('onResponse', async (req, reply) => {
    if (req.method === 'GET' || req.method === 'HEAD' || reply.statusCode >= 300) return;
    const meetingId = (req.params as { id?: unknown } | undefined)?.id;
    if (typeof meetingId !== 'string' || !app.hasDecorator('io')) return;
    app.io.to(rooms.meeting(meetingId)).emit('meeting.changed', { meetingId });
  });
}
