// Two servers on one DATA_DIR (two SQLite connections, exactly what two processes have), without
// Redis: each one's in-memory meeting is a cache of the shared log. A command on one after the
// other appended succeeds and continues the chain; a join gets the log's head; one command id sent
// to both makes one event; stroke undo sees strokes drawn through the other; tokens verify on both.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { api, command, connect, demoMeeting, httpLogin, join, type LiveSocket } from '../helpers/live-client';
import type { EventLog } from '../../shared/live-api';
import type { MeetingDetail } from '../../shared/api';
import type { InkPoint } from '../../shared/annotations';
import { appendEvent } from '../../server/live/event-log';

let A: TestApp;
let B: TestApp;
let m: MeetingDetail;
let mid: string;
const open: LiveSocket[] = [];
const chair: Record<'A' | 'B', LiveSocket> = {} as never;
let cookieA = '';

beforeAll(async () => {
  A = await buildTestApp({ listen: true });
  B = await buildTestApp({ listen: true, dataDir: A.dataDir, seed: false });
  cookieA = await httpLogin(A.url, 'chair');
  m = await demoMeeting(A.url, cookieA);
  mid = m.meeting.id;
  chair.A = await connect(A.url, { cookie: cookieA });
  chair.B = await connect(B.url, { cookie: await httpLogin(B.url, 'chair') });
  open.push(chair.A, chair.B);
  for (const s of open) expect(await join(s, mid)).toMatchObject({ ok: true, seq: 0 });
});
afterAll(async () => {
  for (const s of open) s.close();
  await B?.close();
  await A?.close(); // removes the shared DATA_DIR
  if (A) fs.rmSync(A.dataDir, { recursive: true, force: true });
});

