// Session cookie → request.user. Routes that need a user sit behind `requireUser`.
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { userForToken } from '../services/auth';
import type { UserRow } from '../services/users';
import { AppError } from '../errors';

export const SESSION_COOKIE = 'hs_session';

declare module 'fastify' {
  interface FastifyRequest {
    user: UserRow | null;
    sessionToken: string | null;
  }
}

export async function requireUser(req: FastifyRequest, _reply: FastifyReply) {
  if (!req.user) throw new AppError('UNAUTHENTICATED', 'Please log in');
}

/** The user behind a request that passed `requireUser`. */
export function currentUser(req: FastifyRequest): UserRow {
  if (!req.user) throw new AppError('UNAUTHENTICATED', 'Please log in');
  return req.user;
}

export default fp(
  async (app) => {
    await app.register(cookie);
    app.decorateRequest('user', null);
    app.decorateRequest('sessionToken', null);
    app.addHook('onRequest', async (req) => {
      const token = req.cookies[SESSION_COOKIE];
      if (!token || token.length > 100) return;
      const user = await app.database.read((q, t) => userForToken(q, t, token));
      if (user) {
        req.user = user;
        req.sessionToken = token;
      }
    });
  },
  { name: 'auth', dependencies: ['context'] },
);
