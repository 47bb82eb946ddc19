// Makes config, database, file store and the PDF worker pools available to every plugin and route.
import fp from 'fastify-plugin';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { DocumentStore } from '../services/document-store';
import { PdfWorkers } from '../pdf/pdf-workers';
import { AnnotatedExports } from '../services/annotated-export';
import { DocumentTextBackfill } from '../services/document-text';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    store: DocumentStore;
    pdfWorkers: PdfWorkers;
    exports: AnnotatedExports;
    /** extracts the page text of documents stored without it, in the background after start */
    textBackfill: DocumentTextBackfill;
  }
}

export default fp<{ config: Config; db: Db; store: DocumentStore }>(async (app, opts) => {
  app.decorate('config', opts.config);
  app.decorate('db', opts.db);
  app.decorate('store', opts.store);
  const pdfWorkers = new PdfWorkers({
    memoryMb: opts.config.pdfInspectMemoryMb, exportsMemoryMb: opts.config.exportMemoryMb,
    onError: (err) => app.log.warn({ err }, 'PDF worker pool error'),
  });
  app.decorate('pdfWorkers', pdfWorkers);
  app.decorate('exports', new AnnotatedExports(pdfWorkers, { perUser: opts.config.exportsPerUser, timeoutMs: opts.config.exportTimeoutMs }));
  const textBackfill = new DocumentTextBackfill(opts.db, opts.store, pdfWorkers,
    { timeoutMs: opts.config.pdfWebCopyTimeoutMs, maxPages: opts.config.maxPdfPages }, app.log);
  app.decorate('textBackfill', textBackfill);
  // after every plugin (the demo seed too): documents without their text get it, without delaying the start
  if (opts.config.textBackfill) app.addHook('onReady', async () => { textBackfill.start(); });
  app.addHook('onClose', async () => {
    textBackfill.stop();
    await pdfWorkers.close();
    opts.db.$client.close();
  });
}, { name: 'context' });
