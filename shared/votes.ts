// Votes (biểu quyết) and proxies (ủy quyền): schemas of the vote.*, ballot.cast and proxy.*
// commands, what their events store, the pure reducer part that folds them, and the one tested
// function that turns ballots into the announced result (exact integers, shared/vote-rules.ts).
//
// Secret votes: a ballot.cast event says only WHO has voted ({ voteId, memberId }); the choice
// never enters the log or the meeting state while the vote is open. It waits sealed on the server
// (server/live/vote-ballot-box.ts) and is published at close as the list of { receipt, choice }
// sorted by receipt, with nothing that pairs it with the voter.
import Type from 'typebox';
import { Id } from './api';
import type { AttendanceStatus } from './events';
import { evaluateRule, formatPercent, validateRule, type VoteRule } from './vote-rules';
import {
  electionRunningCounts,
  ElectionSetupSchema,
  MAX_CANDIDATES,
  type ElectionOutcome,
  type ElectionSetup,
} from './elections';

export const MAX_QUESTION_LENGTH = 1000;
export const MAX_CHOICES = 10;
export const MAX_CHOICE_LENGTH = 120;
/** paper ballots entered in one tally (a council has at most a few hundred members) */
export const MAX_PAPER_BALLOTS = 1000;

export interface VoteChoice {
  /** 'for' | 'against' | 'abstain' for the standard choices, 'c1'.. for custom ones */
  id: string;
  label: string;
}

/** Tán thành / Không tán thành / Ý kiến khác: the first choice is the one the rule measures. */
export const DEFAULT_CHOICES: readonly VoteChoice[] = [
  { id: 'for', label: 'Tán thành' },
  { id: 'against', label: 'Không tán thành' },
  { id: 'abstain', label: 'Ý kiến khác' },
];

export const VoteRuleSchema = Type.Union([
  Type.Object({ kind: Type.Literal('majority_of_members') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('majority_of_present') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('two_thirds_of_members') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('threshold'),
      numerator: Type.Integer({ minimum: 1, maximum: 1000 }),
      denominator: Type.Integer({ minimum: 1, maximum: 1000 }),
      base: Type.Union([Type.Literal('members'), Type.Literal('present'), Type.Literal('cast')]),
      strict: Type.Boolean(),
    },
    { additionalProperties: false },
  ),
]);

const ChoiceId = Type.String({ minLength: 1, maxLength: 16, pattern: '^[a-z0-9]+$' });

export const VoteCommandSchemas = {
  'vote.create': Type.Object(
    {
      question: Type.String({ minLength: 1, maxLength: MAX_QUESTION_LENGTH }),
      /** labels of custom choices; omitted: Tán thành / Không tán thành / Ý kiến khác */
      /** an election: the candidates' names (up to MAX_CANDIDATES; other votes up to MAX_CHOICES) */
      choices: Type.Optional(
        Type.Array(Type.String({ minLength: 1, maxLength: MAX_CHOICE_LENGTH }), { minItems: 2, maxItems: MAX_CANDIDATES }),
      ),
      secret: Type.Boolean(),
      rule: VoteRuleSchema,
      /** present: an election (bầu cử) among the `choices` as candidates (shared/elections.ts) */
      election: Type.Optional(ElectionSetupSchema),
    },
    { additionalProperties: false },
  ),
  'vote.open': Type.Object({ voteId: Id }, { additionalProperties: false }),
  'vote.close': Type.Object({ voteId: Id }, { additionalProperties: false }),
  /** a draft the chair will not open after all */
  'vote.discard': Type.Object({ voteId: Id }, { additionalProperties: false }),
  'ballot.cast': Type.Object(
    {
      voteId: Id,
      /** the chosen choice; not for an election */
      choice: Type.Optional(ChoiceId),
      /** an election's ballot: the ticked names (form 'choose') or the struck-out names (form 'strike') */
      marks: Type.Optional(Type.Array(ChoiceId, { maxItems: MAX_CANDIDATES })),
      onBehalfOf: Type.Optional(Id),
    },
    { additionalProperties: false },
  ),
  /**
   * Named votes: the chair or the secretary records the vote of a member present in the room
   * without a working device (they say it aloud); the event names the officer ("ghi nhận bởi").
   */
  'ballot.record': Type.Object({ voteId: Id, memberId: Id, choice: ChoiceId }, { additionalProperties: false }),
  /**
   * Secret votes: the counting committee's total of paper ballots, entered by the chair or the
   * secretary with the members who voted on paper. The counts are sealed like electronic ballots
   * and only ever published merged into the result; the event names only the members.
   * A secret election's paper ballots are entered one by one instead (`ballots`: each paper ballot's
   * marks, struck or ticked names as on the ballot cast electronically), since a total per choice
   * cannot hold which names each ballot kept; they are sealed the same way, in random order.
   */
  'vote.paperTally': Type.Object(
    {
      voteId: Id,
      memberIds: Type.Array(Id, { minItems: 1, maxItems: MAX_PAPER_BALLOTS }),
      counts: Type.Optional(
        Type.Array(
          Type.Object(
            { choiceId: ChoiceId, count: Type.Integer({ minimum: 0, maximum: MAX_PAPER_BALLOTS }) },
            { additionalProperties: false },
          ),
          { minItems: 1, maxItems: MAX_CHOICES },
        ),
      ),
      ballots: Type.Optional(
        Type.Array(Type.Object({ marks: Type.Array(ChoiceId, { maxItems: MAX_CANDIDATES }) }, { additionalProperties: false }), {
          minItems: 1,
          maxItems: MAX_PAPER_BALLOTS,
        }),
      ),
    },
    { additionalProperties: false },
  ),
  /** a member authorises another to vote for them; officers may record it for an absent member (fromUserId) */
  'proxy.grant': Type.Object({ toUserId: Id, fromUserId: Type.Optional(Id) }, { additionalProperties: false }),
  'proxy.revoke': Type.Object({ fromUserId: Type.Optional(Id) }, { additionalProperties: false }),
} as const;

