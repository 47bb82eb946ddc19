// Administrators see who is being slowed at login and lift a counter (a forgotten password typed
// too often from the meeting room's address, say). Lifting is audited with the key it lifted.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorResponse } from '../../../shared/api';
import { LoginThrottleList, LoginThrottleParams } from '../../../shared/admin-api';
import { currentUser } from '../../plugins/auth';
import { AppError } from '../../errors';
import { liftThrottle, listThrottles } from '../../services/login-throttle';
import { recordAuditAlone } from '../../services/audit';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

const loginThrottleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/admin/login-throttles',
    {
      schema: {
        tags: ['admin'],
        summary: 'Login throttles now counting or slowing (administrators only)',
        response: { 200: LoginThrottleList, ...errors },
      },
    },
    async (req) => {
      if (!currentUser(req).isAdmin) throw new AppError('FORBIDDEN', 'Only an administrator sees login throttles');
      const rows = await listThrottles(app.database);
      return {
        throttles: rows.flatMap((r) =>
          r.kind === 'trusted'
            ? []
            : [
                {
                  key: r.key,
                  kind: r.kind,
                  account: r.account,
                  source: r.source,
                  failures: r.failures,
                  blockedUntil: r.blockedUntil,
                  expiresAt: r.expiresAt,
                },
              ],
        ),
      };
    },
  );

  app.delete(
    '/api/admin/login-throttles/:key',
    {
      schema: {
        tags: ['admin'],
        summary: 'Lift one login throttle (administrators only)',
        params: LoginThrottleParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      const admin = currentUser(req);
      if (!admin.isAdmin) throw new AppError('FORBIDDEN', 'Only an administrator lifts login throttles');
      const row = await liftThrottle(app.database, req.params.key);
      await recordAuditAlone(app.database, {
        actorId: admin.id,
        actorName: admin.username,
        action: 'login-throttle.lift',
        outcome: 'ok',
        details: { key: row.key, kind: row.kind, account: row.account, source: row.source, failures: row.failures },
      });
      return reply.status(204).send(null);
    },
  );
};
export default loginThrottleRoutes;
