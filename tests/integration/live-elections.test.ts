// Elections (bầu cử) on real sockets against a real server and SQLite file: set-up and ballot
// refusals (nothing stored), a secret strike-out election with receipts and the published list, a
// named choose-up-to-N election with a tie at the last seat.
import { and, count as sqlCount, eq, getTableName, is, Table } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { until } from '../helpers/live-client';
import { votingMeeting, type VotingMeeting } from '../helpers/vote-fixture';
import type { CommandAck } from '../../shared/events';
import { selectionCode } from '../../shared/elections';
import { RECEIPT_PATTERN, type VoteResult } from '../../shared/votes';

let t: TestApp;
let v: VotingMeeting;

const ok = (a: CommandAck) => {
  if (!a.ok) throw new Error(`refused: ${a.error.code} ${a.error.message}`);
  return a;
};
const state = () => t.app.live.runtime.state(v.meetingId);
// counted through the Store, so the same test runs on PostgreSQL
type Counted = 'meetingEvents' | 'voteParticipations' | 'sealedBallots' | 'secretBallots';
const count = (table: Counted) => t.app.database.read(async (q, tt) => (await q.select({ n: sqlCount() }).from(tt[table]))[0]!.n);

async function refused(user: string, type: Parameters<VotingMeeting['cmd']>[1], payload: Record<string, unknown>, code: string) {
  const before = state();
  const n = [await count('meetingEvents'), await count('voteParticipations'), await count('sealedBallots')];
  const ack = await v.cmd(user, type, payload);
  expect(ack).toMatchObject({ ok: false, error: { code } });
  expect(state()).toBe(before);
  expect([await count('meetingEvents'), await count('voteParticipations'), await count('sealedBallots')]).toEqual(n);
}

async function create(payload: Record<string, unknown>): Promise<string> {
  const a = ok(await v.cmd('chair', 'vote.create', payload));
  await until(() => v.s.chair!.events.some((e) => e.seq === a.seq));
  return (v.s.chair!.events.find((e) => e.seq === a.seq)!.payload as { voteId: string }).voteId;
}

async function close(voteId: string): Promise<VoteResult> {
  const a = ok(await v.cmd('chair', 'vote.close', { voteId }));
  await until(() => v.s.delegate1!.events.some((e) => e.seq === a.seq));
  return (v.s.delegate1!.events.find((e) => e.seq === a.seq)!.payload as { result: VoteResult }).result;
}

const CANDIDATES = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Minh Châu', 'Phạm Quốc Dũng'];

beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  v = await votingMeeting(t, 4); // 6 demo voters + 4 = 10 voting members
  ok(await v.cmd('chair', 'meeting.start', {}));
  for (const u of v.voters) ok(await v.cmd('secretary', 'attendance.mark', { userId: v.id[u]!, status: 'present' }));
});
afterAll(async () => {
  v.close();
  await t.close();
});

describe('setting up an election', () => {
  it('only the chair; candidates required; no more seats than candidates; a plain vote keeps its 10-choice limit', async () => {
    const rule = { kind: 'majority_of_members' };
    await refused(
      'delegate1',
      'vote.create',
      { question: 'Bầu', secret: true, choices: CANDIDATES, election: { seats: 1, form: 'choose' }, rule },
      'FORBIDDEN',
    );
    await refused(
      'chair',
      'vote.create',
      { question: 'Bầu', secret: true, election: { seats: 1, form: 'choose' }, rule },
      'INVALID',
    );
    await refused(
      'chair',
      'vote.create',
      { question: 'Bầu', secret: true, choices: CANDIDATES, election: { seats: 5, form: 'choose' }, rule },
      'INVALID',
    );
    await refused(
      'chair',
      'vote.create',
      { question: 'Bầu', secret: true, choices: CANDIDATES, election: { seats: 0, form: 'choose' }, rule },
      'INVALID',
    );
    await refused(
      'chair',
      'vote.create',
      { question: 'Bầu', secret: true, choices: CANDIDATES, election: { seats: 1, form: 'tick' }, rule },
      'INVALID',
    );
    await refused(
      'chair',
      'vote.create',
      { question: 'Bầu', secret: true, choices: CANDIDATES, election: { seats: 1, form: 'choose', extra: 1 }, rule },
      'INVALID',
    );
    const twelve = Array.from({ length: 12 }, (_, i) => `Người ${i + 1}`);
    await refused('chair', 'vote.create', { question: 'Nhiều lựa chọn', secret: false, choices: twelve, rule }, 'INVALID');
    // an election may list more names than a plain vote's choices
    const big = await create({
      question: 'Bầu Ban Chấp hành',
      secret: true,
      choices: twelve,
      election: { seats: 9, form: 'strike' },
      rule,
    });
    expect(state().votes.byId[big]).toMatchObject({
      election: { seats: 9, form: 'strike' },
      choices: twelve.map((label, i) => ({ id: `c${i + 1}`, label })),
    });
    ok(await v.cmd('chair', 'vote.discard', { voteId: big }));
  });
});

