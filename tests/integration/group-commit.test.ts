// Group commit (issue 14): the commands of one event-loop turn share one write transaction, each
// under its own savepoint. A refused command fails alone; a repeated command id is answered with
// its first result; results and broadcasts keep the arrival order and come after the commit.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { command, connect, demoMeeting, httpLogin, join, type LiveSocket } from '../helpers/live-client';
import type { Principal } from '../../server/live/principal';
import type { MeetingDetail } from '../../shared/api';
import { countStatements, sqlCount } from '../helpers/raw-sql';

let t: TestApp;
let m: MeetingDetail;
let chair: Principal;
let docId = '';
let k = 0;
const stroke = () => ({
  strokeId: `groupcommit${process.pid}x${String(++k).padStart(12, '0')}`,
  documentId: docId,
  page: 1,
  layer: 'shared',
  tool: 'pen',
  color: '#1060d0',
  width: 2,
  points: Array.from({ length: 10 }, (_, i) => [100 + i, 200 + i, 0.5]),
});

beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  const cookie = await httpLogin(t.url, 'chair');
  m = await demoMeeting(t.url, cookie);
  docId = m.documents[0]!.id;
  const u = m.members.find((x) => x.username === 'chair')!;
  chair = { kind: 'user', user: { id: u.userId, isAdmin: false, username: 'chair' } };
  const s = await connect(t.url, { cookie });
  await join(s, m.meeting.id);
  expect(await command(s, m.meeting.id, 'meeting.start', {})).toMatchObject({ ok: true });
  s.close();
});
afterAll(async () => {
  await t?.close();
});

