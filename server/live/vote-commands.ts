// Votes, ballots and proxies (biểu quyết, phiếu, ủy quyền). The chair creates, opens and closes a
// vote; voting members cast one ballot each, and one more for each member they hold a proxy for.
// Secret ballots: the event says only who has voted; the choice goes, sealed, into the vote's ballot
// box in the same transaction (server/live/vote-ballot-box.ts), and into secret_ballots under its
// receipt only when the vote closes, all ballots at once (server/live/vote-receipts.ts for receipts).
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Query, Tables } from '../db/store';
import { scrubAfterSecretVote } from '../db/scrub';
import { randomBytes } from 'node:crypto';
import { newId } from '../ids';
import { AppError } from '../errors';
import { isVotingRole, mayCastBallot, mayHandleProxy, mayRecordBallots, mayRunVotes } from '../policies/vote-policy';
import type { MeetingState } from '../../shared/meeting-state';
import { VOTING_ROLES } from '../../shared/roles';
import { validateRule } from '../../shared/vote-rules';
import { ballotFromMarks, MAX_CANDIDATES, tallyElection } from '../../shared/elections';
import {
  DEFAULT_CHOICES,
  MAX_CHOICES,
  presentForVote,
  tallyVote,
  voteQuorum,
  type VoteChoice,
  type VoteResult,
  type VoteState,
} from '../../shared/votes';
import type { CommandContext, CommandDefinition } from './commands';
import { requireMember } from './references';
import { receiptFor, receiptFrom, sealNewReceiptKey, voteKey } from './vote-receipts';
import { cryptoShuffled, dropInBox, openBox, publishBallots } from './vote-ballot-box';

// who may do what: policies/vote-policy.ts
const chairOnly = mayRunVotes;
const isVoter = isVotingRole;
// the chair and secretary in the room (an administrator who is not a member is not)
const isOfficer = mayRecordBallots;

/** Membership changes outside the log: read the voting members fresh for every decision. */
export async function votingMembersOf(q: Query, t: Tables, meetingId: string): Promise<string[]> {
  const rows = await q
    .select({ userId: t.meetingMembers.userId })
    .from(t.meetingMembers)
    .where(and(eq(t.meetingMembers.meetingId, meetingId), inArray(t.meetingMembers.role, [...VOTING_ROLES])))
    .orderBy(asc(t.meetingMembers.userId));
  return rows.map((r) => r.userId);
}

function requireVote(state: MeetingState, voteId: string): VoteState {
  const v = state.votes.byId[voteId];
  if (!v) throw new AppError('NOT_FOUND', 'Vote not found in this meeting');
  return v;
}

function requireNoOpenVote(state: MeetingState, what: string) {
  if (state.votes.openVoteId !== null) throw new AppError('CONFLICT', `Cannot ${what} while a vote is open`);
}

async function requireVotingMember(q: Query, t: Tables, meetingId: string, userId: string, who: string): Promise<void> {
  const role = await requireMember(q, t, meetingId, userId);
  if (!isVoter(role)) throw new AppError('INVALID', `${who} does not hold a vote in this meeting`);
}

/** Members whose own ballot is cast by themselves: a member who votes is in the room. */
const votedOwn = (v: VoteState) =>
  new Set(
    Object.entries(v.voted)
      .filter(([m, x]) => x.by === m)
      .map(([m]) => m),
  );

/**
 * What the ballot says, as the one choice id that is logged (named), sealed (secret) and counted:
 * the choice itself, or for an election the selection code of the names kept (shared/elections.ts).
 */
function ballotChoice(vote: VoteState, payload: { choice?: string; marks?: string[] }): string {
  if (vote.election) {
    if (payload.choice !== undefined || payload.marks === undefined)
      throw new AppError('INVALID', 'An election ballot marks names (marks), not a choice');
    const b = ballotFromMarks(vote.election, vote.choices, payload.marks);
    if (!b.ok) throw new AppError('INVALID', b.message);
    return b.code;
  }
  if (payload.marks !== undefined || payload.choice === undefined) throw new AppError('INVALID', 'This ballot needs one choice');
  if (!vote.choices.some((c) => c.id === payload.choice)) throw new AppError('INVALID', 'This choice is not on the ballot');
  return payload.choice;
}

