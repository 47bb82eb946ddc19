// Members without a device (issue 23): the chair or the secretary records a named vote for a member
// present in the room, and enters the counting committee's paper total of a secret vote. Real
// sockets, a real server and SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { api, httpLogin, until } from '../helpers/live-client';
import type { MinutesDocument } from '../../shared/minutes';
import { votingMeeting, type VotingMeeting } from '../helpers/vote-fixture';
import type { CommandAck, LiveEvent } from '../../shared/events';
import { RECEIPT_PATTERN, type VoteResult } from '../../shared/votes';
import { sqlAll, sqlCount, sqlGet } from '../helpers/raw-sql';

let t: TestApp;
let v: VotingMeeting;

const ok = (a: CommandAck) => {
  if (!a.ok) throw new Error(`refused: ${a.error.code} ${a.error.message}`);
  return a;
};
const state = () => t.app.live.runtime.state(v.meetingId);
const eventCount = () => sqlCount(t.app, 'SELECT count(*) AS n FROM meeting_events');
const sealedCount = () => sqlCount(t.app, 'SELECT count(*) AS n FROM sealed_ballots');
const lastEvent = (user: string, type: string): LiveEvent | undefined =>
  [...v.s[user]!.events].reverse().find((e) => e.type === type);

async function refused(user: string, type: Parameters<VotingMeeting['cmd']>[1], payload: Record<string, unknown>, code: string) {
  const before = state();
  const n = await eventCount();
  const sealed = await sealedCount();
  const ack = await v.cmd(user, type, payload);
  expect(ack).toMatchObject({ ok: false, error: { code } });
  expect(state()).toBe(before);
  expect(await eventCount()).toBe(n);
  expect(await sealedCount()).toBe(sealed);
}

async function openVote(secret: boolean, rule: Record<string, unknown> = { kind: 'majority_of_members' }): Promise<string> {
  const before = v.s.chair!.events.length;
  ok(await v.cmd('chair', 'vote.create', { question: secret ? 'Bầu trưởng ban' : 'Thông qua quy chế', secret, rule }));
  await until(() => v.s.chair!.events.slice(before).some((e) => e.type === 'vote.create'));
  const voteId = (lastEvent('chair', 'vote.create')!.payload as { voteId: string }).voteId;
  ok(await v.cmd('chair', 'vote.open', { voteId }));
  return voteId;
}

async function closeVote(voteId: string): Promise<VoteResult> {
  ok(await v.cmd('chair', 'vote.close', { voteId }));
  await until(() =>
    v.s.delegate1!.events.some((e) => e.type === 'vote.close' && (e.payload as { voteId: string }).voteId === voteId),
  );
  return ([...v.s.delegate1!.events].reverse().find((e) => e.type === 'vote.close')!.payload as { result: VoteResult }).result;
}

beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  v = await votingMeeting(t, 2); // chair, delegate1..5, voter01..02: 8 voting members
  ok(await v.cmd('chair', 'meeting.start', {}));
  for (const u of ['chair', 'delegate1', 'delegate2', 'delegate3', 'delegate4']) {
    ok(await v.cmd('secretary', 'attendance.mark', { userId: v.id[u]!, status: 'present' }));
  }
  // voter01 is in the room without a tablet; voter02 is absent
  ok(await v.cmd('secretary', 'attendance.mark', { userId: v.id.voter01!, status: 'late' }));
});
afterAll(async () => {
  v.close();
  await t.close();
});

