// /api/openapi.json without loading the document builder at start (issue 14 item 1: RSS at start).
// @fastify/swagger, registered before the routes, pulls its OpenAPI builder, `yaml` and the JSON
// schema resolver into every server process (~8 MB RSS measured) though the document is asked for
// only by developers and tests. Here the routes' options are only noted as they are added (the
// same onRoute note @fastify/swagger keeps); the first request for the document loads the plugin
// into a throwaway Fastify instance, replays the noted routes there (schemas, no handlers run) and
// keeps the document it builds. Same document, paid for on first use.
import fp from 'fastify-plugin';
import Fastify, { type RouteOptions } from 'fastify';

const OPENAPI = {
  openapi: {
    info: {
      title: 'Họp Số API',
      version: '0.1.0',
      description: 'Paperless meeting room: meetings, agendas, documents, live meeting log.',
    },
    components: { securitySchemes: { session: { type: 'apiKey' as const, in: 'cookie' as const, name: 'hs_session' } } },
    security: [{ session: [] }],
  },
};

/** Builds the document from the noted routes in an instance of its own (loaded on first use). */
async function buildDocument(routes: RouteOptions[]): Promise<unknown> {
  const { default: swagger } = await import('@fastify/swagger');
  const doc = Fastify({ logger: false });
  // only the document is wanted: no validator or serializer is compiled for the replayed schemas
  doc.setValidatorCompiler(() => () => true);
  doc.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await doc.register(swagger, OPENAPI);
  for (const r of routes) {
    doc.route({
      method: r.method,
      url: r.url,
      ...(r.schema ? { schema: r.schema } : {}),
      ...(r.config ? { config: r.config } : {}),
      handler: async () => null,
    });
  }
  await doc.ready();
  const document = doc.swagger();
  await doc.close();
  return document;
}

export default fp(
  async (app) => {
    const routes: RouteOptions[] = [];
    app.addHook('onRoute', (r) => {
      // HEAD routes are the GETs' automatic twins: the replay instance makes its own, as here
      if (r.method === 'HEAD') return;
      routes.push(r);
    });
    let document: Promise<unknown> | undefined;
    app.get('/api/openapi.json', { schema: { hide: true } }, async () => {
      document ??= buildDocument(routes).catch((err: unknown) => {
        document = undefined;
        throw err;
      });
      return document;
    });
  },
  { name: 'openapi' },
);
