// The adapter's publishing client while Redis is down (a real redis-server, killed): a publish
// settles at once instead of waiting in node-redis's offline queue (which grows with every
// broadcast and ink batch for as long as the outage lasts, then replays them all), and publishing
// resumes by itself when Redis is back.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { dropPublishesWhileDown } from '../../server/realtime/redis-fanout';
import { startRedis, type RedisServer } from '../helpers/redis';
import { until } from '../helpers/live-client';

let redis: RedisServer;
const pub = () => createClient({ url: redis.url, socket: { reconnectStrategy: 50 } });
let raw: ReturnType<typeof pub>;
let sub: ReturnType<typeof pub>;
const got: string[] = [];

beforeAll(async () => {
  redis = await startRedis();
  raw = pub();
  sub = raw.duplicate();
  for (const c of [raw, sub]) c.on('error', () => {});
  await Promise.all([raw.connect(), sub.connect()]);
  await sub.subscribe('ch', (m) => {
    got.push(m);
  });
});
afterAll(async () => {
  raw?.destroy();
  sub?.destroy();
  await redis?.stop();
});

/** Resolves once a TCP connection to Redis's port has been refused: a round trip that proves it is down. */
const refusedRoundTrip = () =>
  new Promise<'still down'>((resolve) => {
    const c = net.connect(redis.port, '127.0.0.1');
    c.once('error', () => resolve('still down'));
    c.once('connect', () => {
      c.destroy();
      resolve('still down');
    });
  });

describe('publishing while Redis is down', () => {
  it('settles at once, and resumes when Redis is back', async () => {
    const client = dropPublishesWhileDown(raw);
    await client.publish('ch', 'before');
    await until(() => got.includes('before'));
    await redis.stop();
    await until(() => !raw.isReady);
    const during = client.publish('ch', 'during').then(() => 'settled' as const);
    expect(await Promise.race([during, refusedRoundTrip()])).toBe('settled');

    await redis.start();
    // back: a marker published after the reconnect arrives, the outage's message never does
    for (let i = 0; !got.includes(`after${i - 1}`) && i < 200; i++) {
      await client.publish('ch', `after${i}`);
      await until(() => got.includes(`after${i}`), 100).catch(() => {});
    }
    expect(got.some((m) => m.startsWith('after'))).toBe(true);
    expect(got).not.toContain('during');
  });
});
