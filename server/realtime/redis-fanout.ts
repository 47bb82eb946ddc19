// Several processes, one room (REDIS_URL): the Socket.IO Redis adapter carries every
// `io.to(room).emit` to the sockets of the other processes too (events and heads by audience,
// presence, live ink; `except` is honoured on every process). Without REDIS_URL the default
// in-memory adapter serves a single process, as before.
//
// Redis down must not stop a process serving its own sockets (DESIGN.md "Scale-out"): the adapter
// publishes without handling failures (an unhandled rejection would end the process), so the
// publishing client it gets drops publishes while Redis is not ready. Local delivery does not
// depend on Redis at all. Clients on other processes miss what was dropped and catch up by seq on
// the next event or head they receive (client/src/live/live-store.ts rejoins on a gap). The
// subscribing client keeps its offline queue and re-subscribes by itself on reconnect.
import type { FastifyBaseLogger } from 'fastify';
import type { LiveServer } from './handlers';
import { redactUrl } from '../db/open-store';

/** Servers whose adapter reaches other processes (server-side events make sense only there). */
const fannedOut = new WeakSet<object>();
export const hasOtherProcesses = (io: object) => fannedOut.has(io);

export interface RedisFanout {
  /** true while Redis accepts publishes */
  ready: () => boolean;
  close: () => Promise<void>;
}

/** The pub client as the adapter sees it: `publish` resolves to 0 (no receivers) while Redis is down. */
export function dropPublishesWhileDown<T extends { isReady: boolean; publish: (...a: never[]) => Promise<unknown> }>(
  client: T,
): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'publish') {
        return (...args: never[]) => (target.isReady ? target.publish(...args).catch(() => 0) : Promise.resolve(0));
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

export async function attachRedisFanout(
  io: LiveServer,
  url: string,
  log: FastifyBaseLogger,
  opts: { readyWaitMs?: number } = {},
): Promise<RedisFanout> {
  // loaded only with REDIS_URL: a single process never holds the Redis client (~25 MB)
  const [{ createAdapter }, { createClient }] = await Promise.all([import('@socket.io/redis-adapter'), import('redis')]);
  // reconnect forever, at most every 2 s: Redis coming back must resume the fan-out by itself
  const pub = createClient({
    url,
    socket: { reconnectStrategy: (retries) => Math.min(100 + retries * 200, 2000), connectTimeout: 2000 },
  });
  const sub = pub.duplicate();
  let down = false;
  const onError = (err: Error) => {
    if (down) return; // one line per outage, not one per retry
    down = true;
    log.warn(
      { redis: redactUrl(url), err: err.message },
      'Redis unreachable: cross-process broadcasts paused, this process keeps serving its own sockets',
    );
  };
  pub.on('error', onError);
  sub.on('error', onError);
  pub.on('ready', () => {
    if (down) log.info({ redis: redactUrl(url) }, 'Redis back: cross-process broadcasts resumed');
    down = false;
  });
  const connected = Promise.all([pub.connect(), sub.connect()]);
  connected.catch(() => {
    /* closed before connecting: close() below */
  });
  // Start without Redis if it does not answer soon (it is a fan-out, not the record), but give
  // a normal start the chance to be wired before the first client connects.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    connected,
    new Promise((r) => {
      timer = setTimeout(r, opts.readyWaitMs ?? 5000);
    }),
  ]).catch(() => {});
  clearTimeout(timer);
  if (!pub.isReady) onError(new Error('not connected at start'));
  io.adapter(createAdapter(dropPublishesWhileDown(pub), sub, { key: 'hopso' }));
  fannedOut.add(io);
  return {
    ready: () => pub.isReady && sub.isReady,
    close: async () => {
      pub.destroy();
      sub.destroy();
    },
  };
}
