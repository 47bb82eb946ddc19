// Votes, ballots and proxies on real sockets against a real server and SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { barrier, until } from '../helpers/live-client';
import { votingMeeting, type VotingMeeting } from '../helpers/vote-fixture';
import type { CommandAck, LiveEvent } from '../../shared/events';
import { announcement, RECEIPT_PATTERN, type VoteResult } from '../../shared/votes';
import { columnsOf, sqlAll, sqlCount, sqlGet, tableNames } from '../helpers/raw-sql';

let t: TestApp;
let v: VotingMeeting;

const ok = (a: CommandAck) => {
  if (!a.ok) throw new Error(`refused: ${a.error.code} ${a.error.message}`);
  return a;
};
const lastEvent = (user: string, type: string): LiveEvent | undefined =>
  [...v.s[user]!.events].reverse().find((e) => e.type === type);
const state = () => t.app.live.runtime.state(v.meetingId);
const eventCount = () => sqlCount(t.app, 'SELECT count(*) AS n FROM meeting_events');

async function createVote(payload: Record<string, unknown>): Promise<string> {
  const before = v.s.chair!.events.length;
  ok(await v.cmd('chair', 'vote.create', payload));
  await until(() => v.s.chair!.events.slice(before).some((e) => e.type === 'vote.create'));
  return (lastEvent('chair', 'vote.create')!.payload as { voteId: string }).voteId;
}

/** Every refused command leaves the state and the log as they were. */
async function refused(user: string, type: Parameters<VotingMeeting['cmd']>[1], payload: Record<string, unknown>, code: string) {
  const before = state();
  const n = await eventCount();
  const ack = await v.cmd(user, type, payload);
  expect(ack).toMatchObject({ ok: false, error: { code } });
  expect(state()).toBe(before);
  expect(await eventCount()).toBe(n);
}

beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  v = await votingMeeting(t, 8); // 6 demo voters + 8 = 14 voting members
  ok(await v.cmd('chair', 'meeting.start', {}));
});
afterAll(async () => {
  v.close();
  await t.close();
});

describe('proxies (ủy quyền)', () => {
  it('a member authorises another; officers, the two members see it, nobody else (not the room screen)', async () => {
    const a = ok(await v.cmd('delegate5', 'proxy.grant', { toUserId: v.id.delegate4! }));
    await until(() => v.s.chair!.events.some((e) => e.seq === a.seq));
    await until(() => v.s.secretary!.events.some((e) => e.seq === a.seq) && v.s.delegate4!.events.some((e) => e.seq === a.seq));
    await barrier(v.s.delegate1!);
    await barrier(v.room);
    expect(v.s.delegate1!.events.some((e) => e.seq === a.seq)).toBe(false);
    expect(v.room.events.some((e) => e.seq === a.seq)).toBe(false);
    expect(state().proxies).toEqual({ [v.id.delegate5!]: v.id.delegate4! });
  });

  it('refuses chains, a second proxy, oneself, non-voters, and others acting for someone', async () => {
    await refused('delegate4', 'proxy.grant', { toUserId: v.id.delegate3! }, 'CONFLICT'); // holder cannot delegate
    await refused('delegate3', 'proxy.grant', { toUserId: v.id.delegate5! }, 'CONFLICT'); // delegator cannot hold
    await refused('delegate5', 'proxy.grant', { toUserId: v.id.delegate3! }, 'CONFLICT'); // one proxy per member
    await refused('delegate3', 'proxy.grant', { toUserId: v.id.delegate3! }, 'INVALID');
    await refused('delegate3', 'proxy.grant', { toUserId: v.id.guest1! }, 'INVALID');
    await refused('guest1', 'proxy.grant', { toUserId: v.id.delegate3! }, 'FORBIDDEN');
    await refused('observer1', 'proxy.grant', { toUserId: v.id.delegate3! }, 'FORBIDDEN');
    await refused('delegate1', 'proxy.grant', { toUserId: v.id.delegate3!, fromUserId: v.id.delegate2! }, 'FORBIDDEN');
    await refused('delegate1', 'proxy.revoke', { fromUserId: v.id.delegate5! }, 'FORBIDDEN');
  });

  it('the secretary records a written proxy for an absent member, and revokes it', async () => {
    ok(await v.cmd('secretary', 'proxy.grant', { fromUserId: v.id.voter08!, toUserId: v.id.delegate3! }));
    expect(state().proxies[v.id.voter08!]).toBe(v.id.delegate3);
    ok(await v.cmd('secretary', 'proxy.revoke', { fromUserId: v.id.voter08! }));
    expect(state().proxies[v.id.voter08!]).toBeUndefined();
    await refused('secretary', 'proxy.revoke', { fromUserId: v.id.voter08! }, 'NOT_FOUND');
  });
});

