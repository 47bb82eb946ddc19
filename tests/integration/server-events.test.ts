// LiveService.recordServerEvent: the one write path for events the server makes itself (minutes
// today). Same transaction as its table changes, idempotent by key, memory moved only after the
// commit, and broadcast to the event's audience only (minutes.* go to members, not the room screen).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { barrier, connect, demoMeeting, httpLogin, join, type LiveSocket } from '../helpers/live-client';
import { readEvents } from '../../server/live/event-log';
import { PROTOCOL_VERSION } from '../../shared/events';

let t: TestApp;
let mid = '';
let secretaryId = '';
let member: LiveSocket;
let screen: LiveSocket;
const heads: number[] = [];

beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  const cookie = await httpLogin(t.url, 'secretary');
  const m = await demoMeeting(t.url, cookie);
  mid = m.meeting.id;
  secretaryId = m.members.find((x) => x.username === 'secretary')!.userId;
  member = await connect(t.url, { cookie: await httpLogin(t.url, 'delegate1') });
  expect(await join(member, mid)).toMatchObject({ ok: true });
  screen = await connect(t.url, { auth: { protocol: PROTOCOL_VERSION, roomToken: t.app.live.tokens.roomToken(mid).token } });
  screen.on('head', (h) => heads.push(h.seq));
  expect(await join(screen, mid)).toMatchObject({ ok: true });
});

afterAll(async () => {
  member?.close();
  screen?.close();
  await t?.close();
});

const revise = (key: string, version: number, inTx?: () => Promise<void>) =>
  t.app.live.recordServerEvent({
    meetingId: mid,
    type: 'minutes.revise',
    actor: secretaryId,
    payload: { version },
    key,
    ...(inTx ? { inTx } : {}),
  });

describe('server-made events', () => {
  it('are appended once per key, folded into the runtime, and reach members as events, the room screen as a head', async () => {
    const before = t.app.live.runtime.state(mid).lastSeq;
    const first = await revise('test.revise:v7', 7);
    expect(first.seq).toBe(before + 1);
    expect(first.event).toMatchObject({ type: 'minutes.revise', actor: secretaryId, payload: { version: 7 } });
    expect(t.app.live.runtime.state(mid)).toMatchObject({ lastSeq: before + 1, minutes: { version: 7 } });

    // the same key again: the first seq, nothing new on the log, nothing broadcast
    expect(await revise('test.revise:v7', 8)).toEqual({ seq: first.seq });
    expect((await t.app.database.read((q, tt) => readEvents(q, tt, mid, before))).map((e) => e.seq)).toEqual([before + 1]);
    expect(t.app.live.runtime.state(mid).minutes.version).toBe(7);

    await barrier(member);
    await barrier(screen);
    expect(member.events.filter((e) => e.seq > before)).toEqual([first.event]);
    expect(screen.events.filter((e) => e.seq > before)).toEqual([]);
    expect(heads.filter((s) => s > before)).toEqual([first.seq]);
  });

  it('a table change that fails rolls the event back: no row, no memory change, no broadcast, and the key stays free', async () => {
    const before = t.app.live.runtime.state(mid);
    await expect(
      revise('test.revise:v9', 9, async () => {
        throw new Error('table write failed');
      }),
    ).rejects.toThrow('table write failed');
    expect(await t.app.database.read((q, tt) => readEvents(q, tt, mid, before.lastSeq))).toEqual([]);
    expect(t.app.live.runtime.state(mid)).toBe(before);
    await barrier(member);
    expect(member.events.filter((e) => e.seq > before.lastSeq)).toEqual([]);

    const again = await revise('test.revise:v9', 9);
    expect(again.seq).toBe(before.lastSeq + 1);
  });

  it('a client command id cannot take a server key', async () => {
    // client ids match ^[A-Za-z0-9_.:-]+$; server keys are stored as server/<key>
    const r = await new Promise((resolve) =>
      member.emit('command', { id: 'server/test.revise:v7', meetingId: mid, type: 'floor.request', payload: {} }, resolve),
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID' } });
  });
});
