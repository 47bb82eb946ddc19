// vitest globalSetup: seeds the demo once (accounts with hashed passwords, the meeting, generated
// PDFs, the internal CA's keys: about 4 s of CPU) into a template DATA_DIR; buildTestApp copies it
// into each test's own temp dir instead of seeding again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildTestApp } from './build-app';
import { startPostgres } from './postgres';
import { createEmptyDatabase, PG_TEMPLATES, testDbIsPg } from './test-db';
import { openPg } from '../../server/db/client-pg';

declare module 'vitest' {
  export interface ProvidedContext {
    /** a seeded DATA_DIR to copy (never to open in place) */
    demoDataDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-demo-template-'));
  // TEST_DB=pg: one cluster for the run; a migrated empty template and the seeded demo's
  let stopCluster = () => {};
  let databaseUrl: string | undefined;
  if (testDbIsPg()) {
    const cluster = await startPostgres('postgres_run');
    stopCluster = cluster.stop;
    const emptyUrl = await createEmptyDatabase(cluster.url, PG_TEMPLATES.empty);
    const migrated = await openPg(emptyUrl, { poolSize: 1 });
    await migrated.$client.end();
    databaseUrl = await createEmptyDatabase(cluster.url, PG_TEMPLATES.demo);
    project.provide('pgClusterUrl', cluster.url);
  }
  try {
    // closing waits for the internal CA's key files, so the copy holds whole keys
    const t = await buildTestApp({ dataDir: dir, seed: true, config: databaseUrl ? { databaseUrl } : {} });
    // the demo documents' page text (services/document-text.ts) is read in the background after start:
    // let it finish here, so a copy starts with nothing left to extract (no write racing a test's snapshot)
    await t.app.textBackfill.done;
    await t.close();
  } catch (err) {
    stopCluster(); // a failed setup gets no teardown
    throw err;
  }
  project.provide('demoDataDir', dir);
  return () => {
    fs.rmSync(dir, { recursive: true, force: true });
    stopCluster();
  };
}
