// Written opinions and tasks (followup's services) on a real SQLite file and a real PostgreSQL
// cluster (tests/helpers/postgres.ts), the same cases on both, as tests/integration/store.test.ts:
// - the task dashboard's order (overdue first, then deadline, creation, id: ties included) and its
//   counts per state; the other task lists' order; the overdue list;
// - reminders claimed once: two claims at the same moment from two stores on one database (two
//   processes: two pools on PostgreSQL, under different lock keys so that only the claim itself
//   can keep them apart; on SQLite two connections, one after the other, since one thread cannot
//   hold two SQLite writers at once) take disjoint sets, and a third takes nothing;
// - an opinion request's tally from its signed answers (unsigned and non-recipient answers left out)
//   and its recipients in Vietnamese name order, whatever the database's collation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../server/db/client';
import { openPg } from '../../server/db/client-pg';
import { PgStore } from '../../server/db/store-pg';
import { SqliteStore, type Store } from '../../server/db/store';
import { listMeetingTasks, myTasks, overdueTasks, todayVn, type TaskRow } from '../../server/services/tasks';
import { taskDashboard } from '../../server/services/task-dashboard';
import { claimDueTasks } from '../../server/services/task-reminders';
import { claimOpinionReminder, opinionResult, recipientsOf, requestRow } from '../../server/opinions/opinion-service';
import { startPostgres, type PgCluster } from '../helpers/postgres';

