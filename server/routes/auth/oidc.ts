// OpenID Connect sign-in (docs/directory.md): two browser navigations, not API calls. /start sends
// the browser to the provider with a new state, nonce and PKCE challenge; /callback takes the answer,
// and on success sets the session cookie and goes to the app, on a refusal goes to the login page
// with `?signin_error=<CODE>` (shown in the person's language) and records the refusal in the audit
// trail ('oidc.sign-in', refused, with the code). Logout (routes/auth/auth.ts) adds the provider's
// end_session_endpoint when it has one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../errors';
import { recordAuditAlone } from '../../services/audit';
import { sessionIdOf } from '../../services/auth';
import { OIDC_LOGIN_TTL_MS, beginOidcLogin, completeOidcLogin } from '../../services/oidc-accounts';
import { SESSION_COOKIE } from '../../plugins/auth';

/** The cookie that ties a callback to the browser that started the sign-in (its sha256 keys oidc_logins). */
export const OIDC_FLOW_COOKIE = 'hop_oidc';
const FLOW_PATH = '/api/auth/oidc';

const oidcRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const oidc = app.oidc;
  const toLogin = (reply: FastifyReply, code: string) => reply.redirect(`/?signin_error=${encodeURIComponent(code)}`, 303);

  app.get(
    '/api/auth/oidc/start',
    {
      schema: { tags: ['auth'], response: { 303: Type.Null() } },
      config: { rateLimit: { max: app.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      if (!oidc) return toLogin(reply, 'NOT_FOUND');
      try {
        const { url, cookie } = await beginOidcLogin(app.database, oidc);
        reply.setCookie(OIDC_FLOW_COOKIE, cookie, {
          // lax: the provider's redirect back is a top-level GET navigation, which carries it
          httpOnly: true,
          sameSite: 'lax',
          secure: app.config.production,
          path: FLOW_PATH,
          maxAge: OIDC_LOGIN_TTL_MS / 1000,
        });
        return reply.redirect(url, 303);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        req.log.warn({ provider: 'oidc', code: err.code }, 'OIDC sign-in could not start');
        app.metrics.logins.inc({ provider: 'oidc', outcome: err.code });
        return toLogin(reply, err.code);
      }
    },
  );

  app.get(
    '/api/auth/oidc/callback',
    {
      // the provider's parameters (code, state, iss, error...) are read by openid-client from the URL
      schema: {
        tags: ['auth'],
        querystring: Type.Record(Type.String(), Type.String({ maxLength: 4096 })),
        response: { 303: Type.Null() },
      },
      config: { rateLimit: { max: app.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      if (!oidc) return toLogin(reply, 'NOT_FOUND');
      const flowCookie = req.cookies[OIDC_FLOW_COOKIE];
      reply.clearCookie(OIDC_FLOW_COOKIE, { path: FLOW_PATH });
      // only the query matters to the checks; the base is the registered redirect URL (behind a proxy
      // the request's own host and scheme may differ from what the provider redirected to)
      const callbackUrl = new URL(app.config.oidc!.redirectUrl);
      callbackUrl.search = new URL(req.url, 'http://x').search;
      let result: Awaited<ReturnType<typeof completeOidcLogin>>;
      try {
        result = await completeOidcLogin(
          app.database,
          oidc,
          flowCookie && flowCookie.length <= 100 ? flowCookie : undefined,
          callbackUrl,
          app.config.sessionTtlHours,
          req.sessionToken ?? undefined,
        );
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        app.metrics.logins.inc({ provider: 'oidc', outcome: err.code });
        await refused(req, err);
        return toLogin(reply, err.code);
      }
      const { user, token, expiresAt } = result;
      app.metrics.logins.inc({ provider: 'oidc', outcome: 'ok' });
      if (req.sessionToken) app.revocation.sessionsEnded([sessionIdOf(req.sessionToken)], 'session-ended');
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.production,
        path: '/',
        expires: expiresAt,
      });
      await recordAuditAlone(app.database, { actorId: user.id, actorName: user.fullName, action: 'oidc.sign-in', outcome: 'ok' });
      req.log.info({ userId: user.id, provider: 'oidc' }, 'login');
      return reply.redirect('/', 303);
    },
  );

  async function refused(req: FastifyRequest, err: AppError) {
    // the provider's exact complaint goes to the log and the audit trail, never to the browser
    req.log.warn({ audit: 'oidc.refused', code: err.code, reason: err.message, ip: req.ip }, 'OIDC sign-in refused');
    await recordAuditAlone(app.database, {
      action: 'oidc.sign-in',
      outcome: 'refused',
      code: err.code,
      details: { reason: err.message.slice(0, 300), ip: req.ip },
    });
  }
};
export default oidcRoutes;