export interface VoteQuorum {
  members: number;
  /** voting members present, with those represented by a present proxy holder */
  present: number;
  required: number;
  reached: boolean;
}

export interface VoteResult {
  members: number;
  present: number;
  /** ballots cast, all choices */
  cast: number;
  /** per choice, in the vote's order */
  counts: { choiceId: string; count: number }[];
  rule: VoteRule;
  /** what the percentages are measured against: members, present or cast, by the rule */
  base: number;
  /** the least number of "for" that passes */
  needed: number;
  quorum: VoteQuorum;
  /** the rule is met and quorum held at closing */
  passed: boolean;
  /** named votes: who voted what (memberId = the member whose vote it is; castBy differs for a proxy) */
  named?: { memberId: string; castBy: string; choiceId: string; recordedBy?: string }[];
  /** secret votes: how many of the ballots were paper, counted by the counting committee */
  paperBallots?: number;
  /** secret votes: the published ballots, sorted by receipt (so their order reveals nothing) */
  ballots?: { receipt: string; choiceId: string }[];
  /** elections: per candidate, who is elected, ties at the last seat (counts: votes per candidate) */
  election?: ElectionOutcome;
}

export interface VoteEventPayloads {
  'vote.create': {
    voteId: string;
    itemId: string | null;
    question: string;
    choices: VoteChoice[];
    secret: boolean;
    rule: VoteRule;
    election?: ElectionSetup;
  };
  'vote.open': { voteId: string; quorum: VoteQuorum };
  'vote.close': { voteId: string; result: VoteResult };
  'vote.discard': { voteId: string };
  /** secret votes: no `choiceId`, ever */
  'ballot.cast': { voteId: string; memberId: string; choiceId?: string };
  /** the actor (chair or secretary) recorded this member's named vote */
  'ballot.record': { voteId: string; memberId: string; choiceId: string };
  /** who voted on paper; the counts never enter the log (sealed until close) */
  'vote.paperTally': { voteId: string; memberIds: string[] };
  'proxy.grant': { fromUserId: string; toUserId: string };
  'proxy.revoke': { fromUserId: string; toUserId: string };
}

export type VoteStatus = 'draft' | 'open' | 'closed';

export interface VoteState {
  id: string;
  itemId: string | null;
  question: string;
  choices: VoteChoice[];
  secret: boolean;
  rule: VoteRule;
  /** an election among `choices` as candidates */
  election?: ElectionSetup;
  status: VoteStatus;
  createdAt: string;
  openedAt: string | null;
  closedAt: string | null;
  /** proxies frozen when the vote opened: member → holder (a viewer sees only the ones they may) */
  proxies: Record<string, string>;
  /**
   * who has voted (public): member → the seq of their ballot event and who cast it; `via`: an
   * officer recorded it (named vote, member without a device) or it was a paper ballot (secret vote)
   */
  voted: Record<string, { seq: number; by: string; via?: 'recorded' | 'paper' }>;
  /** named votes only: member → choice id; always empty for a secret vote */
  named: Record<string, string>;
  quorumAtOpen: VoteQuorum | null;
  result: VoteResult | null;
}

