// Liveness (/api/health: the process answers) and readiness (/api/health/ready: the database
// answers and every migration this build ships is applied). A load balancer or Kubernetes sends
// traffic on ready, restarts on alive; neither needs a login, neither reveals more than a status.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { appliedMigrations, shippedMigrations } from '../ops/migrations-state';

const Ready = Type.Object({ status: Type.Literal('ready'), migrations: Type.Integer() });
const NotReady = Type.Object({
  status: Type.Literal('not-ready'),
  reason: Type.Union([Type.Literal('database-unreachable'), Type.Literal('migrations-pending')]),
});

const health: FastifyPluginAsyncTypebox = async (app) => {
  const shipped = shippedMigrations(app.database.dialect);
  app.get(
    '/api/health',
    {
      schema: { tags: ['system'], response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/api/health/ready',
    {
      schema: { tags: ['system'], response: { 200: Ready, 503: NotReady } },
    },
    async (req, reply) => {
      let applied: { n: number; newest: number | null } | undefined;
      try {
        // one read on the Store: the database answers (a ping) and says what it has applied
        applied = await appliedMigrations(app.database);
      } catch (err) {
        req.log.warn({ err }, 'readiness: database unreachable');
        return reply.status(503).send({ status: 'not-ready' as const, reason: 'database-unreachable' as const });
      }
      if (!applied || applied.newest === null || applied.newest < shipped.newest) {
        return reply.status(503).send({ status: 'not-ready' as const, reason: 'migrations-pending' as const });
      }
      return { status: 'ready' as const, migrations: applied.n };
    },
  );
};
export default health;
