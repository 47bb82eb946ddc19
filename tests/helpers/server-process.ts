// Runs the real server as a child process on a free port, so tests can kill it with SIGKILL and
// start it again on the same DATA_DIR. It runs the compiled server as production does (plain
// `node`, scripts/build-server.mjs), built from the current source once per test process into
// .vitest-tmp/ (a second or so), so it is never stale; `{ source: true }` runs tsx server/main.ts.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

let built: string | null = null;
/** The compiled server's entry, built on first call (per test process: no other process writes there). */
export function compiledServer(): string {
  if (built) return built;
  const dir = path.join(root, '.vitest-tmp');
  // builds left by test processes that are gone (a killed worker never runs its exit handler)
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const pid = Number(/^server-build-(\d+)$/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
  const out = path.join(dir, `server-build-${process.pid}`);
  execFileSync(process.execPath, [path.join(root, 'scripts/build-server.mjs'), out], { cwd: root, stdio: 'inherit' });
  process.once('exit', () => fs.rmSync(out, { recursive: true, force: true }));
  built = path.join(out, 'server/main.js');
  return built;
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  kill: (signal?: NodeJS.Signals) => Promise<void>;
}

export async function startServer(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
  opts: {
    source?: boolean;
    nodeArgs?: string[];
    /** how long it may take to answer /api/health (several processes starting at once on a busy machine: more) */
    startTimeoutMs?: number;
  } = {},
): Promise<ServerProcess> {
  const args = [
    ...(opts.nodeArgs ?? []),
    ...(opts.source ? ['--import', 'tsx', path.join(root, 'server/main.ts')] : [compiledServer()]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      CLIENT_DIST: path.join(dataDir, 'no-client'),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr.slice(-2000)}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const kill = (signal: NodeJS.Signals = 'SIGKILL') =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return { url, child, kill };
}
