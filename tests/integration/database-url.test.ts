// DATABASE_URL at start (the real compiled server as a child process): postgres://… migrates the
// database and serves from it (SQLite is not opened); a PostgreSQL that cannot be reached and any
// other scheme stop the start with one clear line; a password in the URL never reaches the output.
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

const oneLine = (err: string | null) => {
  expect(err).toMatch(/server exited \(1\)/);
  expect(err).not.toMatch(/\n\s+at /); // one line, not a stack trace
};

describe('DATABASE_URL', () => {
  it('postgres://: migrates, seeds the demo and serves from PostgreSQL; SQLite is not opened', async () => {
    // trust authentication: the password is accepted and ignored, so it can be checked for leaks
    const url = cluster.url.replace('//hop@', '//hop:s3cret-pw@');
    const server = await startServer(dataDir, await freePort(), { DATABASE_URL: url, SEED_DEMO: '1' });
    let stderr = '';
    server.child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'chair', password: 'demo1234' }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const meetings = (await (await fetch(`${server.url}/api/meetings`, { headers: { cookie } })).json()) as unknown[];
      expect(meetings.length).toBe(1);
    } finally {
      await server.kill('SIGTERM');
    }
    expect(stderr).not.toMatch(/s3cret-pw/);
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      // what the server showed came from PostgreSQL
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM users WHERE username = 'chair'`);
      expect(Number(rows[0]!.n)).toBe(1);
    } finally {
      await client.end();
    }
    expect(fs.existsSync(path.join(dataDir, 'hopso.db'))).toBe(false);
  });

  it('a PostgreSQL that cannot be reached stops the start with one line naming it (no password)', async () => {
    const port = await freePort(); // nothing listens there
    const err = await startError({ DATABASE_URL: `postgres://hop:s3cret-pw@127.0.0.1:${port}/hop` });
    oneLine(err);
    expect(err).toMatch(
      new RegExp(`cannot start: cannot open PostgreSQL at postgres://hop:\\*\\*\\*@127\\.0\\.0\\.1:${port}/hop: .*ECONNREFUSED`),
    );
    expect(err).not.toMatch(/s3cret-pw/);
  });

  it('another scheme is refused', async () => {
    const err = await startError({ DATABASE_URL: 'mysql://root:pw@127.0.0.1/hop' });
    oneLine(err);
    expect(err).toMatch(/DATABASE_URL must be postgres:\/\//);
    expect(err).not.toMatch(/:pw@/);
  });
});
