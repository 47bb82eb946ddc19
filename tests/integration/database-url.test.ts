// DATABASE_URL at start (the real server as a child process): postgres://… migrates the database,
// then the start is refused with one clear line while the store is SQLite-only; any other scheme is
// refused outright; a password in the URL never reaches the output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer } from '../helpers/server-process';
import { startPostgres, type PgCluster } from '../helpers/postgres';

let cluster: PgCluster;
let dataDir: string;
beforeAll(async () => {
  cluster = await startPostgres();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-dburl-'));
});
afterAll(() => {
  cluster?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const startError = async (env: Record<string, string>) => {
  try {
    const s = await startServer(dataDir, await freePort(), env);
    await s.kill();
    return null;
  } catch (err) {
    return String(err);
  }
};

describe('DATABASE_URL', () => {
  it('postgres://: migrates, then refuses to start with a clear message (no password in it)', async () => {
    // trust authentication: the password is accepted and ignored, so it can be checked for leaks
    const url = cluster.url.replace('//hop@', '//hop:s3cret-pw@');
    const err = await startError({ DATABASE_URL: url });
    expect(err).toMatch(/server exited \(1\)/);
    expect(err).toMatch(/cannot start: DATABASE_URL selects PostgreSQL/);
    expect(err).toMatch(/Unset DATABASE_URL to use SQLite/);
    expect(err).not.toMatch(/s3cret-pw/);
    expect(err).not.toMatch(/\n\s+at /); // one line, not a stack trace
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'meeting_events'`,
      );
      expect(Number(rows[0]!.n)).toBe(1);
    } finally {
      await client.end();
    }
    // SQLite was not opened instead
    expect(fs.existsSync(path.join(dataDir, 'hopso.db'))).toBe(false);
  });

  it('another scheme is refused', async () => {
    const err = await startError({ DATABASE_URL: 'mysql://root:pw@127.0.0.1/hop' });
    expect(err).toMatch(/DATABASE_URL must be postgres:\/\//);
    expect(err).not.toMatch(/:pw@/);
  });
});
