// Several processes started at once on one fresh PostgreSQL database (systemd starts every instance
// together, docs/deployment.md): each must come up — the migrations and the search layout
// (installPgSearch) are made by one and found done by the others, whatever the order — and they serve
// the same data. Several rounds, each on a new empty database, since a race shows only in some orders.
// (Every process seeding the demo at once is not a deployment's case: SEED_DEMO is off in production.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type ServerProcess } from '../helpers/server-process';
import { postgresAvailable, startPostgres, type PgCluster } from '../helpers/postgres';
import { api, httpLogin } from '../helpers/live-client';

const ROUNDS = Number(process.env.PG_START_ROUNDS ?? 2);
const PROCESSES = 3;
/** a stuck start (a lock never released) fails; a slow one on the shared machine does not */
const START = { startTimeoutMs: 120_000 };

let cluster: PgCluster;
const dirs: string[] = [];

describe.skipIf(!postgresAvailable())('processes started together on one fresh PostgreSQL database', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);

  afterAll(() => {
    cluster?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it(`${ROUNDS} rounds of ${PROCESSES} processes at once: every one starts and they share one database`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const url = cluster.createDatabase(`fresh${round}`);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-pg-start-'));
      dirs.push(dataDir);
      const ports = await Promise.all(Array.from({ length: PROCESSES }, () => freePort()));
      const env = { DATABASE_URL: url, SEED_DEMO: '0' };
      // even rounds: all at once on the empty database, as systemd starts a deployment's instances
      // (docs/deployment.md; no demo seed in production); odd rounds: one migrates and seeds, then the
      // others start together while it indexes the seed (tests/integration/multi-process.test.ts's order)
      const seeded = round % 2 === 1;
      const first = seeded ? await Promise.allSettled([startServer(dataDir, ports[0]!, { ...env, SEED_DEMO: '1' }, START)]) : [];
      const started = [
        ...first,
        ...(await Promise.allSettled(ports.slice(first.length).map((p) => startServer(dataDir, p, env, START)))),
      ];
      const servers = started.filter((s): s is PromiseFulfilledResult<ServerProcess> => s.status === 'fulfilled');
      try {
        const failures = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
        expect(failures, `round ${round}`).toEqual([]);
        if (!seeded) continue;
        // one database: a login on each process sees the one seeded chair, and the same meetings
        const lists = await Promise.all(
          servers.map(async ({ value }) => {
            const cookie = await httpLogin(value.url, 'chair');
            const r = await api<{ id: string }[]>(value.url, cookie, 'GET', '/api/meetings');
            expect(r.status).toBe(200);
            return r.json.map((m) => m.id).sort();
          }),
        );
        expect(lists[0]!.length).toBeGreaterThan(0);
        for (const l of lists) expect(l).toEqual(lists[0]);
      } finally {
        await Promise.all(servers.map((s) => s.value.kill('SIGTERM')));
      }
    }
  }, 900_000);
});
