// Decorates the app with the invitation service (giấy mời: issue, versions, replies overview) and
// the calendars (.ics per meeting, personal feeds).
import fp from 'fastify-plugin';
import { Calendars } from './calendar';
import { InvitationService } from './invitation-service';

declare module 'fastify' {
  interface FastifyInstance {
    invitations: InvitationService;
    calendars: Calendars;
  }
}

export default fp(
  async (app) => {
    const { config } = app;
    app.decorate(
      'invitations',
      new InvitationService(app.database, app.store, app.live, app.signers, app.minutes.signatureImages, app.notifications, {
        defaultPlace: config.minutesPlaceName,
      }),
    );
    let domain = 'hop-so.local';
    try {
      domain = new URL(config.publicUrl).hostname || domain;
    } catch {
      /* keep the default */
    }
    app.decorate('calendars', new Calendars(app.database, { publicUrl: config.publicUrl, domain }));
  },
  { name: 'invitations', dependencies: ['context', 'realtime', 'minutes', 'notifications'] },
);