export interface VotesState {
  byId: Record<string, VoteState>;
  /** in creation order */
  order: string[];
  openVoteId: string | null;
}

export const initialVotesState = (): VotesState => ({ byId: {}, order: [], openVoteId: null });

export const VOTE_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(VoteCommandSchemas));

type VoteEvent = {
  [K in keyof VoteEventPayloads]: { type: K; seq: number; actor: string; at: string; payload: VoteEventPayloads[K] };
}[keyof VoteEventPayloads];

/** The parts of the meeting state that vote and proxy events change. */
export interface VotingSlice {
  votes: VotesState;
  /** standing proxies: member → holder */
  proxies: Record<string, string>;
}

const patchVote = (votes: VotesState, id: string, f: (v: VoteState) => VoteState): VotesState => {
  const v = votes.byId[id];
  return v ? { ...votes, byId: { ...votes.byId, [id]: f(v) } } : votes;
};

/** Folds one vote.*, ballot.cast or proxy.* event (already checked by the server). */
export function applyVotingEvent(s: VotingSlice, e: VoteEvent): VotingSlice {
  switch (e.type) {
    case 'vote.create': {
      const p = e.payload;
      const v: VoteState = {
        id: p.voteId,
        itemId: p.itemId,
        question: p.question,
        choices: p.choices,
        secret: p.secret,
        rule: p.rule,
        ...(p.election ? { election: p.election } : {}),
        status: 'draft',
        createdAt: e.at,
        openedAt: null,
        closedAt: null,
        proxies: {},
        voted: {},
        named: {},
        quorumAtOpen: null,
        result: null,
      };
      return { ...s, votes: { ...s.votes, byId: { ...s.votes.byId, [v.id]: v }, order: [...s.votes.order, v.id] } };
    }
    case 'vote.open':
      return {
        ...s,
        votes: {
          ...patchVote(s.votes, e.payload.voteId, (v) => ({
            ...v,
            status: 'open',
            openedAt: e.at,
            proxies: { ...s.proxies },
            quorumAtOpen: e.payload.quorum,
          })),
          openVoteId: e.payload.voteId,
        },
      };
    case 'vote.close':
      return {
        ...s,
        votes: {
          ...patchVote(s.votes, e.payload.voteId, (v) => ({ ...v, status: 'closed', closedAt: e.at, result: e.payload.result })),
          openVoteId: s.votes.openVoteId === e.payload.voteId ? null : s.votes.openVoteId,
        },
      };
    case 'vote.discard': {
      const { [e.payload.voteId]: _gone, ...byId } = s.votes.byId;
      return { ...s, votes: { ...s.votes, byId, order: s.votes.order.filter((id) => id !== e.payload.voteId) } };
    }
    case 'ballot.cast': {
      const { voteId, memberId, choiceId } = e.payload;
      return {
        ...s,
        votes: patchVote(s.votes, voteId, (v) => ({
          ...v,
          voted: { ...v.voted, [memberId]: { seq: e.seq, by: e.actor } },
          named: !v.secret && choiceId !== undefined ? { ...v.named, [memberId]: choiceId } : v.named,
        })),
      };
    }
    case 'ballot.record': {
      const { voteId, memberId, choiceId } = e.payload;
      return {
        ...s,
        votes: patchVote(s.votes, voteId, (v) => ({
          ...v,
          voted: { ...v.voted, [memberId]: { seq: e.seq, by: e.actor, via: 'recorded' } },
          named: v.secret ? v.named : { ...v.named, [memberId]: choiceId },
        })),
      };
    }
    case 'vote.paperTally': {
      const { voteId, memberIds } = e.payload;
      return {
        ...s,
        votes: patchVote(s.votes, voteId, (v) => ({
          ...v,
          voted: {
            ...v.voted,
            ...Object.fromEntries(memberIds.map((m) => [m, { seq: e.seq, by: e.actor, via: 'paper' as const }])),
          },
        })),
      };
    }
    case 'proxy.grant':
      return { ...s, proxies: { ...s.proxies, [e.payload.fromUserId]: e.payload.toUserId } };
    case 'proxy.revoke': {
      const { [e.payload.fromUserId]: _gone, ...rest } = s.proxies;
      return { ...s, proxies: rest };
    }
  }
}

