// Written opinions and tasks (followup's services) on a real SQLite file and a real PostgreSQL
// cluster (tests/helpers/postgres.ts), the same cases on both, as tests/integration/store.test.ts:
// - the task dashboard's order (overdue first, then deadline, creation, id: ties included) and its
//   counts per state; the other task lists' order; the overdue list;
// - reminders claimed once: two claims at the same moment from two stores on one database (two
//   processes: two pools on PostgreSQL, under different lock keys so that only the claim itself
//   can keep them apart; on SQLite two connections, one after the other, since one thread cannot
//   hold two SQLite writers at once) take disjoint sets, and a third takes nothing;
// - an opinion request's tally from its signed answers (unsigned and non-recipient answers left out)
//   and its recipients in Vietnamese name order, whatever the database's collation;
// - the converted writes themselves: a task's whole life (create from a conclusion, change, report,
//   remove, with refusals), and a member's answers saved twice (the upsert on the composite key) and
//   read back, with who may see the request. (Creating a request, signing and closing need the
//   notification and signing services, which are not on the Store yet: the HTTP tests cover them.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../server/db/client';
import { openPg } from '../../server/db/client-pg';
import { PgStore } from '../../server/db/store-pg';
import { SqliteStore, type Store } from '../../server/db/store';
import {
  addReport,
  createTask,
  deleteTask,
  listMeetingTasks,
  myTasks,
  overdueTasks,
  taskDetail,
  todayVn,
  updateTask,
  type TaskRow,
} from '../../server/services/tasks';
import { taskDashboard } from '../../server/services/task-dashboard';
import { claimDueTasks } from '../../server/services/task-reminders';
import {
  OpinionService,
  claimOpinionReminder,
  opinionResult,
  recipientsOf,
  requestRow,
} from '../../server/opinions/opinion-service';
import type { MeetingAccess } from '../../server/policies/meeting-policy';
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

  it('a task from create to removal through the converted writes; refusals change nothing', async () => {
    await s().write('m1', (tx, t) =>
      tx.insert(t.meetingEvents).values({
        meetingId: 'm1',
        seq: 1,
        type: 'minutes.update',
        actor: 'u-chair',
        payload: JSON.stringify({ key: 'k1', text: 'Giao Văn phòng hoàn thiện kế hoạch' }),
        at: at(1),
        prevHash: '0',
        hash: '1',
      }),
    );
    const chairIn: MeetingAccess = { meetingId: 'm1', userId: 'u-chair', isAdmin: false, role: 'chair' };
    const memberIn: MeetingAccess = { meetingId: 'm1', userId: 'u-binh', isAdmin: false, role: 'participant' };
    const body = { conclusionKey: 'k1', title: '  Hoàn   thiện kế hoạch ', ownerId: 'u-binh', deadline: day(7) };
    await expect(s().write('m1', (tx, t) => createTask(tx, t, memberIn, 'u-binh', body))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      s().write('m1', (tx, t) => createTask(tx, t, chairIn, 'u-chair', { ...body, conclusionKey: 'none' })),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      s().write('m1', (tx, t) => createTask(tx, t, chairIn, 'u-chair', { ...body, ownerId: 'u-out' })),
    ).rejects.toMatchObject({ code: 'INVALID' });
    const { task } = await s().write('m1', (tx, t) => createTask(tx, t, chairIn, 'u-chair', body));
    expect(task).toMatchObject({
      title: 'Hoàn thiện kế hoạch',
      conclusion: 'Giao Văn phòng hoàn thiện kế hoạch',
      ownerName: 'Bình Lê',
    });
    const binh = { id: 'u-binh', isAdmin: false };
    await expect(s().write('m1', (tx, t) => updateTask(tx, t, binh, task.id, { title: 'x' }))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const changed = await s().write('m1', (tx, t) =>
      updateTask(tx, t, chair, task.id, { deadline: day(9), ownerUnit: 'Văn phòng' }),
    );
    expect(changed).toMatchObject({ deadline: day(9), ownerUnit: 'Văn phòng', title: 'Hoàn thiện kế hoạch' });
    await expect(
      s().write('m1', (tx, t) => addReport(tx, t, chair, task.id, { text: 'x', status: 'done' })),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await s().write('m1', (tx, t) => addReport(tx, t, binh, task.id, { text: 'Đã xong phần một', status: 'in_progress' }));
    await s().write('m1', (tx, t) => addReport(tx, t, binh, task.id, { text: 'Hoàn thành', status: 'done' }));
    const detail = await s().read((q, t) => taskDetail(q, t, binh, task.id));
    expect(detail.task.status).toBe('done');
    expect(detail.task.doneAt).not.toBeNull();
    expect(detail.reports.map((r) => [r.text, r.authorName])).toHaveLength(2);
    expect(detail.can).toEqual({ edit: false, report: true });
    await expect(s().read((q, t) => taskDetail(q, t, { id: 'u-out', isAdmin: false }, task.id))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await s().write('m1', (tx, t) => deleteTask(tx, t, chair, task.id));
    await expect(s().read((q, t) => taskDetail(q, t, chair, task.id))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers saved twice (the upsert clears the signature) and read back; who may see the request', async () => {
    // none of these paths reaches the notification, signing or file services
    const service = new OpinionService(s(), {} as never, {} as never, {} as never);
    const binh = { id: 'u-binh', isAdmin: false };
    const first = [
      { questionId: 'q1', choice: 'agree' as const },
      { questionId: 'q2', choice: 'other' as const, text: '  Cần làm rõ  ' },
    ];
    await expect(service.saveAnswers(binh, 'op1', first.slice(0, 1), NOW)).rejects.toMatchObject({ code: 'INVALID' });
    const view = await service.saveAnswers(binh, 'op1', first, NOW);
    expect(view.mine).toMatchObject({
      answers: [first[0], { questionId: 'q2', choice: 'other', text: 'Cần làm rõ' }],
      signedAt: null,
    });
    // u-dang had signed; saving again clears the signature (it no longer counts)
    const dang = { id: 'u-dang', isAdmin: false };
    const before = (await service.get(dang, 'op1', NOW)).answeredCount;
    const again = await service.saveAnswers(
      dang,
      'op1',
      [
        { questionId: 'q1', choice: 'disagree' },
        { questionId: 'q2', choice: 'disagree' },
      ],
      NOW,
    );
    expect(again.mine?.signedAt).toBeNull();
    expect(again.answeredCount).toBe(before - 1);
    expect(again.answers).toBeNull(); // not a named request
    expect(again.result).toBeNull();
    await expect(service.get({ id: 'u-out', isAdmin: false }, 'op1', NOW)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.saveAnswers({ id: 'u-out', isAdmin: false }, 'op1', first, NOW)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await service.get(admin, 'op1', NOW)).can).toEqual({ answer: false, seeSummary: true });
    expect((await service.list(chair, 'm1', NOW)).map((r) => r.id)).toEqual(['op1']);
    expect(await service.list({ id: 'u-dang', isAdmin: false }, 'm2', NOW)).toEqual([]);
  });
});