describe('a named vote (công khai)', () => {
  let voteId = '';
  it('only the chair creates and opens; quorum is required to open', async () => {
    await refused(
      'delegate1',
      'vote.create',
      { question: 'X', secret: false, rule: { kind: 'majority_of_members' } },
      'FORBIDDEN',
    );
    await refused(
      'chair',
      'vote.create',
      { question: 'X', secret: false, rule: { kind: 'threshold', numerator: 3, denominator: 2, base: 'members', strict: false } },
      'INVALID',
    );
    await refused(
      'chair',
      'vote.create',
      { question: 'X', secret: false, choices: ['A', 'a'], rule: { kind: 'majority_of_members' } },
      'INVALID',
    );
    voteId = await createVote({ question: 'Thông qua kế hoạch năm 2027?', secret: false, rule: { kind: 'majority_of_members' } });
    expect(state().votes.byId[voteId]).toMatchObject({
      status: 'draft',
      choices: [{ id: 'for', label: 'Tán thành' }, { id: 'against' }, { id: 'abstain' }],
    });
    await refused('delegate1', 'vote.open', { voteId }, 'FORBIDDEN');
    // 14 voting members, nobody present yet: quorum (8) missing
    await refused('chair', 'vote.open', { voteId }, 'NO_QUORUM');
    await refused('delegate1', 'ballot.cast', { voteId, choice: 'for' }, 'CONFLICT'); // not open yet
    // 7 present + delegate5 represented by delegate4 (present) = 8 of 14
    for (const u of ['chair', 'delegate1', 'delegate2', 'delegate3', 'delegate4', 'voter01', 'voter02']) {
      ok(await v.cmd('secretary', 'attendance.mark', { userId: v.id[u]!, status: 'present' }));
    }
    ok(await v.cmd('chair', 'vote.open', { voteId }));
    expect(state().votes.byId[voteId]).toMatchObject({
      status: 'open',
      quorumAtOpen: { members: 14, present: 8, required: 8, reached: true },
    });
    await refused('chair', 'vote.open', { voteId }, 'CONFLICT');
  });

  it('refuses guests, observers, unknown choices, proxies not held, and proxy changes while open', async () => {
    await refused('guest1', 'ballot.cast', { voteId, choice: 'for' }, 'FORBIDDEN');
    await refused('observer1', 'ballot.cast', { voteId, choice: 'for' }, 'FORBIDDEN');
    await refused('secretary', 'ballot.cast', { voteId, choice: 'for' }, 'FORBIDDEN');
    await refused('delegate1', 'ballot.cast', { voteId, choice: 'maybe' }, 'INVALID');
    await refused('delegate1', 'ballot.cast', { voteId, choice: 'for', onBehalfOf: v.id.delegate5! }, 'FORBIDDEN');
    await refused('delegate5', 'ballot.cast', { voteId, choice: 'for' }, 'CONFLICT'); // delegated
    await refused('delegate5', 'proxy.revoke', {}, 'CONFLICT');
    await refused('delegate1', 'ballot.cast', { voteId: 'nope', choice: 'for' }, 'NOT_FOUND');
  });

  it('counts live, one ballot per member (and per proxy held), a repeat returns the first', async () => {
    const first = ok(await v.cmd('delegate1', 'ballot.cast', { voteId, choice: 'for' }));
    const again = ok(await v.cmd('delegate1', 'ballot.cast', { voteId, choice: 'against' }));
    expect(again.seq).toBe(first.seq);
    const retried = ok(await v.cmd('delegate2', 'ballot.cast', { voteId, choice: 'against' }, 'retry-1'));
    expect(ok(await v.cmd('delegate2', 'ballot.cast', { voteId, choice: 'for' }, 'retry-1')).seq).toBe(retried.seq);
    ok(await v.cmd('delegate4', 'ballot.cast', { voteId, choice: 'for' }));
    ok(await v.cmd('delegate4', 'ballot.cast', { voteId, choice: 'for', onBehalfOf: v.id.delegate5! }));
    ok(await v.cmd('chair', 'ballot.cast', { voteId, choice: 'for' }));
    ok(await v.cmd('voter01', 'ballot.cast', { voteId, choice: 'abstain' }));
    await until(() => v.room.events.filter((e) => e.type === 'ballot.cast').length === 6);
    const cast = v.room.events.filter((e) => e.type === 'ballot.cast').map((e) => e.payload);
    expect(cast).toContainEqual({ voteId, memberId: v.id.delegate5, choiceId: 'for' });
    expect(v.s.delegate3!.events.filter((e) => e.type === 'ballot.cast')).toHaveLength(6);
    const rows = await sqlAll(t.app, 'SELECT member_id, cast_by FROM vote_participations WHERE vote_id = ?', voteId);
    expect(rows).toHaveLength(6);
    expect(rows).toContainEqual({ member_id: v.id.delegate5, cast_by: v.id.delegate4 });
  });

  it('the chair closes; the result is announced everywhere in the official form; no ballot after close', async () => {
    await refused('delegate1', 'vote.close', { voteId }, 'FORBIDDEN');
    ok(await v.cmd('chair', 'vote.close', { voteId }));
    await until(() => v.room.events.some((e) => e.type === 'vote.close'));
    const result = (lastEvent('delegate3', 'vote.close')!.payload as { result: VoteResult }).result;
    // 14 members; for: delegate1, delegate4, delegate5 (by proxy), chair = 4 → 4/14 is not more than half
    expect(result).toMatchObject({
      members: 14,
      present: 8,
      cast: 6,
      base: 14,
      needed: 8,
      passed: false,
      counts: [
        { choiceId: 'for', count: 4 },
        { choiceId: 'against', count: 1 },
        { choiceId: 'abstain', count: 1 },
      ],
    });
    expect(result.named).toContainEqual({ memberId: v.id.delegate5, castBy: v.id.delegate4, choiceId: 'for' });
    expect(result.ballots).toBeUndefined();
    expect(announcement(result, state().votes.byId[voteId]!.choices)).toBe('Tán thành 4/14 phiếu (28,57%) — không thông qua');
    await refused('voter02', 'ballot.cast', { voteId, choice: 'for' }, 'CONFLICT');
    await refused('chair', 'vote.close', { voteId }, 'CONFLICT');
    const row = (await sqlGet<{ status: string; result: string }>(
      t.app,
      'SELECT status, result FROM votes WHERE id = ?',
      voteId,
    ))!;
    expect(row.status).toBe('closed');
    expect(JSON.parse(row.result)).toEqual(result);
  });

  it('proxies are revocable again once the vote has closed', async () => {
    ok(await v.cmd('delegate5', 'proxy.revoke', {}));
    expect(state().proxies).toEqual({});
  });
});

