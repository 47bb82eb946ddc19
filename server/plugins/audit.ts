// Records every state-changing HTTP request (administration, uploads, minutes, accounts) in the
// audit trail with its outcome. Reads are not audited; successful meeting commands live on the
// meeting's own event log, and refused ones are recorded by the socket handlers.
import fp from 'fastify-plugin';
import { recordAuditAlone } from '../services/audit';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export default fp(
  async (app) => {
    app.addHook('onResponse', async (req, reply) => {
      if (!WRITES.has(req.method) || !req.routeOptions.url) return;
      const status = reply.statusCode;
      const params = (req.params ?? {}) as Record<string, string | undefined>;
      const route = req.routeOptions.url;
      const isLogin = route === '/api/auth/login';
      try {
        // after the response is sent (onResponse): the client never waits for it, a failure is only logged
        await recordAuditAlone(app.database, {
          actorId: req.user?.id ?? null,
          actorName:
            req.user?.username ??
            (isLogin ? String((req.body as { username?: unknown } | undefined)?.username ?? '').slice(0, 64) : null),
          action: `${req.method} ${route}`,
          meetingId: route.startsWith('/api/meetings/:id') ? (params.id ?? null) : null,
          outcome: status < 400 ? 'ok' : 'refused',
          code: status < 400 ? null : String(status),
          details: { ip: req.ip, status, ...Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'id')) },
        });
      } catch (err) {
        req.log.error({ err }, 'audit write failed');
      }
    });
  },
  { name: 'audit', dependencies: ['context', 'auth'] },
);
