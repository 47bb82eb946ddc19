// 1. Page follow: the chair turns the page; how long until each of N followers has the event.
// Product: `command page.set` → validate, authorise, append to the SQLite log, apply, broadcast
// `event` to the meeting room. Baseline: a bare Socket.IO server broadcasting the same envelope
// (same size, same event name) on `command`. Chair and followers live in one client process
// (one clock), the server in another; latency = follower's arrival − chair's send.
import { Fleet } from './lib/fleet-client';
import { demoSetup } from './lib/product';
import { startMeeting } from './lib/fleet-client';
import { processUsage, startBareServer, startProductServer, type RunningServer } from './lib/server-process';
import { sleep } from './lib/clock';
import { summarize, type Summary } from './lib/stats';
import type { BenchResult, Row } from './lib/report';
import type { BenchOptions } from './run';

interface Side {
  server: RunningServer;
  meetingId: string;
  documentId: string;
  pageCount: number;
  chair?: string;
  followerCookies: (string | undefined)[];
}

interface RunFigures {
  latency: Summary;
  delivered: number;
  expected: number;
  rssMb: number | null;
  cpuPercent: number | null;
}

/** Connects a fleet of n followers (and the chair) to one side. */
async function openSide(side: Side, n: number, name: string): Promise<Fleet> {
  const fleet = Fleet.start(name);
  try {
    await fleet.call('writers', { url: side.server.url, cookies: [side.chair], meetingId: side.meetingId });
    await fleet.call('open', { url: side.server.url, cookies: side.followerCookies, n, meetingId: side.meetingId }, 120_000);
    return fleet;
  } catch (e) {
    await fleet.stop();
    throw e;
  }
}

/** One page turn on one side; arrival − send for every follower. */
async function turn(fleet: Fleet, side: Side, i: number): Promise<(number | null)[]> {
  const page = (i % side.pageCount) + 1;
  const r = await fleet.call<{ sentAt: number; ack: { ok: boolean; seq?: number; error?: unknown } }>('command', {
    writer: 0,
    id: `follow-${i}-${Date.now()}`,
    meetingId: side.meetingId,
    type: 'page.set',
    payload: { documentId: side.documentId, page, view: { fit: 'page' } },
  });
  if (!r.ack.ok || r.ack.seq === undefined) throw new Error(`page.set refused: ${JSON.stringify(r.ack.error)}`);
  const arrivals = await fleet.call<(number | null)[]>('arrivals', { seq: r.ack.seq, timeoutMs: 10_000 });
  await fleet.call('clearArrivals');
  return arrivals.map((t) => (t === null ? null : t - r.sentAt));
}

/**
 * Both sides connected at once, turns alternating product / baseline, so load from anything else
 * on the machine falls on both alike. CPU is counted over the turns of each side's own server.
 */
async function runPair(
  product: Side,
  bare: Side,
  n: number,
  turns: number,
  intervalMs: number,
): Promise<{ product: RunFigures; bare: RunFigures }> {
  const [pf, bf] = await Promise.all([
    openSide(product, n, `fleet-follow-product-${n}`),
    openSide(bare, n, `fleet-follow-bare-${n}`),
  ]);
  try {
    const sides = [
      { side: product, fleet: pf, samples: [] as number[], delivered: 0, cpuMs: 0 },
      { side: bare, fleet: bf, samples: [] as number[], delivered: 0, cpuMs: 0 },
    ];
    const warmup = 5;
    const t0 = performance.now();
    for (let i = 0; i < warmup + turns; i++) {
      for (const s of sides) {
        const started = performance.now();
        const u0 = processUsage(s.side.server.pid);
        const lat = await turn(s.fleet, s.side, i);
        const left = intervalMs - (performance.now() - started);
        if (left > 0) await sleep(left);
        const u1 = processUsage(s.side.server.pid);
        if (i < warmup) continue;
        if (u0 && u1) s.cpuMs += u1.cpuMs - u0.cpuMs;
        for (const t of lat)
          if (t !== null) {
            s.samples.push(t);
            s.delivered++;
          }
      }
    }
    const wallPerSide = (performance.now() - t0) / 2;
    const figures = sides.map((s) => {
      const u = processUsage(s.side.server.pid);
      return {
        latency: summarize(s.samples),
        delivered: s.delivered,
        expected: n * turns,
        rssMb: u ? u.rss / 2 ** 20 : null,
        cpuPercent: (s.cpuMs / wallPerSide) * 100,
      };
    });
    return { product: figures[0]!, bare: figures[1]! };
  } finally {
    await Promise.all([pf.stop(), bf.stop()]);
  }
}

