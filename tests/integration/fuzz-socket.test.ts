// Property-based: random and malformed payloads sent to every socket command (and to the other
// socket messages) are refused with a code, the server stays alive, and nothing stored changes.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { barrier, command, connect, demoMeeting, httpLogin, join, rawCommand, type LiveSocket } from '../helpers/live-client';
import { COMMAND_TYPES } from '../../shared/events';
import { tableSnapshot } from '../helpers/raw-sql';

let t: TestApp;
let chair: LiveSocket;
let mid = '';
const snapshot = () =>
  tableSnapshot(t.app, [
    'meeting_events',
    'meeting_commands',
    'annotation_strokes',
    'votes',
    'vote_participations',
    'sealed_ballots',
    'secret_ballots',
    'meetings',
    'minutes_versions',
  ]);

beforeAll(async () => {
  // generous rate limits: this test is about validation, not throttling
  t = await buildTestApp({ listen: true, config: { liveCommandsPerSecond: 100_000, liveCommandBurst: 100_000 } });
  const cookie = await httpLogin(t.url, 'chair');
  mid = (await demoMeeting(t.url, cookie)).meeting.id;
  chair = await connect(t.url, { cookie });
  await join(chair, mid);
  expect((await command(chair, mid, 'meeting.start', {})).ok).toBe(true);
});
afterAll(async () => {
  chair?.close();
  await t.close();
});

/** Payloads no command schema accepts: wrong types, junk keys, huge strings, deep nesting. */
const junkPayload = fc.oneof(
  // (null is not here: an absent or null payload means {} — valid for commands that take none)
  fc.constantFrom(42, 'x', true, [], [1, 2]),
  fc.dictionary(
    fc.string({ maxLength: 6 }).map((k) => `zz${k}`),
    fc.anything({ maxDepth: 2 }),
    { minKeys: 1, maxKeys: 3 },
  ),
  fc.record({ documentId: fc.integer(), page: fc.string({ maxLength: 3 }), userId: fc.array(fc.nat(), { maxLength: 2 }) }),
  fc.constant({ points: Array.from({ length: 3 }, () => ['a', 'b']) }),
  fc.constant(JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`)),
);

describe('socket fuzzing', () => {
  it('every command type refuses junk payloads with INVALID and changes nothing', async () => {
    const before = await snapshot();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...COMMAND_TYPES),
        junkPayload,
        fc.string({ minLength: 1, maxLength: 20 }).map((s) => s.replace(/[^A-Za-z0-9]/g, 'x') || 'x'),
        async (type, payload, id) => {
          const ack = await rawCommand(chair, { id: `fz-${id}-${sent}`, meetingId: mid, type, payload });
          sent++;
          expect(ack, `${type} ${JSON.stringify(payload).slice(0, 120)}`).toMatchObject({
            ok: false,
            error: { code: 'INVALID' },
          });
        },
      ),
      { numRuns: 400, seed: 4242 },
    );
    expect(sent).toBe(400);
    expect(await snapshot()).toBe(before);
  });

  it('malformed envelopes and messages are refused, and the socket keeps working', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.anything({ maxDepth: 3 }), async (raw) => {
        const ack = await rawCommand(chair, raw);
        expect(ack.ok).toBe(false);
      }),
      { numRuns: 200, seed: 99 },
    );
    // the other inbound messages, with junk: acks (where there are any) refuse, nothing breaks
    const emit = chair as unknown as { emit: (n: string, p: unknown, cb?: (a: unknown) => void) => void };
    for (const name of ['meeting.join', 'meeting.leave', 'checkin.token']) {
      for (const junk of [null, 'x', 5, { meetingId: 5 }, { meetingId: mid, page: 'x' }, [mid]]) {
        const res = await new Promise<unknown>((resolve) => emit.emit(name, junk, resolve));
        expect(res, `${name} ${JSON.stringify(junk)}`).toMatchObject({ ok: false, error: { code: 'INVALID' } });
      }
    }
    // volatile messages have no ack: the junk is dropped; a round trip after it proves it was handled
    for (const name of ['presence.update', 'ink.progress']) {
      for (const junk of [null, 'x', 5, { meetingId: 5 }, { meetingId: mid, page: 'x' }, [mid]]) emit.emit(name, junk);
    }
    await barrier(chair);
    expect(await snapshot()).toBe(before);
    // still alive and answering
    expect(
      (
        await command(chair, mid, 'page.set', {
          documentId: (await demoMeeting(t.url, await httpLogin(t.url, 'chair'))).documents[0]!.id,
          page: 2,
        })
      ).ok,
    ).toBe(true);
  });

  it('a message over the size limit drops only that connection', async () => {
    const victim = await connect(t.url, { cookie: await httpLogin(t.url, 'delegate1') });
    const closed = new Promise((r) => victim.once('disconnect', r));
    victim.emit(
      'command',
      { id: 'big', meetingId: mid, type: 'stroke.add', payload: { blob: 'x'.repeat(2 * 1024 * 1024) } } as never,
      () => {},
    );
    await closed;
    const res = await fetch(`${t.url}/api/health`);
    expect(res.status).toBe(200);
    const again = await command(chair, mid, 'page.set', {
      documentId: (await demoMeeting(t.url, await httpLogin(t.url, 'chair'))).documents[0]!.id,
      page: 3,
    });
    expect(again.ok).toBe(true);
  });
});
