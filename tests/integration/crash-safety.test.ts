// Kill -9 the server at random moments while real clients drive a meeting; after each restart
// every acknowledged command is in the log, the hash chain verifies, and clients catch up.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { api, command, connect, demoMeeting, httpLogin, join, until, type LiveSocket } from '../helpers/live-client';
import { freePort, startServer, type ServerProcess } from '../helpers/server-process';
import { applyEvents, type MeetingState } from '../../shared/meeting-state';
import type { EventLog } from '../../shared/live-api';
import type { CommandType, JoinAck } from '../../shared/events';

const KILLS = Number(process.env.CRASH_KILLS ?? 3);
// when each kill lands is random, from a seed: printed with the result, and CRASH_SEED repeats a run's draws
const SEED = Number(process.env.CRASH_SEED ?? 20261204);
const random = mulberry32(SEED);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-crash-'));
// the demo seeded once per run (tests/helpers/demo-template.ts), so the child finds it already there
fs.cpSync(inject('demoDataDir'), dataDir, { recursive: true });
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.kill();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Acked {
  seq: number;
  type: string;
  payload: unknown;
}

describe('crash safety', { timeout: 180_000 }, () => {
  it(`loses no acknowledged command across ${KILLS} SIGKILLs`, async () => {
    const port = await freePort();
    server = await startServer(dataDir, port);
    let chairCookie = await httpLogin(server.url, 'chair');
    const m = await demoMeeting(server.url, chairCookie);
    const mid = m.meeting.id;
    const doc = m.documents.find((d) => d.pageCount >= 10) ?? m.documents[0]!;
    const members = m.members.filter((x) => x.role === 'participant');
    const acked: Acked[] = [];
    let stats = { sent: 0, acked: 0, unanswered: 0 };
    const refusals = new Map<string, number>();
    const kinds = new Set<string>();

    // a participant that follows along and is reconnected after every crash
    let followerState: MeetingState | undefined;
    let followerSeq = 0;
    const absorb = (ack: JoinAck, s: LiveSocket) => {
      if (!ack.ok) throw new Error(`join refused: ${ack.error.code}`);
      if (ack.snapshot) followerState = ack.snapshot;
      else if (followerState && ack.events) followerState = applyEvents(followerState, ack.events);
      followerSeq = ack.seq;
      s.on('event', (e) => {
        if (e.seq <= followerSeq || !followerState) return;
        followerState = applyEvents(followerState, [e]);
        followerSeq = e.seq;
      });
    };

    for (let round = 0; round <= KILLS; round++) {
      chairCookie = await httpLogin(server.url, 'chair');
      const chair = await connect(server.url, { cookie: chairCookie });
      const secretary = await connect(server.url, { cookie: await httpLogin(server.url, 'secretary') });
      const follower = await connect(server.url, { cookie: await httpLogin(server.url, 'delegate1') });
      absorb(await join(follower, mid, followerState ? followerSeq : undefined), follower);
      const chairJoinAck = await join(chair, mid);
      // the truth about what survived the last kill: the place field's version, an open vote
      const live = chairJoinAck.ok ? chairJoinAck.snapshot : undefined;
      let placeVersion = live?.minutes.fields.place?.version ?? 0;
      let openVote: string | null = live ? (Object.values(live.votes.byId).find((v) => v.status === 'open')?.id ?? null) : null;
      let draftVote: string | null = live ? (Object.values(live.votes.byId).find((v) => v.status === 'draft')?.id ?? null) : null;
      let chairVoted = false;

      if (round === 0) {
        for (const [type, payload] of [
          ['meeting.start', {}],
          ['document.show', { documentId: doc.id }],
          // everyone present, so votes have their quorum
          ...members.map((x) => ['attendance.mark', { userId: x.userId, status: 'present' }] as const),
        ] as const) {
          const a = await command(type === 'attendance.mark' ? secretary : chair, mid, type, payload);
          expect(a.ok).toBe(true);
          if (a.ok) acked.push({ seq: a.seq, type, payload });
        }
      }
      if (round === KILLS) {
        // last round: everything acknowledged before the kills must be in the verified log
        const log = await api<EventLog>(server.url, chairCookie, 'GET', `/api/meetings/${mid}/events`);
        expect(log.json.verified).toBe(true);
        const bySeq = new Map(log.json.events.map((e) => [e.seq, e]));
        for (const a of acked) {
          const e = bySeq.get(a.seq);
          expect(e, `acked seq ${a.seq} missing (seed ${SEED})`).toBeDefined();
          expect(e?.type).toBe(a.type);
        }
        // these events carry the command's payload as sent; others add server-made ids
        const asSent = acked.filter((a) => a.type === 'page.set' || a.type === 'attendance.mark');
        expect(asSent.length).toBeGreaterThan(0);
        for (const a of asSent) expect(bySeq.get(a.seq)?.payload, `seq ${a.seq} (seed ${SEED})`).toEqual(a.payload);
        // the follower that lived through every crash equals a fresh participant's snapshot
        const fresh = await connect(server.url, { cookie: await httpLogin(server.url, 'delegate2') });
        const freshJoin = await join(fresh, mid);
        if (!freshJoin.ok || !freshJoin.snapshot) throw new Error('fresh join failed');
        await until(() => followerSeq === freshJoin.seq);
        const comparable = (st: MeetingState | undefined) => st && { ...st, votingMemberIds: [...st.votingMemberIds].sort() };
        expect(comparable(followerState)).toEqual(comparable(freshJoin.snapshot));
        fresh.close();
        if (process.env.CRASH_DEBUG) console.log('refusals', [...refusals]);
        expect([...kinds].sort()).toEqual(
          expect.arrayContaining(['attendance.mark', 'minutes.update', 'page.set', 'stroke.add', 'vote.create']),
        );
        console.log(`crash safety: kinds acknowledged: ${[...kinds].sort().join(', ')}`);
        console.log(
          `crash safety (seed ${SEED}): ${KILLS} kills survived, ${stats.sent} commands sent, ${acked.length} acknowledged and all present, ${stats.unanswered} unanswered at kill time, 0 lost`,
        );
        for (const s of [chair, secretary, follower]) s.close();
        break;
      }

      // drive the meeting as fast as acks come back, and kill the server at a random moment
      let running = true;
      const driver = (async () => {
        let i = 0;
        while (running) {
          i++;
          // a mix of what a meeting does: page turns, attendance, ink, minutes edits, a vote cycle
          let s: LiveSocket, type: CommandType, payload: Record<string, unknown>;
          switch (i % 5) {
            case 0:
              [s, type, payload] = [chair, 'page.set', { documentId: doc.id, page: (i % doc.pageCount) + 1 }];
              break;
            case 1:
              [s, type, payload] = [
                secretary,
                'attendance.mark',
                {
                  userId: members[i % members.length]!.userId,
                  status: (['present', 'late'] as const)[i % 2]!,
                  ...(i % 2 ? { reason: `Lý do ${i}` } : {}),
                },
              ];
              break;
            case 2:
              [s, type, payload] = [
                chair,
                'stroke.add',
                {
                  documentId: doc.id,
                  page: 1,
                  layer: 'shared',
                  tool: 'pen',
                  color: '#1d4ed8',
                  width: 2,
                  points: [
                    [100 + (i % 50), 100, 0.5],
                    [140, 120 + (i % 30), 0.6],
                  ],
                },
              ];
              break;
            case 3:
              [s, type, payload] = [
                secretary,
                'minutes.update',
                { field: 'place', text: `Hà Nội ${i}`, baseVersion: placeVersion },
              ];
              break;
            default:
              if (openVote && !chairVoted) [s, type, payload] = [chair, 'ballot.cast', { voteId: openVote, choice: 'for' }];
              else if (openVote) [s, type, payload] = [chair, 'vote.close', { voteId: openVote }];
              else if (draftVote) [s, type, payload] = [chair, 'vote.open', { voteId: draftVote }];
              else
                [s, type, payload] = [
                  chair,
                  'vote.create',
                  { question: `Biểu quyết ${i}`, secret: i % 2 === 0, rule: { kind: 'majority_of_present' } },
                ];
          }
          stats.sent++;
          const a = await Promise.race([
            command(s, mid, type, payload),
            new Promise<null>((r) => setTimeout(() => r(null), 3000)),
          ]);
          if (a === null) {
            stats.unanswered++;
            break;
          }
          if (a.ok) {
            acked.push({ seq: a.seq, type, payload });
            stats.acked++;
            kinds.add(type);
            if (type === 'minutes.update') placeVersion++;
            // the new vote's id comes with its event, which reaches the chair before the ack
            if (type === 'vote.create')
              draftVote = (chair.events.find((e) => e.seq === a.seq)?.payload as { voteId?: string } | undefined)?.voteId ?? null;
            if (type === 'vote.open') {
              openVote = draftVote;
              draftVote = null;
              chairVoted = false;
            }
            if (type === 'ballot.cast') chairVoted = true;
            if (type === 'vote.close') openVote = null;
          } else refusals.set(a.error.code, (refusals.get(a.error.code) ?? 0) + 1);
        }
      })();
      // not a wait for something to happen: the kill's moment, drawn from the seeded generator
      await new Promise((r) => setTimeout(r, 300 + random() * 700));
      await server.kill('SIGKILL');
      running = false;
      await driver;
      for (const s of [chair, secretary, follower]) s.close();
      server = await startServer(dataDir, port);
    }
    expect(acked.length, `seed ${SEED}`).toBeGreaterThan(50);
    stats = { ...stats };
  });
});

/** A small seeded PRNG (mulberry32): the same seed, the same kill moments. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
