// Makes config, database, file store, the PDF worker pools and the scheduler of periodic jobs
// available to every plugin and route.
import fp from 'fastify-plugin';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { Store } from '../db/store';
import type { DocumentStore } from '../services/document-store';
import { PdfWorkers } from '../pdf/pdf-workers';
import { AnnotatedExports } from '../services/annotated-export';
import { ConfidentialCopies } from '../services/confidential-copies';
import { DocumentTextBackfill } from '../services/document-text';
import { WebCopyJobs } from '../services/web-copy-jobs';
import { Scheduler } from '../ops/scheduler';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    /** the synchronous SQLite connection of the code not yet on `database`; on PostgreSQL a stand-in that throws when used */
    db: Db;
    /** the asynchronous store (server/db/store.ts) the converted services use; on SQLite over `db` */
    database: Store;
    store: DocumentStore;
    pdfWorkers: PdfWorkers;
    exports: AnnotatedExports;
    /** members' watermarked copies of confidential documents */
    confidentialCopies: ConfidentialCopies;
    /** extracts the page text of documents stored without it, in the background after start */
    textBackfill: DocumentTextBackfill;
    /** makes big uploads' web copies in the background, resumes pending ones after start (services/web-copy-jobs.ts) */
    webCopies: WebCopyJobs;
    /** periodic jobs (server/ops/scheduler.ts): plugins add theirs; started when ready, stopped on close */
    scheduler: Scheduler;
  }
}

export default fp<{ config: Config; db: Db; database: Store; store: DocumentStore; ownsDb: boolean }>(
  async (app, opts) => {
    app.decorate('config', opts.config);
    app.decorate('db', opts.db);
    app.decorate('database', opts.database);
    app.decorate('store', opts.store);
    const pdfWorkers = new PdfWorkers({
      memoryMb: opts.config.pdfInspectMemoryMb,
      exportsMemoryMb: opts.config.exportMemoryMb,
      onError: (err) => app.log.warn({ err }, 'PDF worker pool error'),
    });
    app.decorate('pdfWorkers', pdfWorkers);
    app.decorate(
      'exports',
      new AnnotatedExports(pdfWorkers, { perUser: opts.config.exportsPerUser, timeoutMs: opts.config.exportTimeoutMs }),
    );
    app.decorate(
      'confidentialCopies',
      new ConfidentialCopies(pdfWorkers, opts.store, {
        dataDir: opts.config.dataDir,
        timeoutMs: opts.config.pdfWebCopyTimeoutMs,
      }),
    );
    const textBackfill = new DocumentTextBackfill(
      opts.database,
      opts.store,
      pdfWorkers,
      { timeoutMs: opts.config.pdfWebCopyTimeoutMs, maxPages: opts.config.maxPdfPages },
      app.log,
    );
    app.decorate('textBackfill', textBackfill);
    const webCopies = new WebCopyJobs(opts.database, opts.store, pdfWorkers, {
      timeoutMs: opts.config.pdfWebCopyTimeoutMs,
      log: app.log,
    });
    app.decorate('webCopies', webCopies);
    app.addHook('onReady', async () => {
      webCopies.start(); // the copies a stopped server left pending
    });
    const scheduler = new Scheduler(app.log);
    app.decorate('scheduler', scheduler);
    app.addHook('onReady', async () => {
      scheduler.start();
    });
    // after every plugin (the demo seed too): documents without their text get it, without delaying the start
    if (opts.config.textBackfill)
      app.addHook('onReady', async () => {
        textBackfill.start();
      });
    app.addHook('onClose', async () => {
      await scheduler.stop(); // no pass may run on a closed database
      textBackfill.stop();
      webCopies.stop();
      await pdfWorkers.close(); // ends a copy under way; it stays pending for the next start
      await webCopies.idle();
      await opts.database.close();
      if (opts.ownsDb) opts.db.$client.close();
    });
  },
  { name: 'context' },
);
