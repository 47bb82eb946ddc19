// Three real server processes on one DATA_DIR, behind nginx (deploy/nginx.conf), sharing the room
// through a private Redis: every page turn of a chair on one process reaches 60 followers spread
// over all three, in order; 1000 concurrent ballots (duplicates, from 5 members, on all three
// processes) count exactly 5; with Redis down each process keeps serving its own sockets and the
// others catch up by seq once it is back.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type ServerProcess } from '../helpers/server-process';
import { startRedis, type RedisServer } from '../helpers/redis';
import { startNginx, type Nginx } from '../helpers/nginx';
import { api, command, connect, demoMeeting, httpLogin, join, until, type LiveSocket } from '../helpers/live-client';
import type { MeetingDetail } from '../../shared/api';
import type { CommandAck, LiveEvent } from '../../shared/events';
import { databaseFromTemplate, PG_TEMPLATES, testDbIsPg } from '../helpers/test-db';

let dataDir = '';
let redis: RedisServer;
let nginx: Nginx;
const servers: ServerProcess[] = [];
const ports: number[] = [];
const sockets: LiveSocket[] = [];
let m: MeetingDetail;
let mid = '';
const cookies: Record<string, string> = {};
/** TEST_DB=pg: the processes share a PostgreSQL database instead of the SQLite file */
let pgDb: Awaited<ReturnType<typeof databaseFromTemplate>> | undefined;

const track = <T extends LiveSocket>(s: T) => {
  sockets.push(s);
  return s;
};
const ok = (a: CommandAck) => {
  if (!a.ok) throw new Error(`refused: ${JSON.stringify(a)}`);
  return a;
};

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-multi-'));
  redis = await startRedis();
  pgDb = testDbIsPg() ? await databaseFromTemplate(PG_TEMPLATES.empty) : undefined;
  const env = {
    REDIS_URL: redis.url,
    LIVE_COMMANDS_PER_SECOND: '1000',
    LIVE_COMMAND_BURST: '1000',
    ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
  };
  // the first process migrates and seeds; the others open the same file
  ports.push(await freePort());
  // generous start deadlines: two processes start at once, on PostgreSQL each migrates under the
  // store's lock and installs search, on a 2-core machine that runs other tests too
  const opts = { startTimeoutMs: 90_000 };
  servers.push(await startServer(dataDir, ports[0]!, env, opts));
  for (let i = 1; i < 3; i++) ports.push(await freePort());
  servers.push(...(await Promise.all([1, 2].map((i) => startServer(dataDir, ports[i]!, { ...env, SEED_DEMO: '0' }, opts)))));
  nginx = await startNginx(ports);
  for (const u of ['chair', 'secretary', 'delegate1', 'delegate2', 'delegate3', 'delegate4', 'delegate5'])
    cookies[u] = await httpLogin(nginx.url, u);
  m = await demoMeeting(nginx.url, cookies.chair!);
  mid = m.meeting.id;
}, 300_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await nginx?.stop();
  await Promise.all(servers.map((s) => s.kill('SIGTERM')));
  await redis?.stop();
  await pgDb?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Established connections nginx holds to each upstream port (its WebSockets are one each). */
function upstreamConnections(): number[] {
  const out = execFileSync('ss', ['-Htn', 'state', 'established'], { encoding: 'utf8' });
  return ports.map((p) => out.split('\n').filter((l) => l.split(/\s+/)[3] === `127.0.0.1:${p}`).length);
}

const pageTurns = (s: LiveSocket) => s.events.filter((e) => e.type === 'page.set');