describe('a secret vote (bỏ phiếu kín)', () => {
  let voteId = '';
  const receipts: Record<string, string> = {};
  const choices: Record<string, string> = {};

  it('the ballot event says who voted, never what; the receipt goes to the voter alone', async () => {
    ok(await v.cmd('delegate2', 'proxy.grant', { toUserId: v.id.delegate1! }));
    ok(await v.cmd('secretary', 'attendance.mark', { userId: v.id.voter03!, status: 'present' }));
    voteId = await createVote({ question: 'Giới thiệu nhân sự', secret: true, rule: { kind: 'two_thirds_of_members' } });
    ok(await v.cmd('chair', 'vote.open', { voteId }));
    const plan: [string, string, string?][] = [
      ['chair', 'for'],
      ['delegate1', 'for'],
      ['delegate1', 'against', 'delegate2'],
      ['delegate3', 'abstain'],
      ['delegate4', 'for'],
      ['voter01', 'against'],
      ['voter02', 'for'],
      ['voter03', 'for'],
      ['voter04', 'against'],
      ['voter05', 'for'],
    ];
    for (const [user, choice, onBehalfOf] of plan) {
      const ack = ok(
        await v.cmd(user, 'ballot.cast', { voteId, choice, ...(onBehalfOf ? { onBehalfOf: v.id[onBehalfOf] } : {}) }),
      );
      expect(ack.receipt).toMatch(RECEIPT_PATTERN);
      receipts[onBehalfOf ?? user] = ack.receipt!;
      choices[onBehalfOf ?? user] = choice;
    }
    expect(new Set(Object.values(receipts)).size).toBe(10);
    await until(
      () =>
        v.room.events.filter((e) => e.type === 'ballot.cast' && (e.payload as { voteId: string }).voteId === voteId).length ===
        10,
    );
    for (const e of v.room.events.filter(
      (x) => x.type === 'ballot.cast' && (x.payload as { voteId: string }).voteId === voteId,
    )) {
      expect(Object.keys(e.payload as object).sort()).toEqual(['memberId', 'voteId']);
    }
    // only the count while open: nobody's state holds a choice
    expect(state().votes.byId[voteId]!.named).toEqual({});
    expect(Object.keys(state().votes.byId[voteId]!.voted)).toHaveLength(10);
  });

  it("a repeat (new id or retried id) returns the first ballot's receipt and changes nothing", async () => {
    const n = await eventCount();
    const again = ok(await v.cmd('voter05', 'ballot.cast', { voteId, choice: 'against' }));
    expect(again.receipt).toBe(receipts.voter05);
    const a1 = ok(await v.cmd('voter06', 'ballot.cast', { voteId, choice: 'for' }, 'secret-retry'));
    const a2 = ok(await v.cmd('voter06', 'ballot.cast', { voteId, choice: 'against' }, 'secret-retry'));
    expect(a2).toEqual(a1);
    receipts.voter06 = a1.receipt!;
    choices.voter06 = 'for';
    expect(await eventCount()).toBe(n + 1);
    const proxyAgain = ok(await v.cmd('delegate1', 'ballot.cast', { voteId, choice: 'for', onBehalfOf: v.id.delegate2! }));
    expect(proxyAgain.receipt).toBe(receipts.delegate2);
  });

  it('after close, receipts verify against the published list, and nothing in any table or the log pairs a voter with a ballot', async () => {
    ok(await v.cmd('chair', 'vote.close', { voteId }));
    await until(() =>
      v.s.voter05!.events.some((e) => e.type === 'vote.close' && (e.payload as { voteId: string }).voteId === voteId),
    );
    const close = [...v.s.voter05!.events].reverse().find((e) => e.type === 'vote.close')!;
    const result = (close.payload as { result: VoteResult }).result;
    // 14 members; 2/3 needs 10 "for"; 7 for → not passed
    expect(result).toMatchObject({
      members: 14,
      cast: 11,
      base: 14,
      needed: 10,
      passed: false,
      counts: [
        { choiceId: 'for', count: 7 },
        { choiceId: 'against', count: 3 },
        { choiceId: 'abstain', count: 1 },
      ],
    });
    expect(result.named).toBeUndefined();
    const published = result.ballots!;
    expect(published.map((b) => b.receipt)).toEqual(published.map((b) => b.receipt).sort());
    // each voter finds their receipt with their choice
    for (const [member, receipt] of Object.entries(receipts)) {
      expect(published).toContainEqual({ receipt, choiceId: choices[member] });
    }
    expect(published).toHaveLength(Object.keys(receipts).length);

    const voterIds = Object.keys(receipts).map((u) => v.id[u]!);
    const allReceipts = Object.values(receipts);
    // the receipt key is gone: nobody can re-derive who holds which receipt
    expect(
      (await sqlGet<{ receipt_key: string | null }>(t.app, 'SELECT receipt_key FROM votes WHERE id = ?', voteId))!.receipt_key,
    ).toBeNull();
    // secret_ballots: receipt and choice only, stored in receipt order (not in cast order): on SQLite
    // without a rowid; on PostgreSQL inserted at close in one statement in receipt order (one xmin,
    // heap order = receipt order; live-dialects.test.ts checks ctid and xmin)
    expect((await columnsOf(t.app, 'secret_ballots')).sort()).toEqual(['choice_id', 'receipt', 'vote_id']);
    if (t.app.database.dialect === 'sqlite') await expect(sqlAll(t.app, 'SELECT rowid FROM secret_ballots')).rejects.toThrow();
    const natural = (
      await sqlAll<{ receipt: string }>(t.app, 'SELECT receipt FROM secret_ballots WHERE vote_id = ?', voteId)
    ).map((r) => r.receipt);
    expect(natural).toEqual([...allReceipts].sort());
    expect((await columnsOf(t.app, 'vote_participations')).sort()).toEqual(['cast_by', 'member_id', 'vote_id']);

    // every row of every table, as text: a row naming a voter never carries a receipt (the one
    // exception is the published list, which carries all of them and no voter)
    const tables = await tableNames(t.app);
    expect(tables).toEqual(
      expect.arrayContaining(['meeting_events', 'meeting_commands', 'votes', 'vote_participations', 'secret_ballots']),
    );
    let rowsSeen = 0;
    for (const table of tables) {
      for (const row of await sqlAll(t.app, `SELECT * FROM "${table}"`)) {
        rowsSeen++;
        const text = JSON.stringify(row);
        const ids = voterIds.filter((id) => text.includes(id));
        const recs = allReceipts.filter((r) => text.includes(r));
        if (recs.length === 0 || ids.length === 0) continue;
        // the vote.close event: every receipt, and the only user id is its actor (the chair)
        expect(recs).toHaveLength(allReceipts.length);
        expect(table).toBe('meeting_events');
        expect(row.type).toBe('vote.close');
        expect(voterIds.filter((id) => String(row.payload).includes(id))).toEqual([]);
      }
    }
    expect(rowsSeen).toBeGreaterThan(50);
    // the log's ballot events for this vote: who, never what
    const events = await sqlAll<{ payload: string }>(t.app, "SELECT payload FROM meeting_events WHERE type = 'ballot.cast'");
    const secretOnes = events.map((e) => JSON.parse(e.payload) as Record<string, unknown>).filter((p) => p.voteId === voteId);
    expect(secretOnes).toHaveLength(11);
    for (const p of secretOnes) expect(Object.keys(p).sort()).toEqual(['memberId', 'voteId']);
    // and the REST view of the log verifies
    expect(
      (await t.app.live.eventLog({ meetingId: v.meetingId, userId: v.id.chair!, isAdmin: false, role: 'chair' })).verified,
    ).toBe(true);
  });
});