/** Everything a ballot must satisfy, in refusal order; returns whose vote it is and what it says. */
function checkBallot(ctx: CommandContext<'ballot.cast'>): { vote: VoteState; memberId: string; choice: string } {
  const { state, access, payload } = ctx;
  const vote = requireVote(state, payload.voteId);
  if (vote.status === 'draft') throw new AppError('CONFLICT', 'This vote is not open yet');
  if (vote.status === 'closed') throw new AppError('CONFLICT', 'This vote is closed');
  const choice = ballotChoice(vote, payload);
  const memberId = payload.onBehalfOf ?? access.userId;
  if (payload.onBehalfOf !== undefined && payload.onBehalfOf !== access.userId) {
    // proxies were frozen when the vote opened
    if (vote.proxies[payload.onBehalfOf] !== access.userId)
      throw new AppError('FORBIDDEN', 'You do not hold a proxy for this member in this vote');
  } else {
    const holder = vote.proxies[access.userId];
    if (holder !== undefined) throw new AppError('CONFLICT', 'Your vote in this ballot is delegated to another member');
  }
  // a paper ballot (or an officer's record) is this member's one ballot: answering with it would
  // hand out a receipt for somebody else's paper choice
  if (vote.voted[memberId]?.via !== undefined)
    throw new AppError('CONFLICT', "This member's vote has already been recorded by an officer");
  return { vote, memberId, choice };
}

const HERE = new Set(['present', 'late']);

/**
 * A member an officer may vote for (ballot.record, vote.paperTally): a voting member marked present
 * (or late) on the attendance list, whose vote is not delegated and who has not voted. The server
 * cannot know whether a tablet works, so it does not try: the officer's name is on the event, which
 * everyone sees at once, and in the minutes.
 */
async function requireRecordable(
  ctx: { q: Query; t: Tables; meetingId: string; state: MeetingState },
  vote: VoteState,
  memberId: string,
): Promise<void> {
  await requireVotingMember(ctx.q, ctx.t, ctx.meetingId, memberId, 'This member');
  if (!HERE.has(ctx.state.attendance[memberId]?.status ?? 'absent'))
    throw new AppError('CONFLICT', 'Only a member marked present in the room can have their vote recorded');
  if (vote.proxies[memberId] !== undefined) throw new AppError('CONFLICT', 'This member has delegated their vote in this ballot');
  if (vote.voted[memberId]) throw new AppError('CONFLICT', 'This member has already voted');
}

function requireOpen(vote: VoteState): void {
  if (vote.status === 'draft') throw new AppError('CONFLICT', 'This vote is not open yet');
  if (vote.status === 'closed') throw new AppError('CONFLICT', 'This vote is closed');
}

/**
 * The paper ballots of vote.paperTally as one choice id each: a plain secret vote's totals per choice,
 * or a secret election's ballots one by one (each paper ballot's marks → its selection code, the same
 * rule as a ballot cast on a tablet: shared/elections.ts ballotFromMarks). As many ballots as members
 * who voted on paper.
 */
function paperChoices(
  vote: VoteState,
  payload: { memberIds: string[]; counts?: { choiceId: string; count: number }[]; ballots?: { marks: string[] }[] },
): string[] {
  let choices: string[];
  if (vote.election) {
    // a total per candidate cannot say which names each ballot kept: the committee enters each ballot
    if (payload.counts !== undefined || payload.ballots === undefined)
      throw new AppError('CONFLICT', "Paper ballots of an election cannot be entered as a total: enter each ballot's marks");
    choices = payload.ballots.map((b, i) => {
      const r = ballotFromMarks(vote.election!, vote.choices, b.marks);
      if (!r.ok) throw new AppError('INVALID', `Paper ballot ${i + 1}: ${r.message}`);
      return r.code;
    });
  } else {
    if (payload.ballots !== undefined || payload.counts === undefined)
      throw new AppError('INVALID', 'Enter the paper ballots of a vote as counts per choice');
    const counts = payload.counts;
    if (new Set(counts.map((c) => c.choiceId)).size !== counts.length) throw new AppError('INVALID', 'A choice is listed twice');
    if (counts.some((c) => !vote.choices.some((x) => x.id === c.choiceId)))
      throw new AppError('INVALID', 'This choice is not on the ballot');
    choices = counts.flatMap((c) => Array.from({ length: c.count }, () => c.choiceId));
  }
  if (choices.length !== payload.memberIds.length)
    throw new AppError(
      'INVALID',
      `The paper ballots counted (${choices.length}) must equal the members who voted on paper (${payload.memberIds.length})`,
    );
  return choices;
}