describe('three processes behind nginx, one room through Redis', () => {
  const followers: LiveSocket[] = [];
  let chair: LiveSocket;

  it('presence: a member connected to another process shows online, and offline once gone', async () => {
    const idOf = (u: string) => m.members.find((x) => x.username === u)!.userId;
    const latest = (s: LiveSocket, u: string) => s.presence.at(-1)?.users.find((x) => x.userId === idOf(u));
    const x = await connect(servers[0]!.url, { cookie: cookies.delegate1 });
    const y = track(await connect(servers[2]!.url, { cookie: cookies.delegate2 }));
    expect(await join(x, mid)).toMatchObject({ ok: true });
    expect(await join(y, mid)).toMatchObject({ ok: true });
    await until(() => latest(y, 'delegate1')?.online === true && latest(x, 'delegate2')?.online === true);
    x.close();
    await until(() => latest(y, 'delegate1')?.online === false);
    expect(latest(y, 'delegate2')?.online).toBe(true);
  });

  it('a browser through nginx passes the Origin checks (WebSocket and writes): nginx forwards the Host it was sent', async () => {
    const s = track(await connect(nginx.url, { cookie: cookies.delegate3, origin: nginx.url }));
    expect(await join(s, mid)).toMatchObject({ ok: true });
    const r = await fetch(`${nginx.url}/api/auth/logout`, {
      method: 'POST',
      headers: { origin: nginx.url, cookie: await httpLogin(nginx.url, 'delegate3') },
    });
    expect(r.status).toBeLessThan(300);
  });

  it('every page turn of a chair on one process reaches 60 followers on all three, in order', async () => {
    chair = track(await connect(servers[0]!.url, { cookie: cookies.chair }));
    ok((await join(chair, mid)) as never);
    const users = ['secretary', 'delegate1', 'delegate2', 'delegate3', 'delegate4', 'delegate5'];
    // through nginx: least_conn spreads the WebSockets over the three processes
    for (let i = 0; i < 60; i++) {
      const s = track(await connect(nginx.url, { cookie: cookies[users[i % users.length]!] }));
      const j = await join(s, mid);
      expect(j).toMatchObject({ ok: true });
      followers.push(s);
    }
    const spread = upstreamConnections();
    expect(
      spread.every((n) => n >= 10),
      `connections per process: ${spread.join(', ')}`,
    ).toBe(true);

    const doc = m.documents[0]!;
    ok(await command(chair, mid, 'meeting.start', {}));
    ok(await command(chair, mid, 'document.show', { documentId: doc.id }));
    const seqs: number[] = [];
    for (let i = 0; i < 40; i++)
      seqs.push(ok(await command(chair, mid, 'page.set', { documentId: doc.id, page: 1 + (i % doc.pageCount) })).seq);
    await until(() => followers.every((f) => pageTurns(f).length >= seqs.length), 30_000);
    for (const f of followers) {
      expect(pageTurns(f).map((e) => e.seq)).toEqual(seqs);
      const all = f.events.map((e) => e.seq);
      expect(all).toEqual([...all].sort((a, b) => a - b)); // no event out of order, none twice
    }
  });

  it('1000 concurrent duplicate ballots from 5 members on three processes count exactly 5', async () => {
    const voters = ['delegate1', 'delegate2', 'delegate3', 'delegate4', 'delegate5'];
    // every member on every process, directly (so each member's ballots surely hit all three)
    const on: Record<string, LiveSocket[]> = {};
    for (const u of voters) {
      on[u] = [];
      for (const s of servers) {
        const sock = track(await connect(s.url, { cookie: cookies[u] }));
        expect(await join(sock, mid)).toMatchObject({ ok: true });
        on[u].push(sock);
      }
      ok(await command(on[u][1]!, mid, 'attendance.checkIn', {}));
    }
    ok(await command(chair, mid, 'attendance.checkIn', {}));
    const created = ok(
      await command(chair, mid, 'vote.create', {
        question: 'Thông qua báo cáo?',
        secret: false,
        rule: { kind: 'majority_of_members' },
      }),
    );
    await until(() => chair.events.some((e) => e.seq === created.seq));
    const voteId = (chair.events.find((e) => e.seq === created.seq)!.payload as { voteId: string }).voteId;
    ok(await command(chair, mid, 'vote.open', { voteId }));

    // 200 per member: 100 with one command id (retries of one ballot), 100 with fresh ids
    // (a second ballot attempt), round robin over the three processes, all in flight at once
    const acks = await Promise.all(
      voters.flatMap((u, vi) =>
        Array.from({ length: 200 }, (_, i) => {
          const s = on[u]![i % 3]!;
          const id = i % 2 === 0 ? `ballot-${u}` : `ballot-${u}-${i}`;
          return command(s, mid, 'ballot.cast', { voteId, choice: ['for', 'against'][vi % 2]! }, id).then((a) => ({ u, id, a }));
        }),
      ),
    );
    expect(acks).toHaveLength(1000);
    const log = await api<{ events: LiveEvent[]; verified: boolean }>(
      nginx.url,
      cookies.chair!,
      'GET',
      `/api/meetings/${mid}/events`,
    );
    expect(log.json.verified).toBe(true);
    const casts = log.json.events.filter((e) => e.type === 'ballot.cast' && (e.payload as { voteId: string }).voteId === voteId);
    expect(casts).toHaveLength(5);
    expect(new Set(casts.map((e) => (e.payload as { memberId: string }).memberId)).size).toBe(5);
    for (const u of voters) {
      const mine = acks.filter((x) => x.u === u);
      const accepted = mine.filter((x) => x.a.ok);
      // every accepted ack names the one event of this member; the rest are refusals, never errors
      expect(new Set(accepted.map((x) => (x.a as { seq: number }).seq)).size).toBe(1);
      for (const x of mine) if (!x.a.ok) expect(x.a.error.code).not.toBe('INTERNAL');
    }
  });

  it('live ink on the presenter layer from a presenter named on another process is relayed (that process learnt it)', async () => {
    const doc = m.documents[0]!;
    const presenter = track(await connect(servers[2]!.url, { cookie: cookies.delegate1 }));
    const receiver = track(await connect(servers[1]!.url, { cookie: cookies.delegate2 }));
    const inks: unknown[] = [];
    receiver.on('ink.progress', (...batches) => {
      inks.push(...batches);
    });
    expect(await join(presenter, mid)).toMatchObject({ ok: true });
    expect(await join(receiver, mid)).toMatchObject({ ok: true });
    const delegate1 = m.members.find((x) => x.username === 'delegate1')!.userId;
    ok(await command(chair, mid, 'presenter.set', { userId: delegate1 }));
    // ink is volatile: the presenter keeps drawing; it must get through once process 2 knows
    for (let i = 0; i < 50 && inks.length === 0; i++) {
      presenter.emit('ink.progress', {
        meetingId: mid,
        strokeId: `inkmulti${i}abcdef`,
        documentId: doc.id,
        page: 1,
        layer: 'presenter',
        tool: 'pen',
        color: '#d62828',
        width: 2,
        from: 0,
        points: [[10, 10, 0.5]],
      });
      await until(() => inks.length > 0, 100).catch(() => {});
    }
    expect(inks.length).toBeGreaterThan(0);
    ok(await command(chair, mid, 'presenter.set', { userId: null }));
  });

  it('Redis down: each process keeps serving its own sockets; the others catch up by seq when it is back', async () => {
    const doc = m.documents[0]!;
    const here = track(await connect(servers[0]!.url, { cookie: cookies.secretary }));
    const there = track(await connect(servers[2]!.url, { cookie: cookies.secretary }));
    const j0 = await join(here, mid);
    const j2 = await join(there, mid);
    if (!j0.ok || !j2.ok) throw new Error('join');
    await redis.stop();
    // the chair's process still commits and still delivers to its own sockets
    const during = ok(await command(chair, mid, 'page.set', { documentId: doc.id, page: 2 }));
    await until(() => here.events.some((e) => e.seq === during.seq));
    // a command on another process works too (the order comes from the database, not Redis)
    const d1 = track(await connect(servers[2]!.url, { cookie: cookies.delegate1 }));
    expect(await join(d1, mid)).toMatchObject({ ok: true });
    const other = ok(await command(d1, mid, 'floor.request', { kind: 'speak' }));
    expect(other.seq).toBe(during.seq + 1);
    await until(() => there.events.some((e) => e.seq === other.seq));

    await redis.start();
    // the adapters reconnect by themselves: page turns from process 0 reach process 2 again
    let last = 0;
    for (let tries = 0; tries < 100 && !there.events.some((e) => e.seq === last); tries++) {
      last = ok(await command(chair, mid, 'page.set', { documentId: doc.id, page: 1 + (tries % doc.pageCount) })).seq;
      await until(() => there.events.some((e) => e.seq === last), 300).catch(() => {});
    }
    expect(
      there.events.some((e) => e.seq === last),
      'fan-out resumed after Redis came back',
    ).toBe(true);
    // what was dropped meanwhile is caught up by seq: a rejoin from where it stood gets all of it, in order
    const back = await join(there, mid, j2.seq);
    if (!back.ok) throw new Error(JSON.stringify(back));
    const seqs = (back.events ?? []).map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs).toContain(during.seq);
    expect(seqs).toContain(other.seq);
    expect(back.seq).toBeGreaterThanOrEqual(last);
  });

  it('a catch-up on one process right after another appended holds every event (its memory of recent events is never a stale tail)', async () => {
    const delegate4 = m.members.find((x) => x.username === 'delegate4')!.userId;
    const onOne = track(await connect(servers[1]!.url, { cookie: cookies.secretary }));
    const onZero = track(await connect(servers[0]!.url, { cookie: cookies.secretary }));
    const start = await join(onOne, mid);
    if (!start.ok || !(await join(onZero, mid)).ok) throw new Error('join');
    const mark = async (s: LiveSocket, i: number) =>
      ok(await command(s, mid, 'attendance.mark', { userId: delegate4, status: i % 2 ? 'present' : 'late' })).seq;
    const acked: number[] = [];
    // process 1 holds its own commits in memory; then process 0 appends and, at once, a client
    // catches up on process 1 (before or after Redis tells it: either way every event is there)
    for (let i = 0; i < 5; i++) acked.push(await mark(onOne, i));
    for (let round = 0; round < 5; round++) {
      acked.push(await mark(onZero, round));
      const back = track(await connect(servers[1]!.url, { cookie: cookies.delegate2 }));
      const r = await join(back, mid, start.seq);
      back.close();
      if (!r.ok || !r.events) throw new Error(JSON.stringify(r));
      expect(r.seq).toBeGreaterThanOrEqual(acked.at(-1)!);
      expect(r.events.map((e) => e.seq)).toEqual(Array.from({ length: r.seq - start.seq }, (_, k) => start.seq + 1 + k));
      for (const s of acked) expect(r.events.map((e) => e.seq)).toContain(s);
    }
    // and each event is the logged one, payload and all
    const final = await join(track(await connect(servers[1]!.url, { cookie: cookies.delegate2 })), mid, start.seq);
    if (!final.ok || !final.events) throw new Error(JSON.stringify(final));
    const log = await api<{ events: LiveEvent[] }>(nginx.url, cookies.chair!, 'GET', `/api/meetings/${mid}/events`);
    const logged = new Map(log.json.events.map((e) => [e.seq, e]));
    for (const e of final.events)
      expect(e).toEqual({
        meetingId: mid,
        seq: e.seq,
        type: logged.get(e.seq)!.type,
        actor: logged.get(e.seq)!.actor,
        at: logged.get(e.seq)!.at,
        payload: logged.get(e.seq)!.payload,
      });
  });

  it('a process that dies loses no acknowledged command; its clients reconnect through nginx to another and catch up', async () => {
    const delegate3 = m.members.find((x) => x.username === 'delegate3')!.userId;
    const secretaryOnDoomed = track(await connect(servers[1]!.url, { cookie: cookies.secretary }));
    const j = await join(secretaryOnDoomed, mid);
    if (!j.ok) throw new Error('join');
    const acked: number[] = [];
    for (let i = 0; i < 20; i++)
      acked.push(
        ok(await command(secretaryOnDoomed, mid, 'attendance.mark', { userId: delegate3, status: i % 2 ? 'present' : 'late' }))
          .seq,
      );
    await servers[1]!.kill('SIGKILL');
    // a reconnect through nginx lands on a live process (the dead one refuses connections) and
    // catches up from where the client stood: every acknowledged command is there
    const back = track(await connect(nginx.url, { cookie: cookies.secretary }));
    const r = await join(back, mid, j.seq);
    if (!r.ok) throw new Error(JSON.stringify(r));
    const got = (r.events ?? []).map((e) => e.seq);
    for (const s of acked) expect(got).toContain(s);
    // and the room goes on from there
    const next = ok(await command(back, mid, 'attendance.mark', { userId: delegate3, status: 'present' }));
    expect(next.seq).toBe(Math.max(...acked) + 1);
    // the hash chain written by three processes (one of them killed) holds, gapless
    const res = await api<{ verified: boolean; events: { seq: number }[] }>(
      nginx.url,
      cookies.chair!,
      'GET',
      `/api/meetings/${mid}/events`,
    );
    expect(res.status).toBe(200);
    const log = res.json;
    expect(log.verified).toBe(true);
    expect(log.events.map((e) => e.seq)).toEqual(log.events.map((_, i) => i + 1));
  });
});
