// The floor on real sockets: request, withdraw, reorder, grant with a timer, end; who may do what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { until } from '../helpers/live-client';
import { votingMeeting, type VotingMeeting } from '../helpers/vote-fixture';
import type { CommandAck } from '../../shared/events';

let t: TestApp;
let v: VotingMeeting;
const ok = (a: CommandAck) => {
  if (!a.ok) throw new Error(`refused: ${a.error.code} ${a.error.message}`);
  return a;
};
const floor = () => t.app.live.runtime.state(v.meetingId).floor;
const requestOf = (user: string) => floor().queue.find((r) => r.userId === v.id[user])!.requestId;

beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  v = await votingMeeting(t, 0);
});
afterAll(async () => {
  v.close();
  await t.close();
});

describe('the floor (phát biểu / chất vấn)', () => {
  it('opens with the meeting; observers cannot ask', async () => {
    expect(await v.cmd('delegate1', 'floor.request', { kind: 'speak' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    ok(await v.cmd('chair', 'meeting.start', {}));
    expect(await v.cmd('observer1', 'floor.request', { kind: 'speak' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await v.cmd('delegate1', 'floor.request', { kind: 'shout' })).toMatchObject({ ok: false, error: { code: 'INVALID' } });
  });

  it('queues in order of asking, once per person; the requester withdraws', async () => {
    for (const [u, kind] of [
      ['delegate1', 'speak'],
      ['delegate2', 'question'],
      ['guest1', 'speak'],
      ['delegate3', 'speak'],
    ] as const) {
      ok(await v.cmd(u, 'floor.request', { kind }));
    }
    expect(await v.cmd('delegate1', 'floor.request', { kind: 'question' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(floor().queue.map((r) => [r.userId, r.kind])).toEqual([
      [v.id.delegate1, 'speak'],
      [v.id.delegate2, 'question'],
      [v.id.guest1, 'speak'],
      [v.id.delegate3, 'speak'],
    ]);
    expect(await v.cmd('delegate1', 'floor.withdraw', { requestId: requestOf('delegate3') })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    ok(await v.cmd('delegate3', 'floor.withdraw', { requestId: requestOf('delegate3') }));
    expect(floor().queue).toHaveLength(3);
    // everyone, the room screen too, sees the queue
    await until(() => v.room.events.filter((e) => e.type.startsWith('floor.')).length === 5);
  });

  it('the chair reorders (refused if the queue changed meanwhile) and gives the floor with a timer', async () => {
    const ids = floor().queue.map((r) => r.requestId);
    expect(await v.cmd('delegate1', 'floor.reorder', { requestIds: [...ids].reverse() })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await v.cmd('chair', 'floor.reorder', { requestIds: ids.slice(1) })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    ok(await v.cmd('chair', 'floor.reorder', { requestIds: [ids[1]!, ids[2]!, ids[0]!] }));
    expect(floor().queue.map((r) => r.userId)).toEqual([v.id.delegate2, v.id.guest1, v.id.delegate1]);
    expect(await v.cmd('delegate2', 'floor.grant', { requestId: ids[1]! })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await v.cmd('chair', 'floor.grant', { requestId: ids[1]!, seconds: 5 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    ok(await v.cmd('chair', 'floor.grant', { requestId: ids[1]!, seconds: 120 }));
    expect(floor().current).toMatchObject({ userId: v.id.delegate2, kind: 'question', seconds: 120 });
    expect(floor().queue.map((r) => r.userId)).toEqual([v.id.guest1, v.id.delegate1]);
    await until(() => v.room.events.some((e) => e.type === 'floor.grant'));
    expect(v.room.events.find((e) => e.type === 'floor.grant')!.payload).toMatchObject({ userId: v.id.delegate2, seconds: 120 });
  });

  it('only the chair or the speaker ends a turn; the next grant replaces the speaker', async () => {
    expect(await v.cmd('delegate1', 'floor.end', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    ok(await v.cmd('delegate2', 'floor.end', {}));
    expect(floor().current).toBeNull();
    expect(await v.cmd('chair', 'floor.end', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    ok(await v.cmd('chair', 'floor.grant', { requestId: requestOf('guest1') }));
    ok(await v.cmd('chair', 'floor.grant', { requestId: requestOf('delegate1') }));
    expect(floor()).toMatchObject({ current: { userId: v.id.delegate1, seconds: null }, queue: [] });
    // the speaker may ask again once their turn is over
    expect(await v.cmd('delegate1', 'floor.request', { kind: 'speak' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    ok(await v.cmd('chair', 'floor.end', {}));
    ok(await v.cmd('delegate1', 'floor.request', { kind: 'speak' }));
  });
});
