// Elections (bầu cử): a vote whose choices are candidates. A ballot marks names, in one of the two
// forms Vietnamese bodies use: "choose" (tick up to N names) or "strike" (the paper ballot: cross out
// the names one does not elect; the names left standing are the ones voted for). Either way the
// ballot is stored as ONE short selection code ('s' + the kept candidates as a hex bit mask), so a
// secret election's ballot goes through the same sealed ballot box, receipts and published list as
// any secret vote (server/live/vote-ballot-box.ts) and nothing new can pair a voter with a choice.
//
// Counting rule (docs/elections.md, tested at its edges in tests/unit/elections.test.ts):
// - a candidate is over the bar when their votes meet the vote's rule (default: more than half of
//   ALL voting members; exactly half is not more than half) and quorum held at closing;
// - if no more candidates are over the bar than there are seats, all of them are elected;
// - otherwise the seats go by votes, most first; when candidates tied on votes straddle the last seat
//   (taking them all would exceed the seats), none of the tied is elected: those seats stay unfilled
//   and the tied candidates are named for another round (bầu lại) among them;
// - a blank ballot (every name struck, or none ticked) is a valid ballot that elects nobody; a ballot
//   keeping more names than seats is invalid and refused at casting (nothing is stored).
import Type from 'typebox';
import { evaluateRule, type VoteRule } from './vote-rules';
import type { VoteChoice } from './votes';

/** a candidate list fits a 30-bit mask: 's' + 8 hex digits, well inside a sealed ballot's 16-char choice */
export const MAX_CANDIDATES = 30;

export type ElectionForm = 'choose' | 'strike';

export interface ElectionSetup {
  /** how many are to be elected (số lượng được bầu) */
  seats: number;
  form: ElectionForm;
}

export const ElectionSetupSchema = Type.Object(
  {
    seats: Type.Integer({ minimum: 1, maximum: MAX_CANDIDATES }),
    form: Type.Union([Type.Literal('choose'), Type.Literal('strike')]),
  },
  { additionalProperties: false },
);

const CODE = /^s[0-9a-f]{1,8}$/;

/** The selection code of the kept candidates (indices into the candidate list). */
export function selectionCode(kept: readonly number[]): string {
  let mask = 0;
  for (const i of kept) mask += 2 ** i;
  return `s${mask.toString(16)}`;
}

/** The kept candidates' indices, or null for a code that is not a selection of this list. */
export function parseSelection(code: string, candidates: number): number[] | null {
  if (!CODE.test(code)) return null;
  const mask = parseInt(code.slice(1), 16);
  if (mask >= 2 ** candidates) return null;
  const kept: number[] = [];
  for (let i = 0; i < candidates; i++) if (Math.floor(mask / 2 ** i) % 2 === 1) kept.push(i);
  // one code per selection: no leading zeros
  return selectionCode(kept) === code ? kept : null;
}

export type BallotMarksResult =
  { ok: true; code: string; kept: string[] } | { ok: false; reason: 'unknown' | 'repeated' | 'tooMany'; message: string };

/**
 * A voter's marks → the selection code. `marks` are the ticked names (choose) or the struck names
 * (strike). Too many names kept is an invalid ballot: refused, so the voter can correct it.
 */
export function ballotFromMarks(
  setup: ElectionSetup,
  candidates: readonly VoteChoice[],
  marks: readonly string[],
): BallotMarksResult {
  if (new Set(marks).size !== marks.length) return { ok: false, reason: 'repeated', message: 'A name is marked twice' };
  const index = new Map(candidates.map((c, i) => [c.id, i]));
  if (marks.some((m) => !index.has(m))) return { ok: false, reason: 'unknown', message: 'This name is not on the ballot' };
  const marked = new Set(marks);
  const kept = candidates
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => (setup.form === 'choose' ? marked.has(c.id) : !marked.has(c.id)));
  if (kept.length > setup.seats) {
    const strikeMore = candidates.length - setup.seats;
    return {
      ok: false,
      reason: 'tooMany',
      message:
        setup.form === 'choose'
          ? `At most ${setup.seats} names may be chosen`
          : `Strike out at least ${strikeMore} names: at most ${setup.seats} may remain`,
    };
  }
  return { ok: true, code: selectionCode(kept.map((k) => k.i)), kept: kept.map((k) => k.c.id) };
}

