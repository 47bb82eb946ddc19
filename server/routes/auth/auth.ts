import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorResponse, LoginBody, UserSchema } from '../../../shared/api';
import { login, logout } from '../../services/auth';
import { toUser } from '../../services/users';
import { SESSION_COOKIE, currentUser, requireUser } from '../../plugins/auth';

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/auth/login', {
    schema: { tags: ['auth'], body: LoginBody, response: { 200: Type.Object({ user: UserSchema }), 401: ErrorResponse, 429: ErrorResponse } },
    config: {
      // Per client and username: a brute force on one account is slowed without locking out a
      // whole office behind one NAT address. The account lockout (services/auth) backs this up.
      rateLimit: {
        max: app.config.loginRateLimitPerMinute,
        timeWindow: '1 minute',
        hook: 'preHandler',
        keyGenerator: (req) => `${req.ip}|${String((req.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
      },
    },
  }, async (req, reply) => {
    const { user, token, expiresAt } = await login(
      app.db, req.body.username, req.body.password, app.config.sessionTtlHours, req.sessionToken ?? undefined,
    );
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true, sameSite: 'lax', secure: app.config.production, path: '/', expires: expiresAt,
    });
    req.log.info({ userId: user.id }, 'login');
    return { user: toUser(user) };
  });

  app.post('/api/auth/logout', { schema: { tags: ['auth'], response: { 204: Type.Null() } } }, async (req, reply) => {
    if (req.sessionToken) logout(app.db, req.sessionToken);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/api/auth/me', {
    preHandler: requireUser,
    schema: { tags: ['auth'], response: { 200: Type.Object({ user: UserSchema }), 401: ErrorResponse } },
  }, async (req) => ({ user: toUser(currentUser(req)) }));
};
export default authRoutes;
