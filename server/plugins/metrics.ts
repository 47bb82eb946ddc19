// /metrics (Prometheus text format) and the timing hooks that feed it (server/ops/metrics.ts).
// Not public: without METRICS_TOKEN it does not exist (404); with it, only
// `Authorization: Bearer <METRICS_TOKEN>` is answered (docs/operations.md). Without a token nothing
// could ever read the figures, so nothing is recorded and prom-client (~11 MB) is not even loaded:
// the recorders are no-ops.
import { timingSafeEqual, createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import { count, inArray } from 'drizzle-orm';
import type { AppMetrics } from '../ops/metrics';
import { AppError } from '../errors';

type Labels<L extends string> = Partial<Record<L, string | number>>;
/** What the server records (AppMetrics, or no-ops without METRICS_TOKEN). */
export interface MetricsRecorder {
  httpDuration: { observe(labels: Labels<'method' | 'route' | 'status_code'>, seconds: number): void };
  commandDuration: { observe(labels: Labels<'type' | 'outcome'>, seconds: number): void };
  uploadDuration: { observe(labels: Labels<'outcome'>, seconds: number): void };
  inspectionDuration: { observe(labels: Labels<'outcome'>, seconds: number): void };
  logins: { inc(labels: Labels<'provider' | 'outcome'>): void };
}

const ignore = { observe() {}, inc() {} };
const NOT_RECORDED: MetricsRecorder = {
  httpDuration: ignore,
  commandDuration: ignore,
  uploadDuration: ignore,
  inspectionDuration: ignore,
  logins: ignore,
};

declare module 'fastify' {
  interface FastifyInstance {
    metrics: MetricsRecorder;
  }
  interface FastifyRequest {
    startedAt: bigint;
  }
}

/** Compares digests, so neither the length nor the content of the token leaks through timing. */
const sameSecret = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

export default fp(
  async (app) => {
    app.decorateRequest('startedAt', 0n);
    const token = app.config.metricsToken;
    if (!token) {
      app.decorate('metrics', NOT_RECORDED);
      app.get('/metrics', { schema: { hide: true } }, async () => {
        throw new AppError('NOT_FOUND', 'Not found');
      });
      return;
    }
    const { AppMetrics } = await import('../ops/metrics');
    const metrics: AppMetrics = new AppMetrics({
      sockets: () => (app.hasDecorator('io') ? app.io.engine.clientsCount : 0),
      liveMeetings: async () => {
        const [row] = await app.database.read((q, t) =>
          q
            .select({ n: count() })
            .from(t.meetings)
            .where(inArray(t.meetings.status, ['running', 'paused'])),
        );
        return row?.n ?? 0;
      },
      pdfQueues: () => app.pdfWorkers.queueDepths(),
      mailOutbox: async () => {
        if (app.config.smtpUrl === undefined) return null;
        // count(): a number on both databases (a raw count(*) is a bigint string on PostgreSQL)
        const rows = await app.database.read((q, t) =>
          q
            .select({ status: t.mailOutbox.status, n: count() })
            .from(t.mailOutbox)
            .where(inArray(t.mailOutbox.status, ['pending', 'failed']))
            .groupBy(t.mailOutbox.status),
        );
        return Object.fromEntries(rows.map((r) => [r.status, r.n]));
      },
    });
    app.decorate('metrics', metrics);
    app.addHook('onRequest', async (req) => {
      req.startedAt = process.hrtime.bigint();
    });
    app.addHook('onResponse', async (req, reply) => {
      // the route's pattern (/api/meetings/:id), never the raw URL: ids would explode the series
      const route = req.routeOptions.url ?? 'unmatched';
      if (route === '/metrics') return;
      metrics.httpDuration.observe(
        { method: req.method, route, status_code: String(reply.statusCode) },
        Number(process.hrtime.bigint() - req.startedAt) / 1e9,
      );
    });

    app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!given || !sameSecret(given, token)) {
        req.log.warn({ ip: req.ip }, 'metrics scrape refused');
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new AppError('UNAUTHENTICATED', 'A metrics token is required');
      }
      reply.type(metrics.contentType);
      return metrics.text();
    });
  },
  { name: 'metrics', dependencies: ['context'] },
);
