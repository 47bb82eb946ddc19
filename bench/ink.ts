// 2. Live ink: 100 clients in a meeting, 10 of them drawing at once at pen rate (120 points/s),
// each sending what it sampled once per animation frame (16.7 ms) as volatile `ink.progress`.
// Point-to-screen = a point's arrival at another client − the moment it was sampled (so the
// per-frame batching wait is included, as a user would see it; painting itself is not).
// Product: the product's `ink.progress` handler (validate, rate-limit, layer check) and its relay
// (server/realtime/ink-relay.ts: each event-loop turn's batches leave as one `ink.progress` packet
// per receiver, one batch per argument). Baseline: a bare Socket.IO relay of the same batches to the same room, each batch on its
// own as volatile `ink.progress` (what a relay written in a few lines does).
// Clients are split over two processes per side (one clock across processes, bench/lib/clock.ts);
// product and baseline take turns in rounds so outside load falls on both.
import { Fleet, startMeeting } from './lib/fleet-client';
import { demoSetup } from './lib/product';
import { processUsage, startBareServer, startProductServer, type RunningServer } from './lib/server-process';
import { Histogram } from './lib/stats';
import type { BenchResult, Row } from './lib/report';
import type { BenchOptions } from './run';

const CLIENTS = 100;
const DRAWERS = 10;
const FLEETS = 2;
const PEN_RATE = 120;
const FRAME_MS = 1000 / 60;

interface Side {
  server: RunningServer;
  fleets: Fleet[];
  hist: Histogram;
  sentBatches: number;
  receivedBatches: number;
  serverCpuMs: number;
  fleetCpuMs: number;
  wallMs: number;
}

async function openSide(server: RunningServer, meetingId: string, cookies: (string | undefined)[], name: string): Promise<Side> {
  const fleets = Array.from({ length: FLEETS }, (_, i) => Fleet.start(`${name}-${i}`));
  // per fleet: the drawers (socket.io-client, they also receive) and passive raw-protocol receivers
  await Promise.all(
    fleets.map(async (f, i) => {
      const rotated = cookies.slice(i).concat(cookies.slice(0, i));
      await f.call('open', { url: server.url, cookies: rotated, n: DRAWERS / FLEETS, meetingId }, 120_000);
      await f.call('openRaw', { url: server.url, cookies: rotated, n: (CLIENTS - DRAWERS) / FLEETS, meetingId }, 120_000);
    }),
  );
  return { server, fleets, hist: new Histogram(), sentBatches: 0, receivedBatches: 0, serverCpuMs: 0, fleetCpuMs: 0, wallMs: 0 };
}

const cpuOf = (pids: number[]) => pids.reduce((a, pid) => a + (processUsage(pid)?.cpuMs ?? 0), 0);

async function round(side: Side, args: { meetingId: string; documentId: string; durationMs: number }): Promise<void> {
  const s0 = cpuOf([side.server.pid]);
  const f0 = cpuOf(side.fleets.map((f) => f.pid));
  const t0 = performance.now();
  const runs = side.fleets.map((f) =>
    f.call<{ sentBatches: number }>(
      'ink',
      {
        drawers: DRAWERS / FLEETS,
        durationMs: args.durationMs,
        pointsPerSecond: PEN_RATE,
        frameMs: FRAME_MS,
        strokeMs: 2000,
        meetingId: args.meetingId,
        documentId: args.documentId,
        page: 1,
        layer: 'shared',
        drainMs: 500,
      },
      args.durationMs + 30_000,
    ),
  );
  for (const r of await Promise.all(runs)) side.sentBatches += r.sentBatches;
  side.serverCpuMs += cpuOf([side.server.pid]) - s0;
  side.fleetCpuMs += cpuOf(side.fleets.map((f) => f.pid)) - f0;
  side.wallMs += performance.now() - t0;
  for (const f of side.fleets) {
    const r = await f.call<{ hist: ReturnType<Histogram['toSparse']>; batches: number } | null>('inkResult');
    if (r) {
      side.hist.addSparse(r.hist);
      side.receivedBatches += r.batches;
    }
  }
}

const usage = (s: Side) => ({
  points: s.hist.n,
  sentBatches: s.sentBatches,
  receivedBatches: s.receivedBatches,
  maxMs: s.hist.max,
  serverCpuPercent: (100 * s.serverCpuMs) / s.wallMs,
  clientFleetsCpuPercent: (100 * s.fleetCpuMs) / s.wallMs,
});

export async function ink(o: BenchOptions): Promise<BenchResult> {
  const rounds = o.quick ? 1 : 3;
  const durationMs = o.quick ? 2000 : 6000;
  const product = await startProductServer({ label: 'ink' });
  const bare = await startBareServer();
  const sides: Side[] = [];
  try {
    const s = await demoSetup(product.url);
    await startMeeting(product.url, s);
    // everyone who may draw on the shared layer: several sockets per account, like several devices
    const cookies = ['delegate1', 'delegate2', 'delegate3', 'delegate4', 'delegate5', 'secretary'].map((u) => s.cookies[u]);
    const p = await openSide(product, s.meetingId, cookies, 'fleet-ink-product');
    sides.push(p);
    const b = await openSide(bare, s.meetingId, [undefined], 'fleet-ink-bare');
    sides.push(b);
    for (let r = 0; r < rounds; r++) {
      for (const side of r % 2 === 0 ? [p, b] : [b, p])
        await round(side, { meetingId: s.meetingId, documentId: s.documentId, durationMs });
    }
    // each batch should reach every other client of the meeting
    const expected = (side: Side) => side.sentBatches * (CLIENTS - 1);
    const rows: Row[] = [
      {
        bench: 'ink',
        metric: 'point→screen p50',
        unit: 'ms',
        project: p.hist.percentile(50),
        baseline: b.hist.percentile(50),
        target: null,
      },
      {
        bench: 'ink',
        metric: 'point→screen p95',
        unit: 'ms',
        project: p.hist.percentile(95),
        baseline: b.hist.percentile(95),
        target: { limit: 1.15, direction: 'max' },
      },
      {
        bench: 'ink',
        metric: 'point→screen p95 (abs)',
        unit: 'ms',
        project: p.hist.percentile(95),
        baseline: null,
        target: { limit: 33, direction: 'max', absolute: true },
      },
      {
        bench: 'ink',
        metric: 'point→screen p99',
        unit: 'ms',
        project: p.hist.percentile(99),
        baseline: b.hist.percentile(99),
        target: null,
      },
      {
        bench: 'ink',
        metric: 'batches delivered',
        unit: '%',
        project: (100 * p.receivedBatches) / Math.max(1, expected(p)),
        baseline: (100 * b.receivedBatches) / Math.max(1, expected(b)),
        target: null,
        note: 'volatile: may drop under load',
      },
    ];
    o.log(`  ink usage: ${JSON.stringify({ product: usage(p), bare: usage(b) })}`);
    o.log(
      `  ink: product p95 ${p.hist.percentile(95).toFixed(2)} ms (${p.hist.n} points), bare p95 ${b.hist.percentile(95).toFixed(2)} ms (${b.hist.n} points)`,
    );
    return {
      name: 'ink',
      rows,
      extra: {
        clients: CLIENTS,
        drawers: DRAWERS,
        penRate: PEN_RATE,
        frameMs: FRAME_MS,
        rounds,
        durationMs,
        product: usage(p),
        bare: usage(b),
      },
    };
  } finally {
    for (const side of sides) await Promise.all(side.fleets.map((f) => f.stop()));
    await product.stop();
    await bare.stop();
  }
}
