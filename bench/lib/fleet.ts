// A fleet of real socket.io-client clients in its own process (bench/lib/fleet-client.ts drives
// it). Followers record when each event arrives; writers (the chair first) send commands; drawers
// stream live ink at pen rate; receivers histogram point-to-arrival latency. Works against the
// product and the bare baseline alike (same event names).
import { io, type Socket } from 'socket.io-client';
import { now, sleep, until } from './clock';
import { Histogram } from './stats';
import { serveRpc } from './rpc';
import { PROTOCOL_VERSION } from '../../shared/events';
import { openRawReceiver, type RawReceiver } from './raw-receiver';

type Ack = {
  ok: boolean;
  seq?: number;
  error?: { code: string; message: string };
  events?: { seq: number }[];
  snapshot?: unknown;
};
type AnySocket = Socket;

interface Follower {
  socket: AnySocket;
  received: Map<number, number>;
}

const followers: Follower[] = [];
const writers: AnySocket[] = [];
const rawReceivers: RawReceiver[] = [];
let ink: { hist: Histogram; batches: number; pointsPerSecond: number } | null = null;

function connect(url: string, cookie: string | undefined, timeoutMs = 15_000): Promise<AnySocket> {
  const s = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: timeoutMs,
    extraHeaders: { ...(cookie ? { cookie } : {}), origin: url },
    auth: { protocol: PROTOCOL_VERSION },
  });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      s.close();
      reject(new Error('connect timed out'));
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(t);
      resolve(s);
    });
    s.once('connect_error', (e) => {
      clearTimeout(t);
      s.close();
      reject(e);
    });
  });
}

function emitAck<T = Ack>(s: AnySocket, event: string, payload: unknown, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    s.timeout(timeoutMs).emit(event, payload, (err: Error | null, ack: T) =>
      err ? reject(new Error(`${event}: no ack in ${timeoutMs} ms`)) : resolve(ack),
    );
  });
}

interface InkMessage {
  points: [number, number, number][];
  t?: number;
  userId: string;
}

/** one relayed batch seen at `at`: each point's latency from when it was sampled */
function recordInk(m: InkMessage, at: number): void {
  if (!ink || m.t === undefined) return;
  const dt = 1000 / ink.pointsPerSecond;
  ink.batches++;
  for (let i = 0; i < m.points.length; i++) ink.hist.add(at - (m.t + i * dt));
}

// the bare relay sends one batch per `ink.progress`; the product, each turn's batches as the arguments of one
function listenInk(s: AnySocket): void {
  s.on('ink.progress', (...ms: InkMessage[]) => {
    const at = now();
    for (const m of ms) recordInk(m, at);
  });
}

