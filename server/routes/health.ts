// Liveness (/api/health: the process answers) and readiness (/api/health/ready: the database
// answers and every migration this build ships is applied). A load balancer or Kubernetes sends
// traffic on ready, restarts on alive; neither needs a login, neither reveals more than a status.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { sql } from 'drizzle-orm';
import { migrationsFolder } from '../locate';

const Ready = Type.Object({ status: Type.Literal('ready'), migrations: Type.Integer() });
const NotReady = Type.Object({
  status: Type.Literal('not-ready'),
  reason: Type.Union([Type.Literal('database-unreachable'), Type.Literal('migrations-pending')]),
});

/** The newest migration this build ships (drizzle records its `when` as created_at when applied). */
function newestShippedMigration(): { count: number; when: number } {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { when: number }[];
  };
  return { count: journal.entries.length, when: Math.max(...journal.entries.map((e) => e.when)) };
}

const health: FastifyPluginAsyncTypebox = async (app) => {
  const shipped = newestShippedMigration();
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
        applied = app.db.get<{ n: number; newest: number | null }>(
          sql`select count(*) as n, max(created_at) as newest from __drizzle_migrations`,
        );
      } catch (err) {
        req.log.warn({ err }, 'readiness: database unreachable');
        return reply.status(503).send({ status: 'not-ready' as const, reason: 'database-unreachable' as const });
      }
      if (!applied || applied.newest === null || Number(applied.newest) < shipped.when) {
        return reply.status(503).send({ status: 'not-ready' as const, reason: 'migrations-pending' as const });
      }
      return { status: 'ready' as const, migrations: applied.n };
    },
  );
};
export default health;