/** The meeting's events as committed, read on a connection of its own (a pooled one on PostgreSQL). */
const eventsInDb = async () => {
  if (t.app.database.dialect === 'pg')
    return sqlCount(t.app, 'SELECT count(*) AS n FROM meeting_events WHERE meeting_id = ?', m.meeting.id);
  const db = new Database(path.join(t.dataDir, 'hopso.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM meeting_events WHERE meeting_id = ?').get(m.meeting.id) as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('LiveService.executeMany', () => {
  it('commits the good commands of a batch in order; a refused one fails alone; a repeated id gets its first seq', async () => {
    const live = t.app.live;
    const mid = m.meeting.id;
    const head = live.runtime.state(mid).lastSeq;
    const before = await eventsInDb();
    const first = { id: `gc-${process.pid}-1`, meetingId: mid, type: 'stroke.add', payload: stroke() };
    const out = await live.executeMany([
      { principal: chair, cmd: first },
      {
        principal: chair,
        cmd: {
          id: `gc-${process.pid}-2`,
          meetingId: mid,
          type: 'stroke.add',
          payload: { ...stroke(), documentId: 'no-such-document' },
        },
      },
      { principal: chair, cmd: first }, // the same command id again: a retry whose ack was lost
      { principal: chair, cmd: { id: `gc-${process.pid}-3`, meetingId: mid, type: 'stroke.add', payload: stroke() } },
      { principal: chair, cmd: { id: `gc-${process.pid}-4`, meetingId: mid, type: 'no.such.command', payload: {} } },
    ] as never);
    expect(out.map((o) => (o.ok ? o.result.seq : (o.error as { code?: string }).code))).toEqual([
      head + 1,
      'NOT_FOUND',
      head + 1,
      head + 2,
      'INVALID',
    ]);
    // the repeat carries no new event; the first and the fourth do
    expect(out.map((o) => (o.ok ? Boolean(o.result.event) : null))).toEqual([true, null, false, true, null]);
    expect(await eventsInDb()).toBe(before + 2);
    expect(live.runtime.state(mid).lastSeq).toBe(head + 2);
    // the chain still verifies over the rows the batch wrote
    expect(
      (await live.eventLog({ meetingId: mid, userId: chair.kind === 'user' ? chair.user.id : '', isAdmin: false, role: 'chair' }))
        .verified,
    ).toBe(true);
  });
});

describe('the reads of a batch', () => {
  // the member's standing, read by every command on its own before; once per batch now
  const ACCESS = 'select "meetings"."id", "meeting_members"."role" from "meetings"';
  const strokeCmd = (n: string) => ({
    id: `gcr-${process.pid}-${n}`,
    meetingId: m.meeting.id,
    type: 'stroke.add',
    payload: stroke(),
  });

  it("are made once for the batch's commands (the member's standing: one read for six strokes)", async () => {
    const head = t.app.live.runtime.state(m.meeting.id).lastSeq;
    const reads = await countStatements(t.app, ACCESS);
    let out;
    try {
      out = await t.app.live.executeMany(
        ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => ({ principal: chair, cmd: strokeCmd(n) })) as never,
      );
    } finally {
      reads.stop();
    }
    expect(out.map((o) => (o.ok ? o.result.seq : o.error))).toEqual([1, 2, 3, 4, 5, 6].map((i) => head + i));
    expect(reads.count()).toBe(1);
  });

  it('are made again after a command that may change them (meeting.pause), and a refusal between fails alone', async () => {
    const live = t.app.live;
    const head = live.runtime.state(m.meeting.id).lastSeq;
    const reads = await countStatements(t.app, ACCESS);
    let out;
    try {
      out = await live.executeMany([
        { principal: chair, cmd: strokeCmd('g') },
        { principal: chair, cmd: { ...strokeCmd('h'), payload: { ...stroke(), page: 999 } } },
        { principal: chair, cmd: { id: `gcr-${process.pid}-p`, meetingId: m.meeting.id, type: 'meeting.pause', payload: {} } },
        { principal: chair, cmd: strokeCmd('i') },
        { principal: chair, cmd: { id: `gcr-${process.pid}-r`, meetingId: m.meeting.id, type: 'meeting.resume', payload: {} } },
      ] as never);
    } finally {
      reads.stop();
    }
    expect(out.map((o) => (o.ok ? o.result.seq : (o.error as { code?: string }).code))).toEqual([
      head + 1,
      'INVALID',
      head + 2,
      head + 3,
      head + 4,
    ]);
    // read by the first stroke, again after meeting.pause (it writes the meetings row) and not
    // after the strokes; resume comes after the pause's clearing: the stroke read it again
    expect(reads.count()).toBe(2);
    expect(live.runtime.state(m.meeting.id).status).toBe('running');
    expect(await eventsInDb()).toBe(head + 4);
  });
});

describe('the socket path', () => {
  let a: LiveSocket;
  let b: LiveSocket;
  beforeAll(async () => {
    a = await connect(t.url, { cookie: await httpLogin(t.url, 'delegate1') });
    b = await connect(t.url, { cookie: await httpLogin(t.url, 'delegate2') });
    await join(a, m.meeting.id);
    await join(b, m.meeting.id);
  });
  afterAll(() => {
    a.close();
    b.close();
  });

  it('commands sent together are acknowledged in order, and others receive their events in seq order', async () => {
    const seen: number[] = [];
    b.on('event', (e: { seq: number; type: string }) => {
      if (e.type === 'stroke.add') seen.push(e.seq);
    });
    const acks = await Promise.all([
      command(a, m.meeting.id, 'stroke.add', stroke()),
      command(a, m.meeting.id, 'stroke.add', { ...stroke(), page: 999 }),
      command(a, m.meeting.id, 'stroke.add', stroke()),
      command(a, m.meeting.id, 'stroke.add', stroke()),
    ]);
    expect(acks.map((x) => x.ok)).toEqual([true, false, true, true]);
    const seqs = acks.filter((x) => x.ok).map((x) => (x as { seq: number }).seq);
    expect(seqs).toEqual([seqs[0], seqs[0]! + 1, seqs[0]! + 2]);
    await expect.poll(() => seen).toEqual(seqs);
  });
});
