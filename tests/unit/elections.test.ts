// The election rule (docs/elections.md) at its edges: exactly half, ties at the last seat, too many
// over the bar, strike-out ballots, blank ballots, and ballots keeping too many names.
import { describe, expect, it } from 'vitest';
import {
  ballotFromMarks,
  electionRunningCounts,
  parseSelection,
  selectionCode,
  selectionLabels,
  tallyElection,
  type ElectionSetup,
} from '../../shared/elections';
import type { VoteChoice } from '../../shared/votes';
import type { VoteRule } from '../../shared/vote-rules';

const cands = (n: number): VoteChoice[] => Array.from({ length: n }, (_, i) => ({ id: `c${i + 1}`, label: `Ứng viên ${i + 1}` }));
const MEMBERS: VoteRule = { kind: 'majority_of_members' };

/** ballots given as lists of candidate numbers (1-based), repeated `times` */
function ballots(spec: [number[], number][]): string[] {
  return spec.flatMap(([kept, times]) => Array.from({ length: times }, () => selectionCode(kept.map((k) => k - 1))));
}

function run(
  setup: ElectionSetup,
  n: number,
  members: number,
  spec: [number[], number][],
  rule: VoteRule = MEMBERS,
  quorumReached = true,
) {
  return tallyElection({ setup, candidates: cands(n), rule, members, present: members, ballots: ballots(spec), quorumReached });
}

describe('selection codes', () => {
  it('round-trip, one code per selection, nothing outside the list', () => {
    expect(selectionCode([])).toBe('s0');
    expect(selectionCode([0, 2])).toBe('s5');
    expect(selectionCode([29])).toBe('s20000000');
    expect(parseSelection('s5', 3)).toEqual([0, 2]);
    expect(parseSelection('s0', 3)).toEqual([]);
    expect(parseSelection('s8', 3)).toBeNull(); // candidate 4 of 3
    expect(parseSelection('s05', 3)).toBeNull(); // leading zero: a second code for one selection
    expect(parseSelection('for', 3)).toBeNull();
    expect(parseSelection('s', 3)).toBeNull();
  });
});

describe('ballotFromMarks: both forms of the ballot', () => {
  const c = cands(5);
  it('choose up to N: the ticked names', () => {
    expect(ballotFromMarks({ seats: 2, form: 'choose' }, c, ['c4', 'c1'])).toEqual({
      ok: true,
      code: selectionCode([0, 3]),
      kept: ['c1', 'c4'],
    });
    expect(ballotFromMarks({ seats: 2, form: 'choose' }, c, ['c1', 'c2', 'c3'])).toMatchObject({ ok: false, reason: 'tooMany' });
  });
  it('strike out: the names left standing are voted for; too few struck is refused', () => {
    // 5 candidates, 2 seats: at least 3 must be struck
    expect(ballotFromMarks({ seats: 2, form: 'strike' }, c, ['c2', 'c3', 'c5'])).toEqual({
      ok: true,
      code: selectionCode([0, 3]),
      kept: ['c1', 'c4'],
    });
    expect(ballotFromMarks({ seats: 2, form: 'strike' }, c, ['c2', 'c3', 'c4', 'c5'])).toMatchObject({ ok: true, kept: ['c1'] });
    const few = ballotFromMarks({ seats: 2, form: 'strike' }, c, ['c2', 'c3']);
    expect(few).toMatchObject({ ok: false, reason: 'tooMany' });
    expect(!few.ok && few.message).toBe('Strike out at least 3 names: at most 2 may remain');
  });
  it('blank ballots: every name struck, or none ticked', () => {
    expect(ballotFromMarks({ seats: 2, form: 'strike' }, c, ['c1', 'c2', 'c3', 'c4', 'c5'])).toMatchObject({
      ok: true,
      code: 's0',
      kept: [],
    });
    expect(ballotFromMarks({ seats: 2, form: 'choose' }, c, [])).toMatchObject({ ok: true, code: 's0', kept: [] });
  });
  it('unknown and repeated names are refused', () => {
    expect(ballotFromMarks({ seats: 2, form: 'choose' }, c, ['c9'])).toMatchObject({ ok: false, reason: 'unknown' });
    expect(ballotFromMarks({ seats: 2, form: 'choose' }, c, ['c1', 'c1'])).toMatchObject({ ok: false, reason: 'repeated' });
  });
});

