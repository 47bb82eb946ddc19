import { describe, expect, it } from 'vitest';
import { announcement, DEFAULT_CHOICES, presentForVote, runningCounts, tallyVote, type VoteState } from '../../shared/votes';
import type { VoteRule } from '../../shared/vote-rules';
import { applyFloorEvent, floorSecondsLeft, initialFloorState, type FloorState } from '../../shared/floor';
import { applyEvents, initialMeetingState } from '../../shared/meeting-state';
import type { LiveEvent } from '../../shared/events';

const ballots = (f: number, a: number, x: number) => [
  ...Array<string>(f).fill('for'),
  ...Array<string>(a).fill('against'),
  ...Array<string>(x).fill('abstain'),
];
const tally = (rule: VoteRule, members: number, present: number, b: string[], quorumReached = true) =>
  tallyVote({ choices: DEFAULT_CHOICES, rule, members, present, ballots: b, quorumReached });

describe('tallyVote: one function, every rule, integers only', () => {
  it('the official announcement: "Tán thành 12/15 phiếu (80,00%) — thông qua"', () => {
    const r = tally({ kind: 'majority_of_members' }, 15, 15, ballots(12, 2, 1));
    expect(r).toMatchObject({
      cast: 15,
      base: 15,
      needed: 8,
      passed: true,
      counts: [
        { choiceId: 'for', count: 12 },
        { choiceId: 'against', count: 2 },
        { choiceId: 'abstain', count: 1 },
      ],
    });
    expect(announcement({ ...r }, DEFAULT_CHOICES)).toBe('Tán thành 12/15 phiếu (80,00%) — thông qua');
  });
  it('exactly half is not more than half', () => {
    expect(tally({ kind: 'majority_of_members' }, 14, 14, ballots(7, 7, 0)).passed).toBe(false);
    expect(tally({ kind: 'majority_of_members' }, 14, 14, ballots(8, 6, 0)).passed).toBe(true);
    expect(tally({ kind: 'majority_of_present' }, 15, 10, ballots(5, 0, 5)).passed).toBe(false);
    expect(tally({ kind: 'majority_of_present' }, 15, 10, ballots(6, 0, 4)).passed).toBe(true);
  });
  it('two thirds with 15 members needs 10, with 14 members also 10 (9.33 rounds up)', () => {
    expect(tally({ kind: 'two_thirds_of_members' }, 15, 15, ballots(10, 5, 0))).toMatchObject({ passed: true, needed: 10 });
    expect(tally({ kind: 'two_thirds_of_members' }, 15, 15, ballots(9, 6, 0)).passed).toBe(false);
    expect(tally({ kind: 'two_thirds_of_members' }, 14, 14, ballots(10, 4, 0))).toMatchObject({ passed: true, needed: 10 });
    expect(tally({ kind: 'two_thirds_of_members' }, 14, 14, ballots(9, 5, 0))).toMatchObject({ passed: false, needed: 10 });
  });
  it('absent members count against a members rule, not a present rule', () => {
    // 15 members, 9 present, 7 for
    expect(tally({ kind: 'majority_of_members' }, 15, 9, ballots(7, 2, 0))).toMatchObject({ passed: false, base: 15, needed: 8 });
    expect(tally({ kind: 'majority_of_present' }, 15, 9, ballots(7, 2, 0))).toMatchObject({ passed: true, base: 9, needed: 5 });
  });
  it('abstentions are ballots but not "for"; present members who do not vote count in the present base', () => {
    const r = tally({ kind: 'majority_of_present' }, 15, 12, ballots(6, 0, 4));
    expect(r).toMatchObject({ cast: 10, base: 12, needed: 7, passed: false });
  });
  it('a set threshold on ballots cast (3/5, not strict)', () => {
    const rule: VoteRule = { kind: 'threshold', numerator: 3, denominator: 5, base: 'cast', strict: false };
    expect(tally(rule, 30, 20, ballots(6, 4, 0))).toMatchObject({ base: 10, needed: 6, passed: true });
    expect(tally(rule, 30, 20, ballots(5, 4, 0))).toMatchObject({ base: 9, needed: 6, passed: false });
  });
  it('no quorum at closing: not passed, whatever the count', () => {
    const r = tally({ kind: 'majority_of_present' }, 15, 7, ballots(7, 0, 0), false);
    expect(r).toMatchObject({ passed: false, quorum: { members: 15, present: 7, required: 8, reached: false } });
  });
  it('custom choices: the first is the one measured; unknown choices are a bug', () => {
    const choices = [
      { id: 'c1', label: 'Ông A' },
      { id: 'c2', label: 'Bà B' },
    ];
    expect(
      tallyVote({
        choices,
        rule: { kind: 'majority_of_members' },
        members: 5,
        present: 5,
        ballots: ['c1', 'c1', 'c1', 'c2'],
        quorumReached: true,
      }),
    ).toMatchObject({
      passed: true,
      counts: [
        { choiceId: 'c1', count: 3 },
        { choiceId: 'c2', count: 1 },
      ],
    });
    expect(() =>
      tallyVote({
        choices,
        rule: { kind: 'majority_of_members' },
        members: 5,
        present: 5,
        ballots: ['for'],
        quorumReached: true,
      }),
    ).toThrow();
  });
});