serveRpc({
  /** n followers, round-robin over the cookies, each joined to the meeting */
  async open(a: { url: string; cookies: (string | undefined)[]; n: number; meetingId: string; protocol?: number }) {
    for (let i = 0; i < a.n; i += 20) {
      const batch = Array.from({ length: Math.min(20, a.n - i) }, async (_, j) => {
        const s = await connect(a.url, a.cookies[(i + j) % a.cookies.length]);
        const f: Follower = { socket: s, received: new Map() };
        s.on('event', (e: { seq: number }) => {
          f.received.set(e.seq, now());
        });
        listenInk(s);
        const ack = await emitAck(s, 'meeting.join', { meetingId: a.meetingId });
        if (!ack.ok) throw new Error(`join refused: ${JSON.stringify(ack.error)}`);
        followers.push(f);
      });
      await Promise.all(batch);
    }
    return followers.length;
  },

  /** n passive raw-protocol clients (bench/lib/raw-receiver.ts) that histogram live ink */
  async openRaw(a: { url: string; cookies: (string | undefined)[]; n: number; meetingId: string }) {
    for (let i = 0; i < a.n; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, a.n - i) }, async (_, j) => {
          const r = await openRawReceiver(a.url, {
            cookie: a.cookies[(i + j) % a.cookies.length],
            auth: { protocol: PROTOCOL_VERSION },
            onEvent: (name, body) => {
              if (!ink || name !== 'ink.progress') return;
              const at = now();
              const [, ...ms] = JSON.parse(body) as [string, ...InkMessage[]];
              for (const m of ms) recordInk(m, at);
            },
          });
          const ack = (await r.emitAck('meeting.join', { meetingId: a.meetingId })) as Ack;
          if (!ack.ok) throw new Error(`raw join refused: ${JSON.stringify(ack.error)}`);
          rawReceivers.push(r);
        }),
      );
    }
    return rawReceivers.length;
  },

  /** writers: sockets that send commands (index 0 is usually the chair) */
  async writers(a: { url: string; cookies: (string | undefined)[]; meetingId: string }) {
    for (const cookie of a.cookies) {
      const s = await connect(a.url, cookie);
      const ack = await emitAck(s, 'meeting.join', { meetingId: a.meetingId });
      if (!ack.ok) throw new Error(`writer join refused: ${JSON.stringify(ack.error)}`);
      writers.push(s);
    }
    return writers.length;
  },

  async command(a: { writer: number; id: string; meetingId: string; type: string; payload: unknown }) {
    const s = writers[a.writer];
    if (!s) throw new Error(`no writer ${a.writer}`);
    const sentAt = now();
    const ack = await emitAck(s, 'command', { id: a.id, meetingId: a.meetingId, type: a.type, payload: a.payload });
    return { sentAt, ackAt: now(), ack };
  },

  /** waits (bounded) until every follower has `seq`, then returns arrival times per follower */
  async arrivals(a: { seq: number; timeoutMs: number }) {
    try {
      await until(() => followers.every((f) => f.received.has(a.seq)), a.timeoutMs, `seq ${a.seq} at every follower`);
    } catch {
      /* report what arrived */
    }
    return followers.map((f) => f.received.get(a.seq) ?? null);
  },

  clearArrivals() {
    for (const f of followers) f.received.clear();
    return true;
  },

  /**
   * Live ink: the first `drawers` followers draw continuously (strokes of `strokeMs`), sampling
   * points at `pointsPerSecond` and sending what was sampled once per frame (`frameMs`), the way
   * the client batches per animation frame. Every follower of this fleet histograms each point's
   * arrival minus its sample time.
   */
  async ink(a: {
    drawers: number;
    durationMs: number;
    pointsPerSecond: number;
    frameMs: number;
    strokeMs: number;
    meetingId: string;
    documentId: string;
    page: number;
    layer: string;
    drainMs: number;
  }) {
    ink = { hist: new Histogram(), batches: 0, pointsPerSecond: a.pointsPerSecond };
    const drawers = followers.slice(0, a.drawers);
    const dt = 1000 / a.pointsPerSecond;
    const start = now();
    let sent = 0;
    let pointsSent = 0;
    const state = drawers.map((_, i) => ({
      stroke: 0,
      strokeStart: start + (i * a.frameMs) / Math.max(1, drawers.length),
      sentPoints: 0,
    }));
    while (now() - start < a.durationMs) {
      const t = now();
      drawers.forEach((d, i) => {
        const st = state[i]!;
        if (t < st.strokeStart) return;
        if (t - st.strokeStart >= a.strokeMs) {
          // pen up, next stroke right away
          d.socket.volatile.emit('ink.progress', inkBatch(a, i, st, [], st.strokeStart, true));
          st.stroke++;
          st.strokeStart = t;
          st.sentPoints = 0;
        }
        const due = Math.floor((t - st.strokeStart) / dt) + 1; // points sampled so far in this stroke
        if (due <= st.sentPoints) return;
        const pts: [number, number, number][] = [];
        for (let k = st.sentPoints; k < due; k++) {
          const ang = (k / 60) * Math.PI * 2;
          pts.push([
            Math.round((300 + 100 * Math.cos(ang) + i) * 100) / 100,
            Math.round((400 + 100 * Math.sin(ang)) * 100) / 100,
            0.5,
          ]);
        }
        const firstSampledAt = st.strokeStart + st.sentPoints * dt;
        d.socket.volatile.emit('ink.progress', inkBatch(a, i, st, pts, firstSampledAt, false));
        st.sentPoints = due;
        sent++;
        pointsSent += pts.length;
      });
      await sleep(a.frameMs);
    }
    await sleep(a.drainMs);
    return { sentBatches: sent, sentPoints: pointsSent };
  },

  inkResult() {
    const r = ink ? { hist: ink.hist.toSparse(), batches: ink.batches } : null;
    ink = null;
    return r;
  },

  /** Reconnect after being away: connect, join with sinceSeq, apply; ms from connect to whole. */
  async rejoin(a: { url: string; cookie: string; meetingId: string; sinceSeq: number }) {
    const t0 = now();
    const s = await connect(a.url, a.cookie);
    const ack = await emitAck(s, 'meeting.join', { meetingId: a.meetingId, sinceSeq: a.sinceSeq });
    const seqs = (ack.events ?? []).map((e) => e.seq);
    const ms = now() - t0;
    s.close();
    return { ms, ok: ack.ok, seq: ack.seq ?? 0, seqs, snapshot: ack.snapshot !== undefined };
  },

  /** A fresh client: connect, join (snapshot), then the marks of the shown document over HTTP. */
  async freshJoin(a: { url: string; cookie: string; meetingId: string; annotationsPath: string | null }) {
    const t0 = now();
    const s = await connect(a.url, a.cookie);
    const ack = await emitAck(s, 'meeting.join', { meetingId: a.meetingId });
    let marks = 0;
    if (a.annotationsPath) {
      const r = await fetch(`${a.url}${a.annotationsPath}`, { headers: { cookie: a.cookie } });
      const j = (await r.json()) as { strokes?: unknown[] };
      marks = j.strokes?.length ?? 0;
    }
    const ms = now() - t0;
    s.close();
    return { ms, ok: ack.ok, snapshot: ack.snapshot !== undefined, marks };
  },

  async close() {
    for (const f of followers) f.socket.close();
    for (const w of writers) w.close();
    for (const r of rawReceivers) r.close();
    rawReceivers.length = 0;
    followers.length = 0;
    writers.length = 0;
    await sleep(50);
    return true;
  },
});

function inkBatch(
  a: { meetingId: string; documentId: string; page: number; layer: string },
  drawer: number,
  st: { stroke: number; sentPoints: number },
  points: [number, number, number][],
  t: number,
  end: boolean,
) {
  return {
    meetingId: a.meetingId,
    strokeId: `bench${process.pid}d${drawer}s${st.stroke}`,
    documentId: a.documentId,
    page: a.page,
    layer: a.layer,
    tool: 'pen',
    color: '#d03030',
    width: 2,
    from: st.sentPoints,
    points,
    ...(end ? { end: true } : { t }),
  };
}
