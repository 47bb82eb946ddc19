// Makes the search engine of the store (`app.database`: SQLite FTS5, or PostgreSQL full-text search)
// available as `app.searchEngine`, and keeps the index in step soon after every HTTP write (the
// triggers queued the change in its transaction; indexing it here, after the reply, spares the next
// search the work). A live command (minutes text) is indexed by the next search.
import fp from 'fastify-plugin';
import type { SearchEngine } from './search-engine';
import { openSearchEngine } from './open-search';

declare module 'fastify' {
  interface FastifyInstance {
    searchEngine: SearchEngine;
  }
}

export default fp(
  async (app) => {
    const engine = await openSearchEngine(app.database);
    app.decorate('searchEngine', engine);
    let closing = false;
    // one sync at a time; a write during it asks for one more pass after it
    let running: Promise<void> | null = null;
    let again = false;
    const kick = () => {
      if (running) {
        again = true;
        return;
      }
      running = (async () => {
        do {
          again = false;
          await engine.sync();
        } while (again && !closing);
      })()
        .catch((err: unknown) => {
          // the queue stays as it was: the next search indexes it
          if (!closing) app.log.warn({ err }, 'search index sync after a write failed');
        })
        .finally(() => {
          running = null;
        });
    };
    app.addHook('onClose', async () => {
      closing = true;
      await running; // the store must not close under it
    });
    app.addHook('onResponse', async (req, reply) => {
      if (req.method === 'GET' || req.method === 'HEAD' || reply.statusCode >= 400) return;
      setImmediate(() => {
        if (!closing) kick();
      });
    });
  },
  { name: 'search', dependencies: ['context'] },
);