describe('presentForVote: who counts as present', () => {
  const members = ['a', 'b', 'c', 'd', 'e'];
  it('present and late, members who voted, and members represented by a present holder', () => {
    const att = { a: { status: 'present' as const }, b: { status: 'late' as const }, c: { status: 'absent' as const } };
    expect(presentForVote(members, att, {})).toEqual(['a', 'b']);
    // c's proxy is held by a (present); d's by e (absent): only c counts
    expect(presentForVote(members, att, { c: 'a', d: 'e' })).toEqual(['a', 'b', 'c']);
    // e votes in person: e is here, and so is d whom e represents
    expect(presentForVote(members, att, { c: 'a', d: 'e' }, new Set(['e']))).toEqual(['a', 'b', 'c', 'd', 'e']);
    // non-members never count
    expect(presentForVote(members, { z: { status: 'present' } }, {})).toEqual([]);
  });
});

let seq = 0;
const ev = (
  type: string,
  payload: unknown,
  actor = 'chair',
  at = `2026-11-21T01:30:${String(seq + 1).padStart(2, '0')}.000Z`,
): LiveEvent => ({ meetingId: 'm', seq: ++seq, type, actor, at, payload });

describe('the reducer: votes and proxies', () => {
  it('named votes count live; secret votes hold only who has voted', () => {
    seq = 0;
    const rule = { kind: 'majority_of_members' };
    const s = applyEvents(initialMeetingState('m', ['chair', 'd1', 'd2']), [
      ev('proxy.grant', { fromUserId: 'd2', toUserId: 'd1' }, 'd2'),
      ev('vote.create', { voteId: 'v1', itemId: null, question: 'Q', choices: DEFAULT_CHOICES, secret: false, rule }),
      ev('vote.create', { voteId: 'v2', itemId: null, question: 'S', choices: DEFAULT_CHOICES, secret: true, rule }),
      ev('vote.open', { voteId: 'v1', quorum: { members: 3, present: 3, required: 2, reached: true } }),
      ev('ballot.cast', { voteId: 'v1', memberId: 'd1', choiceId: 'for' }, 'd1'),
      ev('ballot.cast', { voteId: 'v1', memberId: 'd2', choiceId: 'against' }, 'd1'),
      ev('proxy.revoke', { fromUserId: 'd2', toUserId: 'd1' }, 'd2'),
    ]);
    const v1 = s.votes.byId.v1!;
    expect(v1).toMatchObject({ status: 'open', proxies: { d2: 'd1' }, named: { d1: 'for', d2: 'against' } });
    expect(v1.voted.d2).toEqual({ seq: 6, by: 'd1' });
    expect(s.proxies).toEqual({});
    expect(s.votes.openVoteId).toBe('v1');
    expect(runningCounts(v1)).toEqual({
      cast: 2,
      counts: [
        { choiceId: 'for', count: 1 },
        { choiceId: 'against', count: 1 },
        { choiceId: 'abstain', count: 0 },
      ],
    });
    const secret: VoteState = { ...s.votes.byId.v2!, voted: { d1: { seq: 9, by: 'd1' } } };
    expect(runningCounts(secret)).toEqual({ cast: 1, counts: null });
  });
});

describe('the floor', () => {
  const fold = (events: LiveEvent[]): FloorState =>
    events.reduce((f, e) => applyFloorEvent(f, e as Parameters<typeof applyFloorEvent>[1]), initialFloorState());
  it('queues in order, withdraws, reorders, grants with a timer, ends', () => {
    seq = 0;
    const q = [
      ev('floor.request', { requestId: 'r1', userId: 'a', name: 'A', kind: 'speak' }, 'a'),
      ev('floor.request', { requestId: 'r2', userId: 'b', name: 'B', kind: 'question' }, 'b'),
      ev('floor.request', { requestId: 'r3', userId: 'c', name: 'C', kind: 'speak' }, 'c'),
    ];
    expect(fold(q).queue.map((r) => r.userId)).toEqual(['a', 'b', 'c']);
    const withdrawn = [...q, ev('floor.withdraw', { requestId: 'r2' }, 'b')];
    expect(fold(withdrawn).queue.map((r) => r.requestId)).toEqual(['r1', 'r3']);
    const reordered = [...withdrawn, ev('floor.reorder', { requestIds: ['r3', 'r1'] })];
    expect(fold(reordered).queue.map((r) => r.requestId)).toEqual(['r3', 'r1']);
    const granted = [
      ...reordered,
      ev(
        'floor.grant',
        { requestId: 'r3', userId: 'c', name: 'C', kind: 'speak', seconds: 120 },
        'chair',
        '2026-11-21T02:00:00.000Z',
      ),
    ];
    const f = fold(granted);
    expect(f.current).toMatchObject({ userId: 'c', seconds: 120, since: '2026-11-21T02:00:00.000Z' });
    expect(f.queue.map((r) => r.requestId)).toEqual(['r1']);
    expect(floorSecondsLeft(f.current, Date.parse('2026-11-21T02:01:30.000Z'))).toBe(30);
    expect(floorSecondsLeft(f.current, Date.parse('2026-11-21T02:02:10.000Z'))).toBe(-10);
    // giving the floor to the next ends the current turn
    const next = fold([...granted, ev('floor.grant', { requestId: 'r1', userId: 'a', name: 'A', kind: 'speak', seconds: null })]);
    expect(next.current).toMatchObject({ userId: 'a', seconds: null });
    expect(floorSecondsLeft(next.current, Date.now())).toBeNull();
    expect(fold([...granted, ev('floor.end', { requestId: 'r3' })]).current).toBeNull();
  });
});
