// A private PostgreSQL 15 cluster for one test file: initdb in a temp dir, its own unix socket and a
// free port on 127.0.0.1, never the machine's shared 15/main cluster. initdb refuses to run as root,
// so when the tests run as root the cluster belongs to the `postgres` user (runuser). fsync and
// synchronous_commit are off: a test cluster is thrown away, a crash test would turn them back on.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './server-process';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  /** postgres://hop@127.0.0.1:PORT/DB */
  url: string;
  port: number;
  dir: string;
  /** another empty database on the same cluster */
  createDatabase: (name: string) => string;
  /** stops the server (fast shutdown: sessions are cut), keeping its data, for outage tests */
  down: () => void;
  /** starts it again on the same port and data */
  up: () => void;
  stop: () => void;
}

export const postgresAvailable = () => fs.existsSync(path.join(BIN, 'initdb'));

const asRoot = process.getuid?.() === 0;
/** Runs a PostgreSQL binary as the cluster's owner. */
function run(bin: string, args: string[], opts: { allowFail?: boolean } = {}): string {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(BIN, bin), ...args]] : [path.join(BIN, bin), args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: os.tmpdir() });
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${bin} ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

export async function startPostgres(database = 'hop'): Promise<PgCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-pg-'));
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'hop', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-instructions']);
  const up = () =>
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
      'start',
    ]);
  up();
  const createDatabase = (name: string) => {
    run('createdb', ['-h', dir, '-p', String(port), '-U', 'hop', name]);
    return `postgres://hop@127.0.0.1:${port}/${name}`;
  };
  const url = createDatabase(database);
  let stopped = false;
  return {
    url,
    port,
    dir,
    createDatabase,
    down: () => {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
    up: () => {
      up();
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], { allowFail: true });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