describe('a named vote recorded by an officer (ballot.record)', () => {
  let voteId = '';
  it('only the chair or the secretary, only for a present voting member who has not voted and has not delegated', async () => {
    ok(await v.cmd('delegate5', 'proxy.grant', { toUserId: v.id.delegate4! }));
    voteId = await openVote(false);
    await refused('delegate1', 'ballot.record', { voteId, memberId: v.id.voter01!, choice: 'for' }, 'FORBIDDEN');
    await refused('guest1', 'ballot.record', { voteId, memberId: v.id.voter01!, choice: 'for' }, 'FORBIDDEN');
    await refused('secretary', 'ballot.record', { voteId, memberId: v.id.voter02!, choice: 'for' }, 'CONFLICT'); // absent
    await refused('secretary', 'ballot.record', { voteId, memberId: v.id.delegate5!, choice: 'for' }, 'CONFLICT'); // delegated
    await refused('secretary', 'ballot.record', { voteId, memberId: v.id.guest1!, choice: 'for' }, 'INVALID'); // no vote
    await refused('secretary', 'ballot.record', { voteId, memberId: v.id.voter01!, choice: 'maybe' }, 'INVALID');
    await refused('secretary', 'ballot.record', { voteId: 'nope', memberId: v.id.voter01!, choice: 'for' }, 'NOT_FOUND');
    await refused('secretary', 'ballot.record', { voteId, memberId: v.id.voter01! }, 'INVALID');
    await refused(
      'secretary',
      'vote.paperTally',
      { voteId, memberIds: [v.id.voter01!], counts: [{ choiceId: 'for', count: 1 }] },
      'CONFLICT',
    ); // named vote
    ok(await v.cmd('delegate1', 'ballot.cast', { voteId, choice: 'for' }));
    await refused('secretary', 'ballot.record', { voteId, memberId: v.id.delegate1!, choice: 'against' }, 'CONFLICT'); // voted
  });

  it('is public at once, names the officer, counts like a ballot, and the member cannot vote again', async () => {
    const a = ok(await v.cmd('secretary', 'ballot.record', { voteId, memberId: v.id.voter01!, choice: 'against' }));
    await until(() => v.room.events.some((e) => e.seq === a.seq) && v.s.voter01!.events.some((e) => e.seq === a.seq));
    const e = v.room.events.find((x) => x.seq === a.seq)!;
    expect(e).toMatchObject({
      type: 'ballot.record',
      actor: v.id.secretary,
      payload: { voteId, memberId: v.id.voter01, choiceId: 'against' },
    });
    expect(state().votes.byId[voteId]!.voted[v.id.voter01!]).toMatchObject({ by: v.id.secretary, via: 'recorded' });
    await refused('voter01', 'ballot.cast', { voteId, choice: 'for' }, 'CONFLICT');
    await refused('chair', 'ballot.record', { voteId, memberId: v.id.voter01!, choice: 'for' }, 'CONFLICT');
    const row = await sqlGet(
      t.app,
      'SELECT cast_by FROM vote_participations WHERE vote_id = ? AND member_id = ?',
      voteId,
      v.id.voter01!,
    );
    expect(row).toEqual({ cast_by: v.id.secretary });
    const result = await closeVote(voteId);
    expect(result.counts).toEqual([
      { choiceId: 'for', count: 1 },
      { choiceId: 'against', count: 1 },
      { choiceId: 'abstain', count: 0 },
    ]);
    expect(result.named).toContainEqual({
      memberId: v.id.voter01,
      castBy: v.id.voter01,
      choiceId: 'against',
      recordedBy: v.id.secretary,
    });
    expect(result.named).toContainEqual({ memberId: v.id.delegate1, castBy: v.id.delegate1, choiceId: 'for' });
    await refused('secretary', 'ballot.record', { voteId, memberId: v.id.delegate2!, choice: 'for' }, 'CONFLICT'); // closed
  });
});

