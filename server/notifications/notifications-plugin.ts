// Wires the notification service: the e-mail outbox (polled by the scheduler's 'mail-outbox' job when
// SMTP is configured, drained on close) and the
// live push to a user's own sockets (room `notify:<userId>`, joined at connection in socket-server.ts).
import fp from 'fastify-plugin';
import { MailOutbox } from './mail-outbox';
import { NotificationService, notificationRoom, type Staged } from './notification-service';

declare module 'fastify' {
  interface FastifyInstance {
    notifications: NotificationService;
    mailOutbox: MailOutbox;
  }
}

export default fp(
  async (app) => {
    const { config } = app;
    const outbox = new MailOutbox(app.database, {
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      pollMs: config.mailPollMs,
      retryBaseMs: config.mailRetryBaseMs,
      retryMaxMs: config.mailRetryMaxMs,
      maxAttempts: config.mailMaxAttempts,
      onError: (err) => app.log.warn({ err }, 'mail outbox pass failed'),
    });
    const service = new NotificationService(app.database, outbox, {
      publicUrl: config.publicUrl,
      onError: (err) => app.log.warn({ err }, 'notification push failed'),
      push: (userId, msg) => {
        app.io.to(notificationRoom(userId)).emit('notification', msg);
      },
    });
    app.decorate('notifications', service);
    // live commands that tell people something (a substitute approved or refused) commit it with their
    // event: staged in the command's write transaction, pushed after the commit
    app.live.setNotifier({
      stage: (tx, t, notice) => service.stage(tx, t, notice),
      publish: (staged) => service.publish(staged as Staged),
    });
    app.decorate('mailOutbox', outbox);
    // no SMTP: nothing to send, no job (and nodemailer never loaded)
    if (outbox.enabled)
      app.scheduler.add({ name: 'mail-outbox', everyMs: config.mailPollMs, run: () => outbox.kick(), runAtStart: true });
    app.addHook('preClose', async () => {
      await outbox.close();
    });
  },
  { name: 'notifications', dependencies: ['context', 'realtime'] },
);