/** Fisher–Yates with crypto randomness: which paper choice goes with which member's row means nothing. */
const shuffled = cryptoShuffled;

async function secretReceipt(
  ctx: Omit<CommandContext<'ballot.cast'>, 'payload'>,
  voteId: string,
  memberId: string,
): Promise<string> {
  const r = await receiptFor(ctx.q, ctx.t, ctx.tokens, ctx.meetingId, voteId, memberId);
  if (r === null) throw new AppError('CONFLICT', 'This vote is closed');
  return r;
}

/** tallyVote, or for an election the per-candidate count and the seat rule (shared/elections.ts) */
function tally(
  vote: VoteState,
  members: number,
  present: number,
  ballots: string[],
  quorumReached: boolean,
): Omit<VoteResult, 'named' | 'ballots'> {
  if (!vote.election) return tallyVote({ choices: vote.choices, rule: vote.rule, members, present, ballots, quorumReached });
  const e = tallyElection({
    setup: vote.election,
    candidates: vote.choices,
    rule: vote.rule,
    members,
    present,
    ballots,
    quorumReached,
  });
  const quorum = voteQuorum(members, present);
  return {
    members,
    present,
    cast: ballots.length,
    counts: e.counts,
    rule: vote.rule,
    base: e.base,
    needed: e.needed,
    quorum: { ...quorum, reached: quorumReached && quorum.reached },
    // an election "passes" when every seat is filled
    passed: e.outcome.unfilledSeats === 0,
    election: e.outcome,
  };
}

async function closeResult(ctx: CommandContext<'vote.close'>, vote: VoteState): Promise<VoteResult> {
  const members = await votingMembersOf(ctx.q, ctx.t, ctx.meetingId);
  const present = presentForVote(members, ctx.state.attendance, vote.proxies, votedOwn(vote)).length;
  const quorum = voteQuorum(members.length, present);
  if (vote.secret) {
    // the published ballot list: receipts with choices, sorted by receipt so order reveals nothing
    const ballots = await openBox(ctx.q, ctx.t, await voteKey(ctx.q, ctx.t, ctx.tokens, ctx.meetingId, vote.id), vote.id);
    const counted = tally(
      vote,
      members.length,
      present,
      ballots.map((b) => b.choiceId),
      quorum.reached,
    );
    const paperBallots = Object.values(vote.voted).filter((x) => x.via === 'paper').length;
    return { ...counted, ballots, ...(paperBallots > 0 ? { paperBallots } : {}) };
  }
  const named = Object.entries(vote.named)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([memberId, choiceId]) => {
      const v = vote.voted[memberId];
      return v?.via === 'recorded'
        ? { memberId, castBy: memberId, choiceId, recordedBy: v.by }
        : { memberId, castBy: v?.by ?? memberId, choiceId };
    });
  return {
    ...tally(
      vote,
      members.length,
      present,
      named.map((n) => n.choiceId),
      quorum.reached,
    ),
    named,
  };
}