describe('a secret vote with paper ballots (vote.paperTally)', () => {
  let voteId = '';
  it('refuses non-officers, wrong totals, duplicates, members not present, who voted, delegated or hold a proxy', async () => {
    // a rule of the ballots cast: its base differs from the members with a vote (for the minutes below)
    voteId = await openVote(true, { kind: 'threshold', numerator: 1, denominator: 2, base: 'cast', strict: true });
    const tally = (memberIds: string[], counts: [string, number][]) => ({
      voteId,
      memberIds,
      counts: counts.map(([choiceId, count]) => ({ choiceId, count })),
    });
    await refused('delegate1', 'vote.paperTally', tally([v.id.voter01!], [['for', 1]]), 'FORBIDDEN');
    await refused('secretary', 'ballot.record', { voteId, memberId: v.id.voter01!, choice: 'for' }, 'CONFLICT'); // secret: no named record
    await refused('secretary', 'vote.paperTally', tally([v.id.voter01!, v.id.delegate3!], [['for', 1]]), 'INVALID'); // 1 counted, 2 members
    await refused('secretary', 'vote.paperTally', tally([v.id.voter01!, v.id.voter01!], [['for', 2]]), 'INVALID');
    await refused(
      'secretary',
      'vote.paperTally',
      tally(
        [v.id.voter01!],
        [
          ['for', 1],
          ['for', 0],
        ],
      ),
      'INVALID',
    );
    await refused('secretary', 'vote.paperTally', tally([v.id.voter01!], [['maybe', 1]]), 'INVALID');
    await refused('secretary', 'vote.paperTally', tally([v.id.voter02!], [['for', 1]]), 'CONFLICT'); // absent
    await refused('secretary', 'vote.paperTally', tally([v.id.delegate5!], [['for', 1]]), 'CONFLICT'); // delegated
    await refused('secretary', 'vote.paperTally', tally([v.id.delegate4!], [['for', 1]]), 'CONFLICT'); // holds delegate5's proxy
    await refused('secretary', 'vote.paperTally', tally([v.id.guest1!], [['for', 1]]), 'INVALID');
    ok(await v.cmd('delegate1', 'ballot.cast', { voteId, choice: 'for' }));
    await refused('secretary', 'vote.paperTally', tally([v.id.delegate1!], [['for', 1]]), 'CONFLICT'); // voted
  });

  it('the event names who voted on paper, never the counts; they cannot also vote electronically; the result says how many were paper', async () => {
    const a = ok(
      await v.cmd('chair', 'vote.paperTally', {
        voteId,
        memberIds: [v.id.voter01!, v.id.delegate3!],
        counts: [
          { choiceId: 'against', count: 1 },
          { choiceId: 'abstain', count: 1 },
        ],
      }),
    );
    expect(a).not.toHaveProperty('receipt');
    await until(() => v.room.events.some((e) => e.seq === a.seq));
    const e = v.room.events.find((x) => x.seq === a.seq)!;
    expect(e.type).toBe('vote.paperTally');
    expect(e.payload).toEqual({ voteId, memberIds: [v.id.voter01!, v.id.delegate3!].sort() });
    // nothing of the counts in the log, nor readable anywhere while open
    const logged = (await sqlGet<{ payload: string }>(
      t.app,
      'SELECT payload FROM meeting_events WHERE meeting_id = ? AND seq = ?',
      v.meetingId,
      a.seq,
    ))!;
    expect(logged.payload).not.toMatch(/against|abstain|count/);
    expect(state().votes.byId[voteId]!.named).toEqual({});
    expect(await sqlCount(t.app, 'SELECT count(*) AS n FROM secret_ballots WHERE vote_id = ?', voteId)).toBe(0);
    expect(await sqlCount(t.app, 'SELECT count(*) AS n FROM sealed_ballots WHERE vote_id = ?', voteId)).toBe(3);
    await refused('voter01', 'ballot.cast', { voteId, choice: 'for' }, 'CONFLICT');
    await refused('delegate3', 'ballot.cast', { voteId, choice: 'for' }, 'CONFLICT');
    await refused(
      'secretary',
      'vote.paperTally',
      { voteId, memberIds: [v.id.voter01!], counts: [{ choiceId: 'for', count: 1 }] },
      'CONFLICT',
    );
    const d4 = ok(await v.cmd('delegate4', 'ballot.cast', { voteId, choice: 'for' }));
    const d5 = ok(await v.cmd('delegate4', 'ballot.cast', { voteId, choice: 'against', onBehalfOf: v.id.delegate5! }));

    const result = await closeVote(voteId);
    // 5 electronic-or-paper ballots: delegate1 for, delegate4 for, delegate5 against, paper: against + abstain
    expect(result.counts).toEqual([
      { choiceId: 'for', count: 2 },
      { choiceId: 'against', count: 2 },
      { choiceId: 'abstain', count: 1 },
    ]);
    expect(result.cast).toBe(5);
    expect(result.paperBallots).toBe(2);
    const ballots = result.ballots!;
    expect(ballots).toHaveLength(5);
    for (const b of ballots) expect(b.receipt).toMatch(RECEIPT_PATTERN);
    expect(ballots.map((b) => b.receipt)).toEqual(ballots.map((b) => b.receipt).sort());
    expect(ballots).toContainEqual({ receipt: d4.receipt, choiceId: 'for' });
    expect(ballots).toContainEqual({ receipt: d5.receipt, choiceId: 'against' });
    expect(await sealedCount()).toBe(0);
    const parts = await sqlAll(
      t.app,
      'SELECT member_id, cast_by FROM vote_participations WHERE vote_id = ? AND cast_by = ?',
      voteId,
      v.id.chair!,
    );
    expect(parts).toHaveLength(2);
    expect(
      (await t.app.live.eventLog({ meetingId: v.meetingId, userId: v.id.chair!, isAdmin: false, role: 'chair' })).verified,
    ).toBe(true);
  });
});