export async function pageFollow(o: BenchOptions): Promise<BenchResult> {
  const counts = o.quick ? [50, 100] : [100, 250, 500];
  const turns = o.quick ? 15 : 100;
  const intervalMs = 100;
  const product = await startProductServer({ label: 'page-follow' });
  const bare = await startBareServer();
  try {
    const s = await demoSetup(product.url);
    const followerUsers = ['delegate1', 'delegate2', 'delegate3', 'delegate4', 'delegate5', 'secretary'];
    const productSide: Side = {
      server: product,
      meetingId: s.meetingId,
      documentId: s.documentId,
      pageCount: s.pageCount,
      chair: s.cookies.chair,
      followerCookies: followerUsers.map((u) => s.cookies[u]),
    };
    const bareSide: Side = {
      server: bare,
      meetingId: s.meetingId,
      documentId: s.documentId,
      pageCount: s.pageCount,
      followerCookies: [undefined],
    };
    await startMeeting(product.url, s);
    // before any follower: the product's own footprint (database, pdf.js, pdf-lib, fonts) is most of its RSS
    const idleMb = (pid: number) => {
      const u = processUsage(pid);
      return u ? u.rss / 2 ** 20 : null;
    };
    const idle = { product: idleMb(product.pid), bare: idleMb(bare.pid) };
    const perFollowerKb = (atN: number | null, at0: number | null, n: number) =>
      atN === null || at0 === null ? null : ((atN - at0) * 1024) / n;
    const rows: Row[] = [];
    const curve: Record<string, unknown>[] = [];
    let resources: Record<string, unknown> = {};
    for (const n of counts) {
      const { product: p, bare: b } = await runPair(productSide, bareSide, n, turns, intervalMs);
      o.log(
        `  page-follow n=${n}: product p50 ${p.latency.p50.toFixed(2)} p99 ${p.latency.p99.toFixed(2)} ms; bare p50 ${b.latency.p50.toFixed(2)} p99 ${b.latency.p99.toFixed(2)} ms; delivered ${p.delivered}/${p.expected}`,
      );
      const last = n === counts.at(-1);
      rows.push({
        bench: 'page-follow',
        metric: `p50 @${n}`,
        unit: 'ms',
        project: p.latency.p50,
        baseline: b.latency.p50,
        target: null,
      });
      rows.push({
        bench: 'page-follow',
        metric: `p99 @${n}`,
        unit: 'ms',
        project: p.latency.p99,
        baseline: b.latency.p99,
        target: last || n === 500 ? { limit: 1.1, direction: 'max' } : null,
      });
      rows.push({
        bench: 'page-follow',
        metric: `delivered @${n}`,
        unit: '%',
        project: (100 * p.delivered) / p.expected,
        baseline: (100 * b.delivered) / b.expected,
        target: null,
      });
      curve.push({
        followers: n,
        product: p.latency,
        bare: b.latency,
        productServerRssMb: p.rssMb,
        productServerCpuPercent: p.cpuPercent,
        bareServerRssMb: b.rssMb,
        bareServerCpuPercent: b.cpuPercent,
      });
      if (last) {
        resources = {
          followers: n,
          productIdleRssMb: idle.product,
          bareIdleRssMb: idle.bare,
          productRssMb: p.rssMb,
          productCpuPercent: p.cpuPercent,
          bareRssMb: b.rssMb,
          bareCpuPercent: b.cpuPercent,
          turnsPerSecond: 1000 / intervalMs,
        };
        rows.push({
          bench: 'page-follow',
          metric: 'server RSS before followers',
          unit: 'MB',
          project: idle.product,
          baseline: idle.bare,
          target: null,
        });
        rows.push({
          bench: 'page-follow',
          metric: `server RSS @${n}`,
          unit: 'MB',
          project: p.rssMb,
          baseline: b.rssMb,
          target: null,
        });
        rows.push({
          bench: 'page-follow',
          metric: `RSS growth per follower @${n}`,
          unit: 'KB',
          project: perFollowerKb(p.rssMb, idle.product, n),
          baseline: perFollowerKb(b.rssMb, idle.bare, n),
          target: null,
        });
        rows.push({
          bench: 'page-follow',
          metric: `server CPU @${n}`,
          unit: '%',
          project: p.cpuPercent,
          baseline: b.cpuPercent,
          target: null,
          note: `${1000 / intervalMs} page turns/s`,
        });
      }
    }
    return { name: 'page-follow', rows, extra: { turnsPerRun: turns, intervalMs, curve, resources } };
  } finally {
    await product.stop();
    await bare.stop();
  }
}
