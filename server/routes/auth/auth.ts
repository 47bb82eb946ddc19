import { PROTOCOL_VERSION } from '../../../shared/events';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  AuthProvidersSchema,
  ErrorResponse,
  LoginBody,
  LogoutResponseSchema,
  UserSchema,
  VersionSchema,
} from '../../../shared/api';
import { oidcIdTokenOf } from '../../services/oidc-accounts';
import { ldapLogin } from '../../services/directory-accounts';
import { login, logout, sessionIdOf } from '../../services/auth';
import { normaliseAccount } from '../../services/login-throttle';
import { AppError } from '../../errors';
import { toUser } from '../../services/users';
import { SESSION_COOKIE, currentUser, requireUser } from '../../plugins/auth';

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        body: LoginBody,
        response: {
          200: Type.Object({ user: UserSchema }),
          400: ErrorResponse,
          401: ErrorResponse,
          409: ErrorResponse,
          429: ErrorResponse,
          503: ErrorResponse,
        },
      },
      config: {
        // A coarse per-process flood guard per client and (normalised) username; the rule that holds
        // across processes and parallel requests is services/login-throttle.ts, in the database.
        rateLimit: {
          max: app.config.loginRateLimitPerMinute,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (req) =>
            `${req.ip}|${normaliseAccount(String((req.body as { username?: unknown } | undefined)?.username ?? ''))}`,
        },
      },
    },
    async (req, reply) => {
      let result: Awaited<ReturnType<typeof login>>;
      const provider = req.body.provider ?? 'local';
      try {
        if (provider === 'ldap') {
          if (!app.directory) throw new AppError('INVALID', 'No directory is configured; sign in with a local account');
          result = await ldapLogin(
            app.database,
            app.directory,
            req.body.username,
            req.body.password,
            app.config.sessionTtlHours,
            req.sessionToken ?? undefined,
            req.ip,
          );
        } else {
          result = await login(
            app.database,
            req.body.username,
            req.body.password,
            app.config.sessionTtlHours,
            req.sessionToken ?? undefined,
            req.ip,
          );
        }
      } catch (err) {
        app.metrics.logins.inc({ provider, outcome: err instanceof AppError ? err.code : 'error' });
        if (err instanceof AppError && err.code === 'LOGIN_THROTTLED') {
          reply.header('retry-after', String((err.details as { retryAfterSeconds: number }).retryAfterSeconds));
        }
        if (err instanceof AppError && err.code === 'DIRECTORY_UNAVAILABLE')
          req.log.warn({ provider }, 'directory unavailable at sign-in');
        throw err;
      }
      app.metrics.logins.inc({ provider, outcome: 'ok' });
      const { user, token, expiresAt } = result;
      // the session this login replaced is gone: its sockets too
      if (req.sessionToken) app.revocation.sessionsEnded([sessionIdOf(req.sessionToken)], 'session-ended');
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.production,
        path: '/',
        expires: expiresAt,
      });
      req.log.info({ userId: user.id, provider }, 'login');
      return { user: toUser(user) };
    },
  );

  // 204; or 200 {endSessionUrl} for a session opened through an OIDC provider that advertises an
  // end_session_endpoint: the client then goes there (RP-initiated logout) so the provider's own
  // session ends too. The app session is gone either way, whatever the provider does.
  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], response: { 200: LogoutResponseSchema, 204: Type.Null() } } },
    async (req, reply) => {
      let endSessionUrl: string | null = null;
      if (req.sessionToken) {
        const sessionId = sessionIdOf(req.sessionToken);
        const token = req.sessionToken;
        const idToken =
          app.oidc && req.user?.authSource === 'oidc' ? await app.database.read((q, t) => oidcIdTokenOf(q, t, sessionId)) : null;
        await app.database.write(`user:${req.user?.id ?? sessionId}`, (tx, t) => logout(tx, t, token));
        app.revocation.sessionsEnded([sessionId], 'logged-out');
        if (app.oidc && req.user?.authSource === 'oidc') {
          // the provider being down must not keep anyone signed in here: the app logout stands without it
          endSessionUrl = await app.oidc
            .endSessionUrl(idToken, `${app.config.publicUrl.replace(/\/$/, '')}/`)
            .catch((err: unknown) => {
              req.log.warn({ err }, 'OIDC end_session URL unavailable');
              return null;
            });
        }
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      if (endSessionUrl) return reply.status(200).send({ endSessionUrl });
      return reply.status(204).send(null);
    },
  );

  // what the login page offers: no addresses, no names of groups, nothing a stranger could use
  app.get(
    '/api/auth/providers',
    {
      schema: { tags: ['auth'], response: { 200: AuthProvidersSchema } },
    },
    async () => ({ local: true as const, ldap: app.directory !== null, oidc: app.oidc ? { label: app.oidc.label } : null }),
  );

  // Which live protocol this server speaks (no login: the app checks it at start, even offline-first
  // from its service worker's cache, and asks the user to reload when it no longer matches)
  app.get(
    '/api/version',
    {
      schema: { tags: ['auth'], response: { 200: VersionSchema } },
    },
    async (_req, reply) => {
      void reply.header('cache-control', 'no-store');
      return { protocol: app.config.protocolVersion ?? PROTOCOL_VERSION };
    },
  );

  app.get(
    '/api/auth/me',
    {
      preHandler: requireUser,
      schema: { tags: ['auth'], response: { 200: Type.Object({ user: UserSchema }), 401: ErrorResponse } },
    },
    async (req) => ({ user: toUser(currentUser(req)) }),
  );
};
export default authRoutes;
