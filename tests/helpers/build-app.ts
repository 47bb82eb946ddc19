// Builds the real app on a real SQLite file in a fresh temp dir. `listen: true` opens an
// ephemeral port for socket and browser tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { buildApp, type App } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { databaseFromTemplate, PG_TEMPLATES, testDbIsPg } from './test-db';

export interface TestApp {
  app: App;
  config: Config;
  dataDir: string;
  /** http://127.0.0.1:port when listening */
  url: string;
  close: () => Promise<void>;
}

export async function buildTestApp(
  opts: { seed?: boolean; listen?: boolean; config?: Partial<Config>; dataDir?: string } = {},
): Promise<TestApp> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-test-'));
  // the demo seeded once per run (tests/helpers/demo-template.ts), copied: the seed then finds a
  // non-empty database and does nothing
  const template = opts.dataDir || opts.seed === false ? undefined : demoTemplate();
  if (template) fs.cpSync(template, dataDir, { recursive: true });
  // TEST_DB=pg: a database of its own, copied from the run's demo (or empty) template
  // (a test that restarts on its own DATA_DIR gets the same database again: one per DATA_DIR)
  const pgDb =
    testDbIsPg() && !opts.config?.databaseUrl && pgClusterAvailable()
      ? await pgDatabaseFor(dataDir, !!opts.dataDir, !!template)
      : undefined;
  const config = loadConfig(
    { NODE_ENV: 'test' },
    {
      dataDir,
      seedDemo: opts.seed ?? true,
      logLevel: 'silent',
      loginRateLimitPerMinute: 1000,
      ...(pgDb ? { databaseUrl: pgDb.url } : {}),
      ...opts.config,
    },
  );
  const app = await buildApp(config, { logger: false });
  let url = '';
  if (opts.listen) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  } else {
    await app.ready();
  }
  return {
    app,
    config,
    dataDir,
    url,
    close: async () => {
      await app.close();
      await pgDb?.drop();
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The seeded template DATA_DIR when running under vitest with the global setup; else undefined. */
function demoTemplate(): string | undefined {
  try {
    const dir = inject('demoDataDir');
    return dir && fs.existsSync(dir) ? dir : undefined;
  } catch {
    return undefined; // outside vitest (scripts/screenshots.ts): seed in place
  }
}

/** Under vitest with TEST_DB=pg, the global setup's cluster is there. */
function pgClusterAvailable(): boolean {
  try {
    return !!inject('pgClusterUrl');
  } catch {
    return false;
  }
}

const pgByDataDir = new Map<string, { url: string; drop: () => Promise<void> }>();

/**
 * The PostgreSQL database of a test app: copied from the demo (or empty) template, one per DATA_DIR.
 * A second app on the same DATA_DIR (a restart, or "two processes on one database") gets the same
 * database. A DATA_DIR the test owns keeps its database for the run (the cluster goes at the end);
 * one made here is dropped when the app that made it closes.
 */
async function pgDatabaseFor(dataDir: string, ownedByTest: boolean, seeded: boolean) {
  const known = pgByDataDir.get(dataDir);
  if (known) return { url: known.url, drop: async () => {} };
  const db = await databaseFromTemplate(seeded ? PG_TEMPLATES.demo : PG_TEMPLATES.empty);
  pgByDataDir.set(dataDir, db);
  if (ownedByTest) return { url: db.url, drop: async () => {} };
  return {
    url: db.url,
    drop: async () => {
      pgByDataDir.delete(dataDir);
      await db.drop();
    },
  };
}