describe('50 voters at once, each submitting twice', () => {
  it('counts are exact, one ballot each, receipts stable (secret) and choices first-wins (named)', async () => {
    const t2 = await buildTestApp({ listen: true });
    const w = await votingMeeting(t2, 44); // 6 + 44 = 50 voters
    try {
      ok(await w.cmd('chair', 'meeting.start', {}));
      await Promise.all(w.voters.map((u) => w.cmd('secretary', 'attendance.mark', { userId: w.id[u]!, status: 'present' })));
      for (const secret of [false, true]) {
        ok(await w.cmd('chair', 'vote.create', { question: `Q ${secret}`, secret, rule: { kind: 'majority_of_present' } }));
        const voteId = Object.values(t2.app.live.runtime.state(w.meetingId).votes.byId).find((x) => x.secret === secret)!.id;
        ok(await w.cmd('chair', 'vote.open', { voteId }));
        const pick = (i: number) => (['for', 'against', 'abstain'] as const)[i % 3]!;
        const acks = await Promise.all(
          w.voters.flatMap((u, i) => [
            w.cmd(u, 'ballot.cast', { voteId, choice: pick(i) }),
            w.cmd(u, 'ballot.cast', { voteId, choice: pick(i + 1) }),
          ]),
        );
        for (let i = 0; i < w.voters.length; i++) {
          const [a, b] = [ok(acks[2 * i]!), ok(acks[2 * i + 1]!)];
          expect(b.seq).toBe(a.seq);
          expect(b.receipt).toBe(a.receipt);
          expect(a.receipt).toEqual(secret ? expect.stringMatching(RECEIPT_PATTERN) : undefined);
        }
        expect(await sqlCount(t2.app, 'SELECT count(*) AS n FROM vote_participations WHERE vote_id = ?', voteId)).toBe(50);
        const count = (table: string) => sqlCount(t2.app, `SELECT count(*) AS n FROM ${table} WHERE vote_id = ?`, voteId);
        // while open, secret ballots wait sealed in the box; published all at once at close
        expect([await count('sealed_ballots'), await count('secret_ballots')]).toEqual([secret ? 50 : 0, 0]);
        ok(await w.cmd('chair', 'vote.close', { voteId }));
        expect([await count('sealed_ballots'), await count('secret_ballots')]).toEqual([0, secret ? 50 : 0]);
        const result = t2.app.live.runtime.state(w.meetingId).votes.byId[voteId]!.result!;
        // i % 3: 17 for, 17 against, 16 abstain; more than half of 50 present needs 26
        expect(result).toMatchObject({ members: 50, present: 50, cast: 50, needed: 26, passed: false });
        expect(result.counts).toEqual([
          { choiceId: 'for', count: 17 },
          { choiceId: 'against', count: 17 },
          { choiceId: 'abstain', count: 16 },
        ]);
        if (secret) {
          expect(result.ballots).toHaveLength(50);
          for (let i = 0; i < w.voters.length; i++)
            expect(result.ballots).toContainEqual({ receipt: ok(acks[2 * i]!).receipt, choiceId: pick(i) });
        } else {
          expect(result.named).toHaveLength(50);
        }
      }
    } finally {
      w.close();
      await t2.close();
    }
  });
});