describe('tallyElection: the seat rule', () => {
  it('exactly half of all members is not elected; one more is', () => {
    // 10 members, 1 seat, 2 candidates
    const half = run({ seats: 1, form: 'choose' }, 2, 10, [
      [[1], 5],
      [[2], 5],
    ]);
    expect(half.outcome).toMatchObject({ elected: [], unfilledSeats: 1, tiedAtLastSeat: [] });
    expect(half.needed).toBe(6);
    const more = run({ seats: 1, form: 'choose' }, 2, 10, [
      [[1], 6],
      [[2], 4],
    ]);
    expect(more.outcome).toMatchObject({ elected: ['c1'], unfilledSeats: 0 });
  });

  it('percentages of all members: absent members count against a candidate', () => {
    // 15 members, only 9 vote; 7 for c1: 7/15 is not over half
    const r = run({ seats: 1, form: 'choose' }, 2, 15, [
      [[1], 7],
      [[2], 2],
    ]);
    expect(r.outcome.elected).toEqual([]);
    expect(r.base).toBe(15);
  });

  it('more over the bar than seats: the most votes take the seats', () => {
    // 10 members, 2 seats, 3 candidates: c1 8, c2 6, c3 5 — c3 is not over half; add a case where all three are
    const r = run({ seats: 2, form: 'choose' }, 3, 10, [
      [[1, 2], 4],
      [[1, 3], 3],
      [[2, 3], 2],
      [[1], 1],
    ]);
    expect(r.counts).toEqual([
      { choiceId: 'c1', count: 8 },
      { choiceId: 'c2', count: 6 },
      { choiceId: 'c3', count: 5 },
    ]);
    expect(r.outcome).toMatchObject({ elected: ['c1', 'c2'], tiedAtLastSeat: [], unfilledSeats: 0 });
    // 11 members: c1 9, c2 6, c3 6, all three over half, two seats
    const all = run({ seats: 2, form: 'choose' }, 3, 11, [
      [[1, 2], 4],
      [[1, 3], 4],
      [[2, 3], 2],
      [[1], 1],
    ]);
    expect(all.counts.map((c) => c.count)).toEqual([9, 6, 6]);
    expect(all.outcome.candidates.every((c) => c.overBar)).toBe(true);
    // c2 and c3 tie for the second seat
    expect(all.outcome).toMatchObject({ elected: ['c1'], tiedAtLastSeat: ['c2', 'c3'], unfilledSeats: 1 });
    const clear = run({ seats: 2, form: 'choose' }, 3, 11, [
      [[1, 2], 5],
      [[1, 3], 3],
      [[2, 3], 2],
      [[1], 1],
    ]);
    expect(clear.counts.map((c) => c.count)).toEqual([9, 7, 5]);
    expect(clear.outcome).toMatchObject({ elected: ['c1', 'c2'], tiedAtLastSeat: [], unfilledSeats: 0 });
    expect(clear.outcome.candidates.map((c) => [c.choiceId, c.overBar, c.elected])).toEqual([
      ['c1', true, true],
      ['c2', true, true],
      ['c3', false, false],
    ]);
    const third = run({ seats: 2, form: 'choose' }, 3, 10, [
      [[1, 2], 4],
      [[1, 3], 3],
      [[2, 3], 3],
    ]);
    // c1 7, c2 7, c3 6: all over half of 10; c1 and c2 tie at the top and both fit; c3 is left out
    expect(third.counts.map((c) => c.count)).toEqual([7, 7, 6]);
    expect(third.outcome).toMatchObject({ elected: ['c1', 'c2'], tiedAtLastSeat: [], unfilledSeats: 0 });
    expect(third.outcome.candidates[2]).toMatchObject({ overBar: true, elected: false });
  });

  it('a tie at the last seat: the tied are not elected, the seat stays open for another round', () => {
    // 10 members, 2 seats: c1 7, c2 6, c3 6 — all over half; c2 and c3 straddle seat 2
    const r = run({ seats: 2, form: 'choose' }, 3, 10, [
      [[1, 2], 3],
      [[1, 3], 3],
      [[1], 1],
      [[2, 3], 3],
    ]);
    expect(r.counts.map((c) => c.count)).toEqual([7, 6, 6]);
    expect(r.outcome).toMatchObject({ elected: ['c1'], tiedAtLastSeat: ['c2', 'c3'], unfilledSeats: 1 });
    // a three-way tie for one seat: nobody elected
    const three = run(
      { seats: 1, form: 'strike' },
      3,
      3,
      [
        [[1], 1],
        [[2], 1],
        [[3], 1],
      ],
      { kind: 'threshold', numerator: 1, denominator: 4, base: 'members', strict: false },
    );
    expect(three.outcome).toMatchObject({ elected: [], tiedAtLastSeat: ['c1', 'c2', 'c3'], unfilledSeats: 1 });
    // under the bar, equal votes are no tie to break: the seat is simply not filled
    const under = run({ seats: 2, form: 'choose' }, 3, 10, [
      [[1, 2], 4],
      [[1, 3], 4],
      [[1], 2],
    ]);
    expect(under.counts.map((c) => c.count)).toEqual([10, 4, 4]);
    expect(under.outcome).toMatchObject({ elected: ['c1'], tiedAtLastSeat: [], unfilledSeats: 1 });
  });

  it('a tie that fits the seats elects all the tied', () => {
    // 3 seats: c1 8, c2 6, c3 6, c4 1 — c2 and c3 tie but both fit
    const r = run({ seats: 3, form: 'strike' }, 4, 10, [
      [[1, 2, 3], 5],
      [[1], 1],
      [[1, 2, 4], 1],
      [[1, 3], 1],
      [[], 2],
    ]);
    expect(r.counts.map((c) => c.count)).toEqual([8, 6, 6, 1]);
    expect(r.outcome).toMatchObject({ elected: ['c1', 'c2', 'c3'], tiedAtLastSeat: [], unfilledSeats: 0, blank: 2, ballots: 10 });
  });

  it('blank ballots count as ballots cast and elect nobody', () => {
    const r = run({ seats: 1, form: 'strike' }, 2, 5, [[[], 5]]);
    expect(r.outcome).toMatchObject({ ballots: 5, blank: 5, elected: [], unfilledSeats: 1 });
    expect(r.counts.map((c) => c.count)).toEqual([0, 0]);
  });

  it('no quorum at closing: nobody is elected, whatever the count', () => {
    const r = run({ seats: 1, form: 'choose' }, 2, 10, [[[1], 9]], MEMBERS, false);
    expect(r.outcome.elected).toEqual([]);
    expect(r.outcome.candidates[0]).toMatchObject({ votes: 9, overBar: false });
  });

  it('a ballot keeping more names than seats, or not of this list, is a bug in the caller: it throws', () => {
    expect(() => run({ seats: 1, form: 'choose' }, 3, 10, [[[1, 2], 1]])).toThrow();
    expect(() =>
      tallyElection({
        setup: { seats: 1, form: 'choose' },
        candidates: cands(2),
        rule: MEMBERS,
        members: 3,
        present: 3,
        ballots: ['for'],
        quorumReached: true,
      }),
    ).toThrow();
  });

  it('other rules apply per candidate (two thirds of members)', () => {
    const r = run(
      { seats: 1, form: 'choose' },
      2,
      9,
      [
        [[1], 6],
        [[2], 3],
      ],
      { kind: 'two_thirds_of_members' },
    );
    expect(r.outcome.elected).toEqual(['c1']);
    const r2 = run(
      { seats: 1, form: 'choose' },
      2,
      9,
      [
        [[1], 5],
        [[2], 4],
      ],
      { kind: 'two_thirds_of_members' },
    );
    expect(r2.outcome.elected).toEqual([]);
  });
});

describe('running counts and labels', () => {
  it('named elections count per candidate; codes read back as names', () => {
    expect(electionRunningCounts(cands(3), [selectionCode([0, 1]), selectionCode([1]), 's0'])).toEqual([
      { choiceId: 'c1', count: 1 },
      { choiceId: 'c2', count: 2 },
      { choiceId: 'c3', count: 0 },
    ]);
    expect(selectionLabels(cands(3), selectionCode([0, 2]))).toEqual(['Ứng viên 1', 'Ứng viên 3']);
    expect(selectionLabels(cands(3), 'for')).toBeNull();
  });
});