export interface CandidateResult {
  choiceId: string;
  votes: number;
  /** votes meet the rule (e.g. more than half of all members) */
  overBar: boolean;
  elected: boolean;
}

export interface ElectionOutcome {
  seats: number;
  form: ElectionForm;
  /** ballots cast (all valid: invalid ones are refused at casting) */
  ballots: number;
  /** ballots that keep no name */
  blank: number;
  /** in the candidate list's order */
  candidates: CandidateResult[];
  /** elected, most votes first */
  elected: string[];
  /** tied on votes at the last seat(s): not elected, another round among them */
  tiedAtLastSeat: string[];
  unfilledSeats: number;
}

export interface ElectionTallyInput {
  setup: ElectionSetup;
  candidates: readonly VoteChoice[];
  rule: VoteRule;
  members: number;
  present: number;
  /** one selection code per ballot */
  ballots: readonly string[];
  quorumReached: boolean;
}

/** Counts the ballots per candidate and applies the seat rule above; integers only. */
export function tallyElection(t: ElectionTallyInput): {
  outcome: ElectionOutcome;
  needed: number;
  base: number;
  counts: { choiceId: string; count: number }[];
} {
  const votes = t.candidates.map(() => 0);
  let blank = 0;
  for (const code of t.ballots) {
    const kept = parseSelection(code, t.candidates.length);
    if (kept === null || kept.length > t.setup.seats) throw new Error(`not a ballot of this election: ${code}`);
    if (kept.length === 0) blank++;
    for (const i of kept) votes[i] = (votes[i] ?? 0) + 1;
  }
  const judged = t.candidates.map((c, i) => {
    const n = votes[i] ?? 0;
    const r = evaluateRule(t.rule, { members: t.members, present: t.present, cast: t.ballots.length, inFavour: n });
    return { choiceId: c.id, votes: n, overBar: r.passed && t.quorumReached, base: r.base, needed: r.needed };
  });
  const over = judged.filter((c) => c.overBar).sort((a, b) => b.votes - a.votes);
  let elected: string[];
  let tied: string[] = [];
  if (over.length <= t.setup.seats) {
    elected = over.map((c) => c.choiceId);
  } else {
    const cut = over[t.setup.seats - 1]!.votes;
    const above = over.filter((c) => c.votes > cut);
    const atCut = over.filter((c) => c.votes === cut);
    if (above.length + atCut.length <= t.setup.seats) {
      elected = [...above, ...atCut].map((c) => c.choiceId);
    } else {
      elected = above.map((c) => c.choiceId);
      tied = atCut.map((c) => c.choiceId);
    }
  }
  const electedSet = new Set(elected);
  const first = judged[0];
  return {
    outcome: {
      seats: t.setup.seats,
      form: t.setup.form,
      ballots: t.ballots.length,
      blank,
      candidates: judged.map((c) => ({
        choiceId: c.choiceId,
        votes: c.votes,
        overBar: c.overBar,
        elected: electedSet.has(c.choiceId),
      })),
      elected,
      tiedAtLastSeat: tied,
      unfilledSeats: t.setup.seats - elected.length,
    },
    needed: first?.needed ?? 0,
    base: first?.base ?? 0,
    counts: judged.map((c) => ({ choiceId: c.choiceId, count: c.votes })),
  };
}

/** Per-candidate running counts of a named election (a secret one shows only how many voted). */
export function electionRunningCounts(
  candidates: readonly VoteChoice[],
  codes: readonly string[],
): { choiceId: string; count: number }[] {
  const counts = candidates.map((c) => ({ choiceId: c.id, count: 0 }));
  for (const code of codes) for (const i of parseSelection(code, candidates.length) ?? []) counts[i]!.count++;
  return counts;
}

/** The names a selection code keeps, for the published ballot list and a named ballot. */
export function selectionLabels(candidates: readonly VoteChoice[], code: string): string[] | null {
  const kept = parseSelection(code, candidates.length);
  return kept === null ? null : kept.map((i) => candidates[i]!.label);
}