describe('a secret election with strike-out ballots (gạch tên)', () => {
  let voteId = '';
  const receipts: Record<string, string> = {};
  const kept: Record<string, string> = {};

  it('refuses ballots that are not an election ballot or keep too many names; nothing is stored', async () => {
    voteId = await create({
      question: 'Bầu 2 thành viên Ban kiểm tra',
      secret: true,
      choices: CANDIDATES,
      election: { seats: 2, form: 'strike' },
      rule: { kind: 'majority_of_members' },
    });
    ok(await v.cmd('chair', 'vote.open', { voteId }));
    await refused('delegate1', 'ballot.cast', { voteId, choice: 'c1' }, 'INVALID');
    await refused('delegate1', 'ballot.cast', { voteId, choice: 's3' }, 'INVALID');
    await refused('delegate1', 'ballot.cast', { voteId }, 'INVALID');
    await refused('delegate1', 'ballot.cast', { voteId, marks: ['c1'] }, 'INVALID'); // 3 names left for 2 seats
    await refused('delegate1', 'ballot.cast', { voteId, marks: [] }, 'INVALID');
    await refused('delegate1', 'ballot.cast', { voteId, marks: ['c1', 'c9'] }, 'INVALID');
    await refused('delegate1', 'ballot.cast', { voteId, marks: ['c1', 'c1'] }, 'INVALID');
    await refused('delegate1', 'ballot.cast', { voteId, marks: ['C1'] }, 'INVALID');
    await refused('guest1', 'ballot.cast', { voteId, marks: ['c1', 'c2'] }, 'FORBIDDEN');
    await refused('secretary', 'ballot.record', { voteId, memberId: v.id.delegate1!, choice: 'c1' }, 'CONFLICT');
    await refused(
      'secretary',
      'vote.paperTally',
      { voteId, memberIds: [v.id.delegate1!], counts: [{ choiceId: 's3', count: 1 }] },
      'CONFLICT',
    );
  });

  it('ballots carry who voted, never which names; each voter gets a receipt', async () => {
    // struck → kept: [c3,c4]→{c1,c2} ×4, [c2,c4]→{c1,c3} ×3, [c1,c2,c3]→{c4} ×1, all struck → blank ×2
    const plan: [string, string[]][] = [
      ['chair', ['c3', 'c4']],
      ['delegate1', ['c3', 'c4']],
      ['delegate2', ['c3', 'c4']],
      ['delegate3', ['c3', 'c4']],
      ['delegate4', ['c2', 'c4']],
      ['delegate5', ['c2', 'c4']],
      ['voter01', ['c2', 'c4']],
      ['voter02', ['c1', 'c2', 'c3']],
      ['voter03', ['c1', 'c2', 'c3', 'c4']],
      ['voter04', ['c4', 'c3', 'c2', 'c1']],
    ];
    const code = (struck: string[]) => selectionCode([0, 1, 2, 3].filter((i) => !struck.includes(`c${i + 1}`)));
    for (const [user, struck] of plan) {
      const ack = ok(await v.cmd(user, 'ballot.cast', { voteId, marks: struck }));
      expect(ack.receipt).toMatch(RECEIPT_PATTERN);
      receipts[user] = ack.receipt!;
      kept[user] = code(struck);
    }
    // a repeat answers with the first ballot's receipt, whatever it marks
    const n = await count('meetingEvents');
    expect(ok(await v.cmd('voter03', 'ballot.cast', { voteId, marks: ['c1', 'c2'] })).receipt).toBe(receipts.voter03);
    expect(await count('meetingEvents')).toBe(n);
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
    expect(state().votes.byId[voteId]!.named).toEqual({});
    expect(await count('secretBallots')).toBe(0);
  });

  it('at close: votes per candidate against all members, the elected, blank ballots, and the published list by receipt', async () => {
    const result = await close(voteId);
    // c1 7, c2 4, c3 3, c4 1 of 10 members: only c1 is over half, one seat stays open
    expect(result.counts).toEqual([
      { choiceId: 'c1', count: 7 },
      { choiceId: 'c2', count: 4 },
      { choiceId: 'c3', count: 3 },
      { choiceId: 'c4', count: 1 },
    ]);
    expect(result).toMatchObject({ members: 10, cast: 10, base: 10, needed: 6, passed: false });
    expect(result.election).toMatchObject({
      seats: 2,
      form: 'strike',
      ballots: 10,
      blank: 2,
      elected: ['c1'],
      tiedAtLastSeat: [],
      unfilledSeats: 1,
    });
    const published = result.ballots!;
    expect(published.map((b) => b.receipt)).toEqual(published.map((b) => b.receipt).sort());
    for (const [user, receipt] of Object.entries(receipts)) expect(published).toContainEqual({ receipt, choiceId: kept[user] });
    expect(published).toHaveLength(10);
    // the key is gone and no row names both a voter and a receipt, except the close event (all receipts, no voter)
    const [voteRow] = await t.app.database.read((q, tt) =>
      q.select({ receiptKey: tt.votes.receiptKey }).from(tt.votes).where(eq(tt.votes.id, voteId)),
    );
    expect(voteRow!.receiptKey).toBeNull();
    expect(await count('sealedBallots')).toBe(0);
    const voterIds = Object.keys(receipts).map((u) => v.id[u]!);
    // every table of the schema, read through the Store's builder (the same scan on both databases)
    const everything = await t.app.database.read(async (q, tt) => {
      const out: { table: string; rows: Record<string, unknown>[] }[] = [];
      for (const table of Object.values(tt)) {
        if (!is(table, Table)) continue;
        out.push({ table: getTableName(table), rows: (await q.select().from(table as never)) as Record<string, unknown>[] });
      }
      return out;
    });
    expect(everything.map((x) => x.table)).toContain('secret_ballots');
    for (const { table, rows } of everything) {
      for (const row of rows) {
        const text = JSON.stringify(row);
        if (!Object.values(receipts).some((r) => text.includes(r)) || !voterIds.some((id) => text.includes(id))) continue;
        expect(table).toBe('meeting_events');
        expect(row.type).toBe('vote.close');
        expect(voterIds.filter((id) => String(row.payload).includes(id))).toEqual([]);
      }
    }
    expect(
      (await t.app.live.eventLog({ meetingId: v.meetingId, userId: v.id.chair!, isAdmin: false, role: 'chair' })).verified,
    ).toBe(true);
  });
});

