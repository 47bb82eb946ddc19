// A child process (its own event loop) driven over IPC: the parent calls named handlers and awaits
// their results. Every call is bounded in time; a crashed child fails every pending call.
import { fork, type ChildProcess } from 'node:child_process';

interface Request {
  id: number;
  cmd: string;
  args: unknown;
}
interface Response {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export class ChildRpc {
  private seq = 0;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  private exited = false;

  private constructor(
    readonly child: ChildProcess,
    readonly name: string,
  ) {
    child.on('message', (m: Response) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`${name}: ${m.error ?? 'failed'}`));
    });
    child.on('exit', (code) => {
      this.exited = true;
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`${name} exited (${code})`));
      }
      this.pending.clear();
    });
  }

  /** Forks a TypeScript module (run through tsx) that calls `serveRpc`. */
  static start(modulePath: string, name: string, args: string[] = [], execArgv: string[] = []): ChildRpc {
    const child = fork(modulePath, args, {
      execArgv: ['--import', 'tsx', ...execArgv],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new ChildRpc(child, name);
  }

  call<T>(cmd: string, args: unknown = {}, timeoutMs = 60_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running`));
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.send({ id, cmd, args } satisfies Request);
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  }
}

/** In the child: answers the parent's calls with these handlers. */
export function serveRpc(handlers: Record<string, (args: never) => unknown>): void {
  process.on('message', (m: Request) => {
    const h = handlers[m.cmd];
    Promise.resolve()
      .then(() => {
        if (!h) throw new Error(`unknown command ${m.cmd}`);
        return h(m.args as never);
      })
      .then(
        (result) => process.send?.({ id: m.id, ok: true, result } satisfies Response),
        (err: unknown) =>
          process.send?.({
            id: m.id,
            ok: false,
            error: err instanceof Error ? (err.stack ?? err.message) : String(err),
          } satisfies Response),
      );
  });
  process.on('disconnect', () => process.exit(0));
}
