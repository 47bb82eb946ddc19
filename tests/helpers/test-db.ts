// TEST_DB=pg: the integration suite on PostgreSQL. One private cluster per vitest run (started by
// the global setup, tests/helpers/demo-template.ts), a migrated empty template database and a
// seeded demo template; every test app gets its own database copied from one of them
// (CREATE DATABASE … TEMPLATE: a file copy, no migration or seeding per test).
import pg from 'pg';
import { inject } from 'vitest';
import { randomBytes } from 'node:crypto';

export const testDbIsPg = () => process.env.TEST_DB === 'pg';

declare module 'vitest' {
  export interface ProvidedContext {
    /** TEST_DB=pg: postgres://hop@127.0.0.1:PORT (no database) of the run's cluster */
    pgClusterUrl: string;
  }
}

/** The database names the global setup prepares. */
export const PG_TEMPLATES = { empty: 'hopso_empty', demo: 'hopso_demo' } as const;

export const withDatabase = (clusterUrl: string, name: string) => `${clusterUrl.replace(/\/[^/]*$/, '')}/${name}`;

async function admin<T>(clusterUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: withDatabase(clusterUrl, 'postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new database copied from `template`; its URL and a function dropping it. */
export async function databaseFromTemplate(
  template: string,
  clusterUrl = inject('pgClusterUrl'),
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  // names are ours (no quoting issue); TEMPLATE needs no connection to the template at that moment
  await admin(clusterUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    url: withDatabase(clusterUrl, name),
    drop: () => admin(clusterUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

export async function createEmptyDatabase(clusterUrl: string, name: string): Promise<string> {
  await admin(clusterUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  return withDatabase(clusterUrl, name);
}