describe('two servers, one database', () => {
  it('a command on one after the other appended continues the chain', async () => {
    const doc = m.documents[0]!;
    expect(await command(chair.A, mid, 'meeting.start', {})).toMatchObject({ ok: true, seq: 1 });
    expect(await command(chair.A, mid, 'document.show', { documentId: doc.id })).toMatchObject({ ok: true, seq: 2 });
    // B last saw seq 0: it catches up from the log inside its write transaction
    expect(await command(chair.B, mid, 'page.set', { documentId: doc.id, page: 2 })).toMatchObject({ ok: true, seq: 3 });
    expect(await command(chair.A, mid, 'page.set', { documentId: doc.id, page: 3 })).toMatchObject({ ok: true, seq: 4 });
    // B decided on the state as committed: pausing a started meeting is allowed
    expect(await command(chair.B, mid, 'meeting.pause', {})).toMatchObject({ ok: true, seq: 5 });
    const log = await api<EventLog>(A.url, cookieA, 'GET', `/api/meetings/${mid}/events`);
    expect(log.json).toMatchObject({ verified: true, brokenAtSeq: null });
    expect(log.json.events.map((e) => e.type)).toEqual([
      'meeting.start',
      'document.show',
      'page.set',
      'page.set',
      'meeting.pause',
    ]);
    expect(A.app.live.runtime.state(mid).lastSeq).toBe(4); // A has not looked since; B is current
    expect(B.app.live.runtime.state(mid)).toMatchObject({ lastSeq: 5, status: 'paused', follow: { page: 3 } });
  });

  it('a join on the server that did not append gets the log head', async () => {
    expect(await command(chair.B, mid, 'meeting.resume', {})).toMatchObject({ ok: true, seq: 6 });
    const d1 = await connect(A.url, { cookie: await httpLogin(A.url, 'delegate1') });
    open.push(d1);
    const j = await join(d1, mid);
    expect(j).toMatchObject({ ok: true, seq: 6, snapshot: { status: 'running', lastSeq: 6 } });
    const back = await join(chair.A, mid, 4);
    if (!back.ok) throw new Error(JSON.stringify(back));
    expect(back.events?.map((e) => e.seq)).toEqual([5, 6]);
  });

  it('one command id sent to both servers makes one event', async () => {
    const doc = m.documents[0]!;
    const id = `dup-${process.pid}`;
    const [a, b] = await Promise.all([
      command(chair.A, mid, 'page.set', { documentId: doc.id, page: 4 }, id),
      command(chair.B, mid, 'page.set', { documentId: doc.id, page: 4 }, id),
    ]);
    expect(a, JSON.stringify([a, b])).toMatchObject({ ok: true });
    expect(b).toEqual(a);
    const log = await api<EventLog>(A.url, cookieA, 'GET', `/api/meetings/${mid}/events`);
    expect(log.json.events.filter((e) => e.type === 'page.set' && (e.payload as { page: number }).page === 4)).toHaveLength(1);
    expect(log.json.verified).toBe(true);
  });

  it('strokes drawn through one server are undone through the other', async () => {
    const doc = m.documents[0]!;
    const points: InkPoint[] = Array.from({ length: 10 }, (_, i) => [100 + i, 200 + i, 0.5]);
    const strokeId = `strokeshared${process.pid}abcdefghijkl`;
    // B builds its annotation state before A draws
    expect(
      await command(chair.B, mid, 'stroke.add', {
        strokeId: `${strokeId}0`,
        documentId: doc.id,
        page: 1,
        layer: 'shared',
        tool: 'pen',
        color: '#d62828',
        width: 2,
        points,
      }),
    ).toMatchObject({ ok: true });
    expect(
      await command(chair.A, mid, 'stroke.add', {
        strokeId,
        documentId: doc.id,
        page: 1,
        layer: 'shared',
        tool: 'pen',
        color: '#d62828',
        width: 2,
        points,
      }),
    ).toMatchObject({ ok: true });
    // the chair's last stroke is A's: B must know it to undo it
    const undo = await command(chair.B, mid, 'stroke.undo', { documentId: doc.id });
    expect(undo).toMatchObject({ ok: true });
    const log = await api<EventLog>(A.url, cookieA, 'GET', `/api/meetings/${mid}/events`);
    expect(log.json.events.at(-1)).toMatchObject({ type: 'stroke.undo', payload: { strokeId } });
  });

  it('room and check-in tokens made by one server open the other', async () => {
    const link = await api<{ token: string }>(A.url, cookieA, 'POST', `/api/meetings/${mid}/room-token`);
    expect(link.status).toBe(201);
    const room = await connect(B.url, { auth: { protocol: 1, roomToken: link.json.token } });
    open.push(room);
    expect(await join(room, mid)).toMatchObject({ ok: true, readOnly: true });
    const t = A.app.live.tokens.checkInToken(mid);
    expect(B.app.live.tokens.checkCheckInToken(mid, t.token)).toBe('ok');
  });

  it('a server-made event applied on a server that missed others folds those in too (no gap in its state)', async () => {
    const doc = m.documents[0]!;
    const bSeq = B.app.live.runtime.state(mid).lastSeq;
    const turned = await command(chair.A, mid, 'page.set', { documentId: doc.id, page: 2 });
    expect(turned).toMatchObject({ ok: true });
    const seq = (turned as { seq: number }).seq;
    expect(bSeq).toBeLessThan(seq); // B has not seen A's turn
    // what MinutesService.record does: append outside a command, then apply
    const appended = await B.app.database.write(mid, (q, tt) =>
      appendEvent(q, tt, {
        meetingId: mid,
        type: 'test.marker',
        actor: 'test',
        payload: {},
        at: new Date().toISOString(),
      }),
    );
    expect(appended.event.seq).toBe(seq + 1);
    // a gap: B drops its copy rather than skip A's turn; the next read rebuilds it from the log
    B.app.live.runtime.apply(appended.event, appended.hash);
    expect(await B.app.live.runtime.current(mid)).toMatchObject({ lastSeq: seq + 1, follow: { page: 2 } });
  });

  it('HTTP reads on the other server answer from the log as it stands (minutes: the meeting ended elsewhere)', async () => {
    expect(await command(chair.A, mid, 'meeting.end', {})).toMatchObject({ ok: true });
    const secretaryB = await httpLogin(B.url, 'secretary');
    const draft = await api<{ can: { finalize: boolean } }>(B.url, secretaryB, 'GET', `/api/meetings/${mid}/minutes`);
    expect(draft.status).toBe(200);
    expect(draft.json.can.finalize).toBe(true);
  });
});