let cluster: PgCluster;
let dataDir: string;
const sqliteDbs: Db[] = [];
const stores: Record<'sqlite' | 'pg', Store> = {} as never;
const others: Record<'sqlite' | 'pg', Store> = {} as never; // a second store on the same database: another process
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-followup-'));
  sqliteDbs.push(openDb(dataDir), openDb(dataDir));
  stores.sqlite = new SqliteStore(sqliteDbs[0]!);
  others.sqlite = new SqliteStore(sqliteDbs[1]!);
  cluster = await startPostgres();
  stores.pg = new PgStore(await openPg(cluster.url));
  others.pg = new PgStore(await openPg(cluster.url));
}, 120_000);
afterAll(async () => {
  for (const s of [stores.sqlite, others.sqlite, stores.pg, others.pg]) await s?.close().catch(() => {});
  for (const db of sqliteDbs) db.$client.close();
  cluster?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const NOW = new Date('2027-03-10T03:00:00.000Z'); // 10:00 in Hà Nội
const day = (n: number) => new Date(Date.parse(`${todayVn(NOW)}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const at = (n: number) => new Date(NOW.getTime() - 86_400_000 + n * 1000).toISOString();
// names whose byte order differs from their Vietnamese order (Đ sorts after D; lower-case 'an' after 'Bình' in bytes)
const PEOPLE = [
  { id: 'u-chair', fullName: 'Trần Văn Chủ', role: 'chair' as const },
  { id: 'u-dang', fullName: 'Đặng Thu', role: 'participant' as const },
  { id: 'u-dung', fullName: 'Dương Minh', role: 'participant' as const },
  { id: 'u-an', fullName: 'an Nhiên', role: 'participant' as const },
  { id: 'u-binh', fullName: 'Bình Lê', role: 'participant' as const },
  { id: 'u-out', fullName: 'Ngoài Họp', role: null },
];

async function seed(s: Store): Promise<void> {
  await s.write(null, async (tx, t) => {
    await tx
      .insert(t.users)
      .values(PEOPLE.map((p) => ({ id: p.id, username: p.id, fullName: p.fullName, passwordHash: 'x', createdAt: at(0) })));
    await tx.insert(t.meetings).values([
      { id: 'm1', title: 'Họp giao ban', createdAt: at(0), updatedAt: at(0) },
      { id: 'm2', title: 'Ánh sáng', createdAt: at(0), updatedAt: at(0) },
    ]);
    await tx
      .insert(t.meetingMembers)
      .values(PEOPLE.filter((p) => p.role).map((p) => ({ meetingId: 'm1', userId: p.id, role: p.role!, addedAt: at(0) })));
    await tx.insert(t.meetingMembers).values({ meetingId: 'm2', userId: 'u-dang', role: 'chair', addedAt: at(0) });
    const task = (id: string, over: Partial<TaskRow>): TaskRow => ({
      id,
      meetingId: 'm1',
      conclusionKey: 'conclusion',
      title: id,
      ownerId: 'u-dang',
      ownerUnit: null,
      deadline: day(5),
      status: 'todo',
      createdBy: 'u-chair',
      createdAt: at(1),
      updatedAt: at(1),
      doneAt: null,
      remindedAt: null,
      ...over,
    });
    await tx.insert(t.tasks).values([
      // same deadline and same creation: the id breaks the tie (t-b before t-c whatever the insert order)
      task('t-c', { deadline: day(1) }),
      task('t-b', { deadline: day(1) }),
      task('t-late2', { deadline: day(-1), status: 'in_progress', ownerId: 'u-dung' }),
      task('t-late1', { deadline: day(-3), createdAt: at(5) }),
      task('t-late0', { deadline: day(-3), createdAt: at(2), ownerId: null, ownerUnit: 'Văn phòng' }),
      task('t-done', { deadline: day(-10), status: 'done', doneAt: at(3) }),
      task('t-far', { deadline: day(30), ownerId: 'u-an' }),
      task('t-unit', { deadline: day(0), ownerId: null, ownerUnit: 'Phòng Kế hoạch' }),
      task('t-reminded', { deadline: day(0), remindedAt: at(4) }),
      task('t-m2', { meetingId: 'm2', deadline: day(2) }),
    ]);
    await tx.insert(t.opinionRequests).values({
      id: 'op1',
      meetingId: 'm1',
      title: 'Xin ý kiến',
      summary: '',
      documentIds: '[]',
      questions: JSON.stringify([
        { id: 'q1', text: 'Một?' },
        { id: 'q2', text: 'Hai?' },
      ]),
      deadline: new Date(NOW.getTime() + 3600_000).toISOString(),
      rule: JSON.stringify({ kind: 'majority_of_members' }),
      status: 'open',
      createdBy: 'u-chair',
      createdAt: at(0),
    });
    await tx
      .insert(t.opinionRecipients)
      .values(['u-dang', 'u-dung', 'u-an', 'u-binh', 'u-chair'].map((userId) => ({ requestId: 'op1', userId })));
    const answers = (q1: string, q2: string, text?: string) =>
      JSON.stringify([
        { questionId: 'q1', choice: q1, ...(text ? { text } : {}) },
        { questionId: 'q2', choice: q2 },
      ]);
    await tx.insert(t.opinionResponses).values([
      { requestId: 'op1', userId: 'u-dang', answers: answers('agree', 'disagree'), updatedAt: at(1), signedAt: at(2) },
      { requestId: 'op1', userId: 'u-dung', answers: answers('agree', 'agree'), updatedAt: at(1), signedAt: at(2) },
      {
        requestId: 'op1',
        userId: 'u-an',
        answers: answers('other', 'agree', 'Cần thêm số liệu'),
        updatedAt: at(1),
        signedAt: at(3),
      },
      // saved, not signed: does not count
      { requestId: 'op1', userId: 'u-binh', answers: answers('agree', 'agree'), updatedAt: at(1), signedAt: null },
    ]);
  });
}

const ids = (list: { id: string }[]) => list.map((x) => x.id);
const admin = { id: 'u-admin', isAdmin: true };
const chair = { id: 'u-chair', isAdmin: false };

describe.each(['sqlite', 'pg'] as const)('followup on %s', (dialect) => {
  const s = () => stores[dialect];
  beforeAll(() => seed(s()));

  it('the dashboard: overdue first, then by deadline, creation and id; counts per state; the meetings by Vietnamese title', async () => {
    const all = await s().read((q, t) => taskDashboard(q, t, admin, {}, NOW));
    expect(ids(all.tasks)).toEqual([
      't-late0',
      't-late1',
      't-late2',
      't-reminded',
      't-unit',
      't-b',
      't-c',
      't-m2',
      't-far',
      't-done',
    ]);
    expect(all.counts).toEqual({ overdue: 3, todo: 6, in_progress: 0, done: 1, total: 10 });
    expect(all.meetings).toEqual([
      { id: 'm2', title: 'Ánh sáng' },
      { id: 'm1', title: 'Họp giao ban' },
    ]);
    expect(all.units).toEqual(['Phòng Kế hoạch', 'Văn phòng']);
    // the chair of m1 only: m2's task is not there, counts follow
    const mine = await s().read((q, t) => taskDashboard(q, t, chair, {}, NOW));
    expect(ids(mine.tasks)).not.toContain('t-m2');
    expect(mine.counts.total).toBe(9);
    const late = await s().read((q, t) => taskDashboard(q, t, chair, { state: 'overdue' }, NOW));
    expect(ids(late.tasks)).toEqual(['t-late0', 't-late1', 't-late2']);
    expect(late.counts.total).toBe(9);
    const unit = await s().read((q, t) => taskDashboard(q, t, chair, { unit: 'Văn phòng' }, NOW));
    expect(ids(unit.tasks)).toEqual(['t-late0']);
    await expect(s().read((q, t) => taskDashboard(q, t, { id: 'u-binh', isAdmin: false }, {}, NOW))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('the other lists: a meeting by deadline (ties by creation, then id), one’s own across meetings, the overdue ones', async () => {
    const m1 = await s().read((q, t) =>
      listMeetingTasks(q, t, { meetingId: 'm1', userId: 'u-chair', isAdmin: false, role: 'chair' }),
    );
    expect(ids(m1)).toEqual(['t-done', 't-late0', 't-late1', 't-late2', 't-reminded', 't-unit', 't-b', 't-c', 't-far']);
    expect(m1.find((x) => x.id === 't-late0')).toMatchObject({ ownerName: null, ownerUnit: 'Văn phòng' });
    expect(m1.find((x) => x.id === 't-b')).toMatchObject({ ownerName: 'Đặng Thu', meetingTitle: 'Họp giao ban' });
    const dang = await s().read((q, t) => myTasks(q, t, 'u-dang'));
    expect(ids(dang)).toEqual(['t-done', 't-late1', 't-reminded', 't-b', 't-c', 't-m2']);
    const overdue = await s().read((q, t) => overdueTasks(q, t, chair, NOW));
    expect(ids(overdue)).toEqual(['t-late0', 't-late1', 't-late2']);
  });

  it('task reminders: two claims at once from two stores take disjoint tasks, together every one due; a third takes none', async () => {
    const lastDay = day(2);
    const claim = (st: Store, key: string) => st.write(key, (tx, t) => claimDueTasks(tx, t, lastDay, NOW.toISOString()));
    const [a, b] =
      dialect === 'pg'
        ? await Promise.all([claim(s(), 'claim-a'), claim(others.pg, 'claim-b')])
        : [await claim(s(), 'claim-a'), await claim(others.sqlite, 'claim-b')];
    const claimed = [...ids(a), ...ids(b)];
    // not done, with an owner, not reminded yet, due by the day after tomorrow (overdue ones included)
    expect(claimed.sort()).toEqual(['t-b', 't-c', 't-late1', 't-late2', 't-m2']);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(await claim(s(), 'claim-c')).toEqual([]);
  });

  it('an opinion reminder is claimed once by two stores at once, naming the members who have not signed', async () => {
    // different lock keys on purpose: only the claim's conditional update keeps them apart
    const claim = (st: Store, key: string) => st.write(key, (tx, t) => claimOpinionReminder(tx, t, 'op1', NOW));
    const both =
      dialect === 'pg'
        ? await Promise.all([claim(s(), 'op-a'), claim(others.pg, 'op-b')])
        : [await claim(s(), 'op-a'), await claim(others.sqlite, 'op-b')];
    const won = both.filter((x) => x !== null);
    expect(won).toHaveLength(1);
    expect([...won[0]!].sort()).toEqual(['u-binh', 'u-chair']);
    const row = await s().read((q, t) => requestRow(q, t, 'op1'));
    expect(row.reminderSentAt).toBe(NOW.toISOString());
  });

  it('the opinion tally counts signed answers of the members asked only; recipients in Vietnamese name order', async () => {
    expect((await s().read((q, t) => recipientsOf(q, t, 'op1'))).map((r) => r.fullName)).toEqual([
      'an Nhiên',
      'Bình Lê',
      'Dương Minh',
      'Đặng Thu',
      'Trần Văn Chủ',
    ]);
    // an answer signed by someone not asked (a stale row) does not count either
    await s().write('m1', async (tx, t) => {
      await tx.insert(t.opinionResponses).values({
        requestId: 'op1',
        userId: 'u-out',
        answers: JSON.stringify([
          { questionId: 'q1', choice: 'agree' },
          { questionId: 'q2', choice: 'agree' },
        ]),
        updatedAt: at(1),
        signedAt: at(2),
      });
    });
    const { result, counted } = await s().read(async (q, t) => opinionResult(q, t, await requestRow(q, t, 'op1'), 'deadline'));
    expect([...counted].sort()).toEqual(['u-an', 'u-dang', 'u-dung']);
    expect(result).toMatchObject({ asked: 5, answered: 3, closedBecause: 'deadline' });
    expect(result.questions[0]).toMatchObject({ questionId: 'q1', agree: 2, disagree: 0, other: 1, noAnswer: 2, passed: false });
    expect(result.questions[0]!.opinions).toEqual([{ name: 'an Nhiên', choice: 'other', text: 'Cần thêm số liệu' }]);
    expect(result.questions[1]).toMatchObject({ questionId: 'q2', agree: 2, disagree: 1, other: 0, noAnswer: 2, passed: false });
    const rows = await s().read((q, t) => q.select().from(t.opinionResponses).where(eq(t.opinionResponses.requestId, 'op1')));
    expect(rows).toHaveLength(5);
  });
});