// ---- who counts as present for a vote, and quorum

const HERE: ReadonlySet<AttendanceStatus> = new Set<AttendanceStatus>(['present', 'late']);

/**
 * Voting members present for a vote: checked in (present/late), or who cast their own ballot (a
 * member who votes is in the room), or represented by a proxy whose holder is present.
 */
export function presentForVote(
  votingMemberIds: readonly string[],
  attendance: Readonly<Record<string, { status: AttendanceStatus } | undefined>>,
  proxies: Readonly<Record<string, string>>,
  votedOwn: ReadonlySet<string> = new Set(),
): string[] {
  const members = [...new Set(votingMemberIds)];
  const here = new Set(
    members.filter((id) => {
      const a = attendance[id];
      return (a !== undefined && HERE.has(a.status)) || votedOwn.has(id);
    }),
  );
  for (const id of members) {
    const holder = proxies[id];
    if (!here.has(id) && holder !== undefined && here.has(holder)) here.add(id);
  }
  return members.filter((id) => here.has(id));
}

/** Quorum for voting: more than half of the voting members present (proxies included). */
export function voteQuorum(members: number, present: number): VoteQuorum {
  const required = Math.floor(members / 2) + 1;
  return { members, present, required, reached: members > 0 && present >= required };
}

// ---- the result

export interface TallyInput {
  choices: readonly VoteChoice[];
  rule: VoteRule;
  members: number;
  present: number;
  /** one choice id per ballot */
  ballots: readonly string[];
  quorumReached: boolean;
}

/**
 * Counts ballots per choice and applies the rule to the first choice ("Tán thành"), in integers.
 * A ballot with a choice the vote does not have is a programming error and throws.
 */
export function tallyVote(t: TallyInput): Omit<VoteResult, 'named' | 'ballots'> {
  const err = validateRule(t.rule);
  if (err) throw new Error(err);
  const counts = new Map(t.choices.map((c) => [c.id, 0]));
  for (const b of t.ballots) {
    const n = counts.get(b);
    if (n === undefined) throw new Error(`unknown choice ${b}`);
    counts.set(b, n + 1);
  }
  const first = t.choices[0]?.id;
  const inFavour = first !== undefined ? (counts.get(first) ?? 0) : 0;
  const outcome = evaluateRule(t.rule, { members: t.members, present: t.present, cast: t.ballots.length, inFavour });
  const quorum = voteQuorum(t.members, t.present);
  return {
    members: t.members,
    present: t.present,
    cast: t.ballots.length,
    counts: t.choices.map((c) => ({ choiceId: c.id, count: counts.get(c.id) ?? 0 })),
    rule: t.rule,
    base: outcome.base,
    needed: outcome.needed,
    quorum: { ...quorum, reached: t.quorumReached && quorum.reached },
    passed: outcome.passed && t.quorumReached && quorum.reached,
  };
}

/** Running counts of a named vote (secret votes: only how many have voted). */
export function runningCounts(v: VoteState): { cast: number; counts: { choiceId: string; count: number }[] | null } {
  const cast = Object.keys(v.voted).length;
  if (v.secret) return { cast, counts: null };
  if (v.election) return { cast, counts: electionRunningCounts(v.choices, Object.values(v.named)) };
  const counts = v.choices.map((c) => ({ choiceId: c.id, count: 0 }));
  for (const choiceId of Object.values(v.named)) {
    const row = counts.find((c) => c.choiceId === choiceId);
    if (row) row.count++;
  }
  return { cast, counts };
}

/**
 * The official line for one choice: "Tán thành 12/15 phiếu (80,00%)". The percentage is of the
 * rule's base (all members, those present, or ballots cast).
 */
export function resultLine(label: string, count: number, base: number, unit = 'phiếu'): string {
  return `${label} ${count}/${base} ${unit} (${formatPercent(count, base)})`;
}

/** "Tán thành 12/15 phiếu (80,00%) — thông qua" */
export function announcement(
  result: VoteResult,
  choices: readonly VoteChoice[],
  words = { unit: 'phiếu', passed: 'thông qua', failed: 'không thông qua' },
): string {
  const first = choices[0];
  const count = result.counts[0]?.count ?? 0;
  return `${resultLine(first?.label ?? '', count, result.base, words.unit)} — ${result.passed ? words.passed : words.failed}`;
}

/** Receipt codes: 10 characters of Crockford base32 (no I, L, O, U), shown as XXXXX-XXXXX. */
export const RECEIPT_PATTERN = /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;
