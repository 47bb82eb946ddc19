// Makes config, database and file store available to every plugin and route.
import fp from 'fastify-plugin';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { DocumentStore } from '../services/document-store';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    store: DocumentStore;
  }
}

export default fp<{ config: Config; db: Db; store: DocumentStore }>(async (app, opts) => {
  app.decorate('config', opts.config);
  app.decorate('db', opts.db);
  app.decorate('store', opts.store);
  app.addHook('onClose', async () => {
    opts.db.$client.close();
  });
}, { name: 'context' });