describe('a named election, choose up to N (đánh dấu)', () => {
  it('counts live per candidate; a tie at the last seat elects neither of the tied', async () => {
    const voteId = await create({
      question: 'Bầu 1 Phó Chủ tịch',
      secret: false,
      choices: CANDIDATES.slice(0, 3),
      election: { seats: 1, form: 'choose' },
      rule: { kind: 'threshold', numerator: 2, denominator: 5, base: 'members', strict: false },
    });
    ok(await v.cmd('chair', 'vote.open', { voteId }));
    await refused('delegate1', 'ballot.cast', { voteId, marks: ['c1', 'c2'] }, 'INVALID'); // 2 names for 1 seat
    const plan: [string, string[]][] = [
      ['chair', ['c1']],
      ['delegate1', ['c1']],
      ['delegate2', ['c1']],
      ['delegate3', ['c1']],
      ['delegate4', ['c2']],
      ['delegate5', ['c2']],
      ['voter01', ['c2']],
      ['voter02', ['c2']],
      ['voter03', []],
    ];
    for (const [user, marks] of plan) ok(await v.cmd(user, 'ballot.cast', { voteId, marks }));
    await until(() => Object.keys(state().votes.byId[voteId]!.voted).length === 9);
    expect(state().votes.byId[voteId]!.named[v.id.delegate4!]).toBe(selectionCode([1]));
    const result = await close(voteId);
    // 4 and 4 of 10 members, 40% each, both meet 2/5: tied for the one seat
    expect(result.counts.map((c) => c.count)).toEqual([4, 4, 0]);
    expect(result.election).toMatchObject({ elected: [], tiedAtLastSeat: ['c1', 'c2'], unfilledSeats: 1, blank: 1, ballots: 9 });
    expect(result.passed).toBe(false);
    expect(result.named).toHaveLength(9);
  });
});

