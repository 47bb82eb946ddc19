// Makes the search engine available as `app.searchEngine`, and keeps the index in step soon after every
// HTTP write (the triggers queued the change in its transaction; indexing it here, after the reply,
// spares the next search the work). A live command (minutes text) is indexed by the next search.
import fp from 'fastify-plugin';
import type { SearchEngine } from './search-engine';
import { SqliteSearch } from './sqlite-fts';

declare module 'fastify' {
  interface FastifyInstance {
    searchEngine: SearchEngine;
  }
}

export default fp(
  async (app) => {
    const engine = new SqliteSearch(app.db);
    app.decorate('searchEngine', engine);
    let closing = false;
    app.addHook('onClose', async () => {
      closing = true;
    });
    app.addHook('onResponse', async (req, reply) => {
      if (req.method === 'GET' || req.method === 'HEAD' || reply.statusCode >= 400) return;
      setImmediate(() => {
        if (closing || !app.db.$client.open) return;
        try {
          engine.sync();
        } catch (err) {
          // the queue stays as it was: the next search indexes it
          app.log.warn({ err }, 'search index sync after a write failed');
        }
      });
    });
  },
  { name: 'search', dependencies: ['context'] },
);
