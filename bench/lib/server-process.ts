// Servers under test, each in its own process: the product (the compiled server, as `npm start`
// runs it, on a fresh temp DATA_DIR seeded with the demo meeting) and the bare Socket.IO baseline.
// Also reads a process's RSS and CPU.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './clock';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** scratch space for generated files (git-ignored) */
export const TMP = path.join(ROOT, 'bench', '.tmp');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  pid: number;
  dataDir: string;
  stop: () => Promise<void>;
}

/** `--cpu-prof` for the server when BENCH_PROFILE_DIR is set (see bench/README.md). */
function profileArgs(label: string): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return [];
  // one directory per server; node names each file after pid and thread (tsx adds a loader thread)
  const out = path.resolve(dir, `${label}-${Date.now()}`);
  fs.mkdirSync(out, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${out}`];
}

async function waitHealthy(url: string, child: ChildProcess, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode})`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  throw new Error(`server at ${url} not healthy after ${ms} ms`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM'); // graceful: lets --cpu-prof write its profile
    const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await gone;
    clearTimeout(t);
  };
}

/**
 * What `npm start` sets (package.json "start", read from there so the bench runs what production
 * runs): its environment (MALLOC_MMAP_THRESHOLD_: glibc returns blocks of 1 MB and more to the
 * system when they are freed; without it each login's 16 MB scrypt buffer on libuv's threads raised
 * glibc's threshold and stayed in the process: 7 logins, +64 MB RSS) and its node options
 * (--max-semi-space-size: see README, Configuration).
 */
export function npmStart(): { env: Record<string, string>; nodeArgs: string[] } {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const m = /(?:^|&&\s*)((?:[A-Z_]+=\S+\s+)*)node\s+((?:--\S+\s+)*)dist\/server\/main\.js\s*$/.exec(pkg.scripts.start);
  if (!m)
    throw new Error(`package.json "start" is not "[VAR=value ...] node [--flag ...] dist/server/main.js": ${pkg.scripts.start}`);
  const env = Object.fromEntries(
    m[1]!
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  return { env, nodeArgs: m[2]!.trim().split(/\s+/).filter(Boolean) };
}
const NPM_START = npmStart();
/** the environment `npm start` sets (both servers get it: it is about glibc, not the product) */
export const MALLOC_ENV = NPM_START.env;
/** the node options `npm start` passes to the product server */
export const PRODUCT_NODE_ARGS = NPM_START.nodeArgs;

/** Waits until no document of the database in `dataDir` is still without its text (text_state null). */
async function textBackfilled(dataDir: string, ms: number): Promise<void> {
  const { default: Database } = await import('better-sqlite3');
  const end = Date.now() + ms;
  for (;;) {
    const db = new Database(path.join(dataDir, 'hopso.db'), { readonly: true, fileMustExist: true });
    try {
      const { n } = db.prepare('select count(*) n from documents where text_state is null').get() as { n: number };
      if (n === 0) return;
    } finally {
      db.close();
    }
    if (Date.now() > end) throw new Error('the text backfill did not finish');
    await sleep(200);
  }
}

let built: string | null = null;
/** The compiled server (scripts/build-server.mjs) from the current source, built once per run into bench/.tmp. */
function productBuild(): string {
  if (built) return built;
  const out = path.join(TMP, 'server-build');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-server.mjs'), out], { cwd: ROOT, stdio: 'inherit' });
  built = path.join(out, 'server/main.js');
  return built;
}

/** One product process on `dataDir` (the compiled server under plain node), healthy. */
async function spawnProduct(dataDir: string, env: Record<string, string>, args: string[]) {
  const main = productBuild();
  const port = await freePort();
  const child = spawn(process.execPath, [...PRODUCT_NODE_ARGS, ...args, main], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT: '10000',
      ...MALLOC_ENV,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = stopper(child);
  try {
    await waitHealthy(url, child, 60_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, child, stop };
}

/**
 * The product: `node <build>/server/main.js` (plain node, as `npm start` runs it), logging warnings
 * only. The demo meeting is seeded by a first start on the same DATA_DIR, which is then stopped:
 * the server measured is one that restarted on its data, as every production server is (production
 * never seeds; the seed's one-off PDF generation would otherwise sit in the RSS figures).
 */
export async function startProductServer(
  opts: { env?: Record<string, string>; label?: string } = {},
): Promise<RunningServer & { another: (env?: Record<string, string>) => Promise<RunningServer> }> {
  const startOn = async (dir: string, env: Record<string, string>): Promise<RunningServer> => {
    const r = await spawnProduct(dir, { ...opts.env, ...env }, []);
    return { url: r.url, pid: r.child.pid ?? 0, dataDir: dir, stop: r.stop };
  };
  fs.mkdirSync(TMP, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-bench-'));
  const start = (args: string[]) => spawnProduct(dataDir, opts.env ?? {}, args);
  try {
    const seeding = await start([]);
    // as a production server has long done: the text of the demo documents is read (the backfill
    // after start) before it stops, so the measured server does not repeat that one-off pdf.js work
    await textBackfilled(dataDir, 60_000);
    await seeding.stop();
  } catch (e) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const { url, child, stop } = await start(profileArgs(opts.label ?? 'server'));
  const spawned: Array<() => Promise<void>> = [];
  return {
    /** another process on the same DATA_DIR (several processes behind one address: set REDIS_URL in env) */
    another: async (env: Record<string, string> = {}) => {
      const more = await startOn(dataDir, env);
      spawned.push(more.stop);
      return more;
    },
    url,
    pid: child.pid ?? 0,
    dataDir,
    stop: async () => {
      await Promise.all(spawned.map((f) => f()));
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The baseline: a bare Socket.IO server (bench/lib/bare-server.ts) in its own process. */
export async function startBareServer(): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', ...profileArgs('bare'), 'bench/lib/bare-server.ts', String(port)], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...MALLOC_ENV },
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = stopper(child);
  try {
    await waitHealthy(url, child, 30_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, pid: child.pid ?? 0, dataDir: '', stop };
}

const TICK = 100; // USER_HZ on Linux

/** RSS (bytes) and CPU time (ms, user + system) of a process, from /proc. */
export function processUsage(pid: number): { rss: number; cpuMs: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { rss: rssKb * 1024, cpuMs: ((utime + stime) * 1000) / TICK };
  } catch {
    return null;
  }
}