describe('a secret election with paper ballots entered by the counting committee (vote.paperTally, ballot by ballot)', () => {
  let voteId = '';
  const paper = (memberIds: string[], ballots: string[][]) => ({
    voteId,
    memberIds,
    ballots: ballots.map((marks) => ({ marks })),
  });

  it('refuses non-officers, totals, a count that does not match, a ballot keeping too many or unknown names, a member who voted; nothing stored', async () => {
    voteId = await create({
      question: 'Bầu 2 thành viên Ban thanh tra nhân dân',
      secret: true,
      choices: CANDIDATES,
      election: { seats: 2, form: 'strike' },
      rule: { kind: 'majority_of_members' },
    });
    ok(await v.cmd('chair', 'vote.open', { voteId }));
    await refused('delegate1', 'vote.paperTally', paper([v.id.voter01!], [['c3', 'c4']]), 'FORBIDDEN');
    await refused(
      'secretary',
      'vote.paperTally',
      { voteId, memberIds: [v.id.voter01!], counts: [{ choiceId: 'c1', count: 1 }] },
      'CONFLICT',
    );
    await refused('secretary', 'vote.paperTally', { voteId, memberIds: [v.id.voter01!] }, 'CONFLICT');
    await refused('secretary', 'vote.paperTally', paper([v.id.voter01!, v.id.voter02!], [['c3', 'c4']]), 'INVALID'); // 1 ballot, 2 members
    await refused('secretary', 'vote.paperTally', paper([v.id.voter01!], [['c4']]), 'INVALID'); // 3 names left for 2 seats
    await refused('secretary', 'vote.paperTally', paper([v.id.voter01!], [['c3', 'c9']]), 'INVALID');
    await refused('secretary', 'vote.paperTally', paper([v.id.voter01!], [['c3', 'c3']]), 'INVALID');
    await refused('secretary', 'vote.paperTally', paper([v.id.guest1!], [['c3', 'c4']]), 'INVALID');
    ok(await v.cmd('delegate1', 'ballot.cast', { voteId, marks: ['c3', 'c4'] }));
    await refused('secretary', 'vote.paperTally', paper([v.id.delegate1!], [['c3', 'c4']]), 'CONFLICT'); // voted on the tablet
  });

  it('the event names only who voted on paper; the ballots are sealed like any others; those members cannot vote again', async () => {
    const sealedBefore = await count('sealedBallots');
    const secretBefore = await count('secretBallots');
    // kept: {c1,c2}, {c1,c3}, blank
    const a = ok(
      await v.cmd(
        'secretary',
        'vote.paperTally',
        paper(
          [v.id.voter03!, v.id.voter01!, v.id.voter02!],
          [
            ['c3', 'c4'],
            ['c2', 'c4'],
            ['c1', 'c2', 'c3', 'c4'],
          ],
        ),
      ),
    );
    expect(a).not.toHaveProperty('receipt');
    await until(() => v.room.events.some((e) => e.seq === a.seq));
    const e = v.room.events.find((x) => x.seq === a.seq)!;
    expect(e.payload).toEqual({ voteId, memberIds: [v.id.voter01!, v.id.voter02!, v.id.voter03!].sort() });
    const [logged] = await t.app.database.read((q, tt) =>
      q
        .select({ payload: tt.meetingEvents.payload })
        .from(tt.meetingEvents)
        .where(and(eq(tt.meetingEvents.meetingId, v.meetingId), eq(tt.meetingEvents.seq, a.seq!))),
    );
    expect(logged!.payload).not.toMatch(/"c[1-4]"|"s[0-9a-f]+"|marks|ballots/);
    expect(await count('sealedBallots')).toBe(sealedBefore + 3);
    expect(await count('secretBallots')).toBe(secretBefore);
    expect(state().votes.byId[voteId]!.voted[v.id.voter01!]).toMatchObject({ via: 'paper' });
    await refused('voter01', 'ballot.cast', { voteId, marks: ['c3', 'c4'] }, 'CONFLICT');
    await refused('secretary', 'vote.paperTally', paper([v.id.voter02!], [['c3', 'c4']]), 'CONFLICT');
  });

  it("at close the paper ballots count per name with the tablets' ballots; the result says how many were paper", async () => {
    for (const [user, struck] of [
      ['chair', ['c3', 'c4']],
      ['delegate2', ['c3', 'c4']],
      ['delegate3', ['c3', 'c4']],
      ['delegate4', ['c2', 'c4']],
      ['delegate5', ['c2', 'c4']],
      ['voter04', ['c1', 'c2', 'c3', 'c4']],
    ] as const) {
      ok(await v.cmd(user, 'ballot.cast', { voteId, marks: [...struck] }));
    }
    const result = await close(voteId);
    // tablets: {c1,c2} ×4, {c1,c3} ×2, blank ×1; paper: {c1,c2}, {c1,c3}, blank
    expect(result.counts).toEqual([
      { choiceId: 'c1', count: 8 },
      { choiceId: 'c2', count: 5 },
      { choiceId: 'c3', count: 3 },
      { choiceId: 'c4', count: 0 },
    ]);
    expect(result).toMatchObject({ members: 10, cast: 10, paperBallots: 3, needed: 6, passed: false });
    expect(result.election).toMatchObject({ ballots: 10, blank: 2, elected: ['c1'], unfilledSeats: 1 });
    // the published list: 10 sealed ballots, the paper ones under receipts nobody holds
    expect(result.ballots).toHaveLength(10);
    expect(result.ballots!.filter((b) => b.choiceId === selectionCode([])).length).toBe(2);
  });
});