export const voteCommands: {
  'vote.create': CommandDefinition<'vote.create'>;
  'vote.open': CommandDefinition<'vote.open'>;
  'vote.close': CommandDefinition<'vote.close'>;
  'vote.discard': CommandDefinition<'vote.discard'>;
  'ballot.cast': CommandDefinition<'ballot.cast'>;
  'ballot.record': CommandDefinition<'ballot.record'>;
  'vote.paperTally': CommandDefinition<'vote.paperTally'>;
  'proxy.grant': CommandDefinition<'proxy.grant'>;
  'proxy.revoke': CommandDefinition<'proxy.revoke'>;
} = {
  'vote.create': {
    authorize: chairOnly,
    decide: ({ state, payload }) => {
      if (state.status !== 'running' && state.status !== 'paused')
        throw new AppError('CONFLICT', `Cannot create a vote: the meeting is ${state.status}`);
      const question = payload.question.trim();
      if (!question) throw new AppError('INVALID', 'The question is empty');
      const ruleError = validateRule(payload.rule);
      if (ruleError) throw new AppError('INVALID', ruleError);
      let choices: VoteChoice[] = DEFAULT_CHOICES.map((c) => ({ ...c }));
      if (payload.election) {
        if (!payload.choices) throw new AppError('INVALID', 'An election needs its list of candidates');
        if (payload.election.seats > payload.choices.length) throw new AppError('INVALID', 'More seats than candidates');
      } else if (payload.choices && payload.choices.length > MAX_CHOICES) {
        throw new AppError('INVALID', `At most ${MAX_CHOICES} choices (an election may list up to ${MAX_CANDIDATES} candidates)`);
      }
      if (payload.choices) {
        const labels = payload.choices.map((c) => c.trim());
        if (labels.some((l) => !l)) throw new AppError('INVALID', 'A choice is empty');
        if (new Set(labels.map((l) => l.toLocaleLowerCase('vi'))).size !== labels.length)
          throw new AppError('INVALID', 'Two choices are the same');
        choices = labels.map((label, i) => ({ id: `c${i + 1}`, label }));
      }
      return {
        voteId: newId(),
        itemId: state.currentItemId,
        question,
        choices,
        secret: payload.secret,
        rule: payload.rule,
        ...(payload.election ? { election: { ...payload.election } } : {}),
      };
    },
    alsoInTx: async (tx, t, meetingId, p, at) => {
      await tx.insert(t.votes).values({
        id: p.voteId,
        meetingId,
        itemId: p.itemId,
        question: p.question,
        choices: JSON.stringify(p.choices),
        secret: p.secret,
        rule: JSON.stringify(p.rule),
        status: 'draft',
        createdAt: at,
      });
    },
  },
  'vote.discard': {
    authorize: chairOnly,
    decide: ({ state, payload }) => {
      const v = requireVote(state, payload.voteId);
      if (v.status !== 'draft') throw new AppError('CONFLICT', 'Only a vote that has not been opened can be discarded');
      return { voteId: v.id };
    },
    alsoInTx: async (tx, t, _m, p) => {
      await tx.delete(t.votes).where(eq(t.votes.id, p.voteId));
    },
  },
  'vote.open': {
    authorize: chairOnly,
    decide: async ({ q, t, meetingId, state, payload }) => {
      if (state.status !== 'running') throw new AppError('CONFLICT', `Cannot open a vote: the meeting is ${state.status}`);
      const v = requireVote(state, payload.voteId);
      if (v.status !== 'draft')
        throw new AppError('CONFLICT', v.status === 'open' ? 'This vote is already open' : 'This vote is closed');
      requireNoOpenVote(state, 'open another vote');
      const members = await votingMembersOf(q, t, meetingId);
      const quorum = voteQuorum(members.length, presentForVote(members, state.attendance, state.proxies).length);
      if (!quorum.reached) {
        throw new AppError(
          'NO_QUORUM',
          `Quorum not reached: ${quorum.present} of ${quorum.members} voting members present, ${quorum.required} needed`,
        );
      }
      return { voteId: v.id, quorum };
    },
    privateInTx: async (tx, t, ctx, event) => {
      const v = ctx.state.votes.byId[ctx.payload.voteId];
      await tx
        .update(t.votes)
        .set({
          status: 'open',
          openedAt: event.at,
          ...(v?.secret ? { receiptKey: sealNewReceiptKey(ctx.tokens) } : {}),
        })
        .where(eq(t.votes.id, ctx.payload.voteId));
    },
  },
  'vote.close': {
    authorize: chairOnly,
    // the key's and the sealed ballots' older copies leave the WAL too (secure_delete did the pages)
    afterCommit: (store, p) => {
      if (p.result.ballots) scrubAfterSecretVote(store);
    },
    decide: async (ctx) => {
      const v = requireVote(ctx.state, ctx.payload.voteId);
      if (v.status !== 'open')
        throw new AppError('CONFLICT', v.status === 'draft' ? 'This vote is not open' : 'This vote is already closed');
      return { voteId: v.id, result: await closeResult(ctx, v) };
    },
    // erasing the receipt key is what makes the ballots unlinkable for good; the ballots are
    // published in this same transaction, in receipt order, and their sealed copies deleted
    alsoInTx: async (tx, t, _m, p, at) => {
      if (p.result.ballots) await publishBallots(tx, t, p.voteId, p.result.ballots);
      await tx
        .update(t.votes)
        .set({ status: 'closed', closedAt: at, result: JSON.stringify(p.result), receiptKey: null })
        .where(eq(t.votes.id, p.voteId));
    },
  },
  'ballot.cast': {
    authorize: mayCastBallot,
    existing: async (ctx) => {
      const { vote, memberId } = checkBallot(ctx);
      const first = vote.voted[memberId];
      if (!first) return undefined;
      // one ballot per member: casting again (even another choice) answers with the first ballot
      return { seq: first.seq, ...(vote.secret ? { ack: { receipt: await secretReceipt(ctx, vote.id, memberId) } } : {}) };
    },
    decide: (ctx) => {
      const { vote, memberId, choice } = checkBallot(ctx);
      return vote.secret ? { voteId: vote.id, memberId } : { voteId: vote.id, memberId, choiceId: choice };
    },
    privateInTx: async (tx, t, ctx, event) => {
      const memberId = (event.payload as { memberId: string }).memberId;
      // the database's own guarantee of one ballot per member per vote (primary key)
      await tx.insert(t.voteParticipations).values({ voteId: ctx.payload.voteId, memberId, castBy: ctx.access.userId });
      const vote = ctx.state.votes.byId[ctx.payload.voteId];
      if (vote?.secret) {
        const key = await voteKey(tx, t, ctx.tokens, ctx.meetingId, vote.id);
        if (!key) throw new AppError('CONFLICT', 'This vote is closed');
        await dropInBox(tx, t, key, vote.id, receiptFrom(key, vote.id, memberId), checkBallot(ctx).choice);
      }
    },
    ackExtras: async (ctx, p) =>
      ctx.state.votes.byId[p.voteId]?.secret ? { receipt: await secretReceipt(ctx, p.voteId, p.memberId) } : undefined,
    repeatAck: async (ctx, seq) => {
      for (const v of Object.values(ctx.state.votes.byId)) {
        if (!v.secret || v.status !== 'open') continue;
        const memberId = Object.entries(v.voted).find(([, x]) => x.seq === seq)?.[0];
        if (memberId !== undefined) return { receipt: await secretReceipt(ctx, v.id, memberId) };
      }
      return undefined;
    },
  },
  'ballot.record': {
    authorize: isOfficer,
    decide: async (ctx) => {
      const vote = requireVote(ctx.state, ctx.payload.voteId);
      requireOpen(vote);
      if (vote.secret)
        throw new AppError(
          'CONFLICT',
          'A secret vote cannot be recorded by name: enter the paper ballots counted by the counting committee',
        );
      if (vote.election)
        throw new AppError('CONFLICT', 'An election is voted on the ballot itself; it cannot be recorded by an officer');
      if (!vote.choices.some((c) => c.id === ctx.payload.choice))
        throw new AppError('INVALID', 'This choice is not on the ballot');
      await requireRecordable(ctx, vote, ctx.payload.memberId);
      return { voteId: vote.id, memberId: ctx.payload.memberId, choiceId: ctx.payload.choice };
    },
    alsoInTx: async (tx, t, _m, p, _at, event) => {
      await tx
        .insert(t.voteParticipations)
        .values({ voteId: p.voteId, memberId: p.memberId, castBy: event?.actor ?? p.memberId });
    },
  },
  'vote.paperTally': {
    authorize: isOfficer,
    decide: async (ctx) => {
      const { payload } = ctx;
      const vote = requireVote(ctx.state, payload.voteId);
      requireOpen(vote);
      if (!vote.secret) throw new AppError('CONFLICT', 'A named vote is recorded member by member, not as a paper total');
      if (new Set(payload.memberIds).size !== payload.memberIds.length) throw new AppError('INVALID', 'A member is listed twice');
      // the paper ballots as the choice ids to seal (checked here; sealed in privateInTx)
      paperChoices(vote, payload);
      for (const m of payload.memberIds) {
        await requireRecordable(ctx, vote, m);
        // a proxy holder's ballots are cast electronically for the member they represent too: one way per person
        if (Object.values(vote.proxies).includes(m))
          throw new AppError('CONFLICT', 'A member holding a proxy votes on the tablet, not on paper');
      }
      return { voteId: vote.id, memberIds: [...payload.memberIds].sort() };
    },
    privateInTx: async (tx, t, ctx, event) => {
      const key = await voteKey(tx, t, ctx.tokens, ctx.meetingId, ctx.payload.voteId);
      if (!key) throw new AppError('CONFLICT', 'This vote is closed');
      for (const m of ctx.payload.memberIds)
        await tx.insert(t.voteParticipations).values({ voteId: ctx.payload.voteId, memberId: m, castBy: event.actor });
      // one sealed ballot per paper ballot, under a random receipt nobody holds (a paper voter has no
      // receipt to check), in random order: the box then looks like any other ballots
      const choices = shuffled(paperChoices(requireVote(ctx.state, ctx.payload.voteId), ctx.payload));
      for (const choiceId of choices)
        await dropInBox(tx, t, key, ctx.payload.voteId, receiptFrom(randomBytes(32), ctx.payload.voteId, 'paper'), choiceId);
    },
  },
  'proxy.grant': {
    authorize: mayHandleProxy,
    decide: async ({ q, t, meetingId, state, access, payload }) => {
      if (state.status === 'ended') throw new AppError('CONFLICT', 'The meeting has ended');
      const from = payload.fromUserId ?? access.userId;
      if (from !== access.userId && !isOfficer(access))
        throw new AppError('FORBIDDEN', 'Only the chair or the secretary records a proxy for another member');
      requireNoOpenVote(state, 'change proxies');
      await requireVotingMember(q, t, meetingId, from, 'The member giving the proxy');
      await requireVotingMember(q, t, meetingId, payload.toUserId, 'The proxy holder');
      if (payload.toUserId === from) throw new AppError('INVALID', 'A member cannot hold their own proxy');
      if (state.proxies[from] !== undefined)
        throw new AppError('CONFLICT', 'This member has already given a proxy; revoke it first');
      // no chains: a holder has not delegated, and a delegating member holds nobody's vote
      if (state.proxies[payload.toUserId] !== undefined)
        throw new AppError('CONFLICT', 'The chosen holder has delegated their own vote');
      if (Object.values(state.proxies).includes(from))
        throw new AppError('CONFLICT', 'This member holds a proxy for someone else and cannot delegate');
      return { fromUserId: from, toUserId: payload.toUserId };
    },
  },
  'proxy.revoke': {
    authorize: mayHandleProxy,
    decide: ({ state, access, payload }) => {
      const from = payload.fromUserId ?? access.userId;
      if (from !== access.userId && !isOfficer(access))
        throw new AppError('FORBIDDEN', 'Only the chair or the secretary revokes a proxy for another member');
      const to = state.proxies[from];
      if (to === undefined) throw new AppError('NOT_FOUND', 'This member has not given a proxy');
      // revocable until a vote opens; a vote in progress keeps the proxies it opened with
      requireNoOpenVote(state, 'change proxies');
      return { fromUserId: from, toUserId: to };
    },
  },
};
