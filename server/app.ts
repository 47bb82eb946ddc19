// Builds the Fastify app from plugins. server/main.ts listens; tests call buildApp() directly.
import Fastify, { type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { ConfigError, configProblems, type Config } from './config';
import { openStore } from './db/open-store';
import { noSyncDb } from './db/unconverted';
import { DocumentStore } from './services/document-store';
import context from './plugins/context';
import errors from './plugins/errors';
import security from './plugins/security';
import openapi from './plugins/openapi';
import auth, { requireUser } from './plugins/auth';
import audit from './plugins/audit';
import auditRoutes from './routes/admin/audit';
import loginThrottleRoutes from './routes/admin/login-throttles';
import trustedCertificateRoutes from './routes/admin/trusted-certificates';
import adminStatusRoutes from './routes/admin/status';
import clientApp from './plugins/client-app';
import metrics from './plugins/metrics';
import directory from './directory/directory-plugin';
import health from './routes/health';
import authRoutes from './routes/auth/auth';
import oidcRoutes from './routes/auth/oidc';
import roomRoutes from './routes/room/room';
import meetingRoutes from './routes/meetings/meetings';
import userRoutes from './routes/users/users';
import memberRoutes from './routes/meetings/members';
import agendaRoutes from './routes/meetings/agenda';
import documentRoutes from './routes/documents/documents';
import circulationRoutes from './routes/documents/circulation';
import liveRoutes from './routes/meetings/live';
import annotationRoutes from './routes/documents/annotations';
import realtime from './realtime/socket-server';
import minutes from './minutes/minutes-plugin';
import minutesRoutes from './routes/meetings/minutes';
import countingReportRoutes from './routes/meetings/counting-report';
import opinionRoutes from './routes/opinions/opinions';
import signatureImageRoutes from './routes/me/signature-image';
import settingsRoutes from './routes/me/settings';
import deviceKeyRoutes from './routes/me/device-key';
import searchPlugin from './search/search-plugin';
import searchRoutes from './routes/search/search';
import taskRoutes from './routes/tasks/tasks';
import notifications from './notifications/notifications-plugin';
import notificationRoutes from './routes/me/notifications';
import invitations from './invitations/invitations-plugin';
import invitationRoutes from './routes/meetings/invitations';
import calendarFeedRoutes from './routes/me/calendar-feed';
import weekRoutes from './routes/me/week';
import calendarFeed from './routes/calendar/feed';
import { seedDemo } from './seed/demo-seed';
import { loggerOptions } from './logger-options';

export async function buildApp(config: Config, opts: { logger?: FastifyServerOptions['logger'] } = {}) {
  const app = Fastify({
    logger: opts.logger ?? loggerOptions(config),
    bodyLimit: 1024 * 1024,
    // behind nginx every request comes from 127.0.0.1: believe its X-Forwarded-For (and only its)
    // so login limits and the audit trail see the client's address
    trustProxy: config.trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const problems = configProblems(config);
  if (problems.length) throw new ConfigError(`configuration: ${problems.join('; ')}`);
  const opened = await openStore(config);
  const { database } = opened;
  const db = opened.db ?? noSyncDb();
  const store = new DocumentStore(config.dataDir);

  await app.register(context, { config, db, database, store, ownsDb: opened.db !== null });
  await app.register(errors);
  await app.register(metrics);
  await app.register(security);
  await app.register(auth);
  await app.register(audit);
  await app.register(multipart, { limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10, parts: 20 } });
  // /api/openapi.json: the routes noted from here on, the document built on first request (plugins/openapi.ts)
  await app.register(openapi);

  await app.register(realtime);
  await app.register(directory);
  await app.register(minutes);
  await app.register(searchPlugin);
  await app.register(notifications);
  await app.register(invitations);

  await app.register(health);
  await app.register(authRoutes);
  await app.register(oidcRoutes);
  await app.register(roomRoutes);
  await app.register(calendarFeed);
  // Everything else needs a logged-in user.
  await app.register(async (api) => {
    api.addHook('onRequest', requireUser);
    await api.register(userRoutes);
    await api.register(auditRoutes);
    await api.register(loginThrottleRoutes);
    await api.register(trustedCertificateRoutes);
    await api.register(adminStatusRoutes);
    await api.register(meetingRoutes);
    await api.register(memberRoutes);
    await api.register(agendaRoutes);
    await api.register(documentRoutes);
    await api.register(circulationRoutes);
    await api.register(liveRoutes);
    await api.register(annotationRoutes);
    await api.register(minutesRoutes);
    await api.register(countingReportRoutes);
    await api.register(opinionRoutes);
    await api.register(signatureImageRoutes);
    await api.register(settingsRoutes);
    await api.register(deviceKeyRoutes);
    await api.register(searchRoutes);
    await api.register(taskRoutes);
    await api.register(notificationRoutes);
    await api.register(invitationRoutes);
    await api.register(calendarFeedRoutes);
    await api.register(weekRoutes);
  });
  await app.register(clientApp);

  if (config.seedDemo) await seedDemo(database, store, (m) => app.log.info(m));
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
