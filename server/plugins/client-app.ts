// Serves the built client (client/dist) with an SPA fallback; API paths keep JSON 404s.
import fs from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

export default fp(
  async (app) => {
    const dist = app.config.clientDistDir;
    const hasClient = fs.existsSync(path.join(dist, 'index.html'));
    if (hasClient) {
      await app.register(fastifyStatic, {
        root: dist,
        wildcard: false,
        index: false,
        // hashed asset names never change; index.html must always be fresh
        setHeaders: (reply, file) =>
          reply.header(
            'Cache-Control',
            file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
          ),
      });
    }
    app.setNotFoundHandler((req, reply) => {
      const isApi = req.url.startsWith('/api/') || req.url.startsWith('/socket.io');
      if (!isApi && hasClient && (req.method === 'GET' || req.method === 'HEAD')) {
        return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
      }
      return reply
        .status(404)
        .send({ error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${req.url.split('?')[0]}` } });
    });
  },
  { name: 'client-app', dependencies: ['context'] },
);