describe('the minutes', () => {
  it('state who recorded a vote, how many ballots were paper, and the same "có quyền biểu quyết" in every vote', async () => {
    const cookie = await httpLogin(t.url, 'secretary');
    const draft = await api<{ document: MinutesDocument }>(t.url, cookie, 'GET', `/api/meetings/${v.meetingId}/minutes`);
    expect(draft.status).toBe(200);
    const [named, secret] = draft.json.document.votes;
    const full = await api<{ members: { userId: string; fullName: string }[] }>(
      t.url,
      cookie,
      'GET',
      `/api/meetings/${v.meetingId}`,
    );
    const nameOf = (id: string) => full.json.members.find((x) => x.userId === id)!.fullName;
    expect(named).toMatchObject({
      eligible: 8,
      base: 8,
      recorded: [{ memberName: nameOf(v.id.voter01!), byName: nameOf(v.id.secretary!) }],
    });
    expect(secret).toMatchObject({ eligible: 8, base: 5, ballotsCast: 5, paperBallots: 2 });
    expect(secret).not.toHaveProperty('recorded');
  });
});

describe('membership while a vote is open', () => {
  it('nobody, not even an administrator, adds, removes or re-roles a voting member until it closes', async () => {
    const adminCookie = await httpLogin(t.url, 'admin');
    const members = () => sqlCount(t.app, 'SELECT count(*) AS n FROM meeting_members');
    const voteId = await openVote(false);
    const before = await members();
    const add = await api<{ error: { code: string } }>(t.url, adminCookie, 'POST', `/api/meetings/${v.meetingId}/members`, {
      username: 'guest1',
      role: 'participant',
    });
    expect([add.status, add.json.error.code]).toEqual([409, 'CONFLICT']);
    const drop = await api<{ error: { code: string } }>(
      t.url,
      adminCookie,
      'DELETE',
      `/api/meetings/${v.meetingId}/members/${v.id.voter02}`,
    );
    expect([drop.status, drop.json.error.code]).toEqual([409, 'CONFLICT']);
    expect(await members()).toBe(before);
    // a role without a vote may still change (a guest becomes an observer)
    expect(
      (await api(t.url, adminCookie, 'POST', `/api/meetings/${v.meetingId}/members`, { username: 'guest1', role: 'observer' }))
        .status,
    ).toBe(201);
    await closeVote(voteId);
    expect((await api(t.url, adminCookie, 'DELETE', `/api/meetings/${v.meetingId}/members/${v.id.voter02}`)).status).toBe(204);
  });
});
