// Meetings, members, agenda, the week and the demo seed on the asynchronous Store, the same cases
// on a real SQLite file and a real PostgreSQL cluster (tests/helpers/postgres.ts): both must give
// the same answers. The PostgreSQL database uses an ICU Vietnamese collation, not "C", so that the
// week's text-date window and every ORDER BY on text are checked where byte order is not the default.
// Rows the accounts' service would make (users) are written with the builder on the store's tables:
// that service is converted separately.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asc, count, eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../server/db/client';
import { openPg } from '../../server/db/client-pg';
import { PgStore } from '../../server/db/store-pg';
import { SqliteStore, type Store } from '../../server/db/store';
import { newId } from '../../server/ids';
import type { MeetingRuntime } from '../../server/live/meeting-runtime';
import type { MeetingAccess } from '../../server/policies/meeting-policy';
import { DocumentStore } from '../../server/services/document-store';
import { createAgendaItem, deleteAgendaItem, listAgenda, reorderAgenda } from '../../server/services/agenda';
import { createMeeting, listMeetings } from '../../server/services/meetings';
import { addMember, listMembers, removeMember } from '../../server/services/members';
import { weekSchedule } from '../../server/services/week-schedule';
import { seedDemo, DEMO_MEETING_TITLE } from '../../server/seed/demo-seed';
import type { MeetingRole } from '../../shared/roles';
import { startPostgres, type PgCluster } from '../helpers/postgres';

let cluster: PgCluster;
let dataDir: string;
let sqliteDb: Db;
const stores: Record<'sqlite' | 'pg', Store> = {} as never;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-meetings-dialects-'));
  sqliteDb = openDb(path.join(dataDir, 'sqlite'));
  stores.sqlite = new SqliteStore(sqliteDb);
  cluster = await startPostgres();
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(
    `CREATE DATABASE hop_vi TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'vi-VN' LOCALE 'C.UTF-8'`,
  );
  await admin.end();
  const viUrl = cluster.url.replace(/\/hop$/, '/hop_vi');
  // the collation is in effect: 'a' sorts before 'B' (in "C", bytes, it sorts after)
  const check = new pg.Client({ connectionString: viUrl });
  await check.connect();
  const { rows } = await check.query(`SELECT 'a' < 'B' AS lt`);
  await check.end();
  expect(rows[0].lt).toBe(true);
  stores.pg = new PgStore(await openPg(viUrl));
}, 120_000);
afterAll(async () => {
  await stores.sqlite?.close();
  sqliteDb?.$client.close();
  await stores.pg?.close().catch(() => {});
  cluster?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A user row, as the accounts' service would write it. */
async function newUser(s: Store, username: string, opts: { isAdmin?: boolean; unit?: string } = {}) {
  const row = {
    id: newId(),
    username,
    fullName: username,
    passwordHash: 'x',
    isAdmin: opts.isAdmin ?? false,
    isOrganiser: false,
    unit: opts.unit ?? null,
    createdAt: new Date().toISOString(),
  };
  await s.write(null, (q, t) => q.insert(t.users).values(row));
  return (await s.read((q, t) => q.select().from(t.users).where(eq(t.users.id, row.id))))[0]!;
}

const access = (userId: string, role: MeetingRole | null, isAdmin = false, meetingId = ''): MeetingAccess => ({
  meetingId,
  userId,
  isAdmin,
  role,
});

/** weekSchedule asks the live runtime for replies only when an invitation was issued: none here. */
const noRuntime = {
  current: () => {
    throw new Error('the runtime is asked only for meetings with an invitation');
  },
} as unknown as MeetingRuntime;

describe.each(['sqlite', 'pg'] as const)('meetings on %s', (dialect) => {
  const s = () => stores[dialect];
  const rows = async (table: 'users' | 'meetings' | 'meetingMembers' | 'agendaItems' | 'documents') =>
    s().read(async (q, t) => (await q.select({ n: count() }).from(t[table]))[0]!.n);

  // first: the seed wants a database without accounts
  it('the demo seed: everything in one go on an empty database, nothing on a non-empty one', async () => {
    const files = new DocumentStore(path.join(dataDir, `files-${dialect}`));
    const logs: string[] = [];
    expect(await seedDemo(s(), files, (m) => logs.push(m))).toBe(true);
    expect(logs).toHaveLength(1);
    expect(await rows('users')).toBe(8);
    expect(await rows('meetings')).toBe(1);
    expect(await rows('meetingMembers')).toBe(7);
    expect(await rows('documents')).toBe(3);
    const [meeting] = await s().read((q, t) => q.select().from(t.meetings));
    expect(meeting!.title).toBe(DEMO_MEETING_TITLE);
    const agenda = await s().read((q, t) => listAgenda(q, t, meeting!.id));
    expect(agenda.map((i) => i.position)).toEqual([1, 2, 3]);
    expect(agenda.every((i) => i.documentIds.length === 1)).toBe(true);
    const members = await s().read((q, t) => listMembers(q, t, meeting!.id));
    expect(members.map((m) => [m.username, m.role])).toEqual([
      ['chair', 'chair'],
      ['delegate1', 'participant'],
      ['delegate2', 'participant'],
      ['delegate3', 'participant'],
      ['delegate4', 'participant'],
      ['delegate5', 'participant'],
      ['secretary', 'secretary'],
    ]);
    // a database with accounts is never touched
    expect(await seedDemo(s(), files, (m) => logs.push(m))).toBe(false);
    expect(await rows('users')).toBe(8);
    expect(await rows('meetings')).toBe(1);
    expect(logs).toHaveLength(1);
  }, 120_000);

  it('lists the meetings latest first, those without a start time last, ties by creation then id; a member only theirs', async () => {
    const admin = await newUser(s(), 'list-admin', { isAdmin: true });
    const member = await newUser(s(), 'list-member');
    const made: Record<string, string> = {};
    for (const [key, startsAt] of [
      ['none', null],
      ['dec1', '2030-12-01T01:00:00.000Z'],
      ['dec3', '2030-12-03T01:00:00.000Z'],
      ['dec1b', '2030-12-01T01:00:00.000Z'],
    ] as const) {
      made[key] = (await s().write(null, (tx, t) => createMeeting(tx, t, admin, { title: `Họp ${key}`, startsAt }))).id;
      await new Promise((r) => setTimeout(r, 5)); // distinct creation instants
    }
    // two meetings with the same start and creation instant: the id decides
    const sameAt = '2030-11-01T00:00:00.000Z';
    const twins = ['zz-twin', 'aa-twin'];
    await s().write(null, (tx, t) =>
      tx
        .insert(t.meetings)
        .values(
          twins.map((id) => ({ id, title: id, startsAt: '2030-11-15T01:00:00.000Z', createdAt: sameAt, updatedAt: sameAt })),
        ),
    );
    await s().write(made.dec1!, (tx, t) => addMember(tx, t, made.dec1!, 'list-member', 'guest'));
    await s().write(made.none!, (tx, t) => addMember(tx, t, made.none!, 'list-member', 'participant'));

    const ours = new Set([...Object.values(made), ...twins]);
    const mine = (await s().read((q, t) => listMeetings(q, t, admin))).filter((m) => ours.has(m.id));
    expect(mine.map((m) => m.id)).toEqual([made.dec3, made.dec1b, made.dec1, 'aa-twin', 'zz-twin', made.none]);
    expect(mine.every((m) => m.role === null)).toBe(true);
    const theirs = await s().read((q, t) => listMeetings(q, t, member));
    expect(theirs.map((m) => [m.id, m.role])).toEqual([
      [made.dec1, 'guest'],
      [made.none, 'participant'],
    ]);
  });

  it('agenda: appended at the end, reordered in one transaction, a deletion closes the gap, concurrent additions never share a place', async () => {
    const admin = await newUser(s(), 'agenda-admin', { isAdmin: true });
    const m = await s().write(null, (tx, t) => createMeeting(tx, t, admin, { title: 'Chương trình' }));
    const ids: string[] = [];
    for (const title of ['Một', 'Hai', 'Ba', 'Bốn'])
      ids.push((await s().write(m.id, (tx, t) => createAgendaItem(tx, t, m.id, { title }))).id);
    const order = [ids[2]!, ids[0]!, ids[3]!, ids[1]!];
    const after = await s().write(m.id, (tx, t) => reorderAgenda(tx, t, m.id, order));
    expect(after.map((i) => [i.id, i.position])).toEqual(order.map((id, i) => [id, i + 1]));

    // a list that misses an item, repeats one or names another meeting's: refused, nothing moves
    for (const bad of [order.slice(1), [order[0]!, ...order.slice(0, 3)], [...order.slice(0, 3), 'other-item']])
      await expect(s().write(m.id, (tx, t) => reorderAgenda(tx, t, m.id, bad))).rejects.toMatchObject({ code: 'INVALID' });
    expect((await s().read((q, t) => listAgenda(q, t, m.id))).map((i) => i.id)).toEqual(order);

    await s().write(m.id, (tx, t) => deleteAgendaItem(tx, t, m.id, order[1]!));
    const left = await s().read((q, t) => listAgenda(q, t, m.id));
    expect(left.map((i) => [i.id, i.position])).toEqual([
      [order[0], 1],
      [order[2], 2],
      [order[3], 3],
    ]);
    await expect(s().write(m.id, (tx, t) => deleteAgendaItem(tx, t, m.id, order[1]!))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    await Promise.all(
      Array.from({ length: 12 }, (_, i) => s().write(m.id, (tx, t) => createAgendaItem(tx, t, m.id, { title: `Thêm ${i}` }))),
    );
    const positions = await s().read((q, t) =>
      q
        .select({ p: t.agendaItems.position })
        .from(t.agendaItems)
        .where(eq(t.agendaItems.meetingId, m.id))
        .orderBy(asc(t.agendaItems.position)),
    );
    expect(positions.map((r) => r.p)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it('the week: Monday 00:00 to Sunday 24:00 in Vietnam time, whatever form the start is stored in', async () => {
    const viewer = await newUser(s(), 'week-viewer', { unit: 'Văn phòng' });
    const admin = await newUser(s(), 'week-admin', { isAdmin: true });
    // the week of Wednesday 2031-12-10: Monday 2031-12-08 00:00 +07 = 2031-12-07T17:00Z, to 2031-12-14T17:00Z
    const cases: [string, string, boolean][] = [
      ['sunday-before', '2031-12-07T16:59:59.000Z', false],
      ['monday-midnight', '2031-12-07T17:00:00.000Z', true],
      ['wednesday-offset', '2031-12-10T08:30:00+07:00', true],
      ['sunday-late', '2031-12-14T16:59:00.000Z', true],
      ['monday-after', '2031-12-14T17:00:00.000Z', false],
      ['far-before', '2031-11-30T01:00:00.000Z', false],
    ];
    const idOf: Record<string, string> = {};
    for (const [title, startsAt] of cases) {
      const m = await s().write(null, (tx, t) => createMeeting(tx, t, admin, { title, startsAt, organization: 'Văn phòng' }));
      idOf[title] = m.id;
      await s().write(m.id, (tx, t) => addMember(tx, t, m.id, 'week-viewer', 'participant'));
    }
    // one not the viewer's, in the week: only in the administrator's view of the unit
    const notMine = await s().write(null, (tx, t) =>
      createMeeting(tx, t, admin, { title: 'khác', startsAt: '2031-12-11T02:00:00.000Z', organization: 'Sở khác' }),
    );
    const expected = cases.filter(([, , inWeek]) => inWeek).map(([title]) => idOf[title]);

    const mine = await s().read((q, t) => weekSchedule(q, t, noRuntime, viewer, { date: '2031-12-10' }));
    expect(mine.weekStart).toBe('2031-12-08');
    expect(mine.meetings.map((m) => m.id)).toEqual(expected);
    expect(mine.meetings.map((m) => m.date)).toEqual(['2031-12-08', '2031-12-10', '2031-12-14']);
    const unit = await s().read((q, t) => weekSchedule(q, t, noRuntime, admin, { date: '2031-12-10', scope: 'unit' }));
    expect(unit.meetings.map((m) => m.id)).toEqual([expected[0], expected[1], notMine.id, expected[2]]);
    expect(unit.meetings.find((m) => m.id === notMine.id)).toMatchObject({ role: null, canOpen: true });
  });

  it('membership rules: officers keep their seats from each other, one chair, no change of voters during a vote', async () => {
    const admin = await newUser(s(), 'rules-admin', { isAdmin: true });
    const secretary = await newUser(s(), 'rules-secretary');
    const chair = await newUser(s(), 'rules-chair');
    await newUser(s(), 'rules-other');
    const delegate = await newUser(s(), 'rules-delegate');
    const m = await s().write(null, (tx, t) => createMeeting(tx, t, secretary, { title: 'Quy tắc' }, 'secretary'));
    const bySecretary = { by: access(secretary.id, 'secretary', false, m.id), voteOpen: false };
    const byAdmin = { by: access(admin.id, null, true, m.id), voteOpen: false };
    const add = (username: string, role: MeetingRole, c = bySecretary) =>
      s().write(m.id, (tx, t) => addMember(tx, t, m.id, username, role, c));
    const roles = async () =>
      Object.fromEntries((await s().read((q, t) => listMembers(q, t, m.id))).map((x) => [x.username, x.role]));

    // the secretary fills the empty chair seat and adds a delegate
    await add('rules-chair', 'chair');
    await add('rules-delegate', 'participant');
    const before = await roles();
    expect(before).toEqual({ 'rules-chair': 'chair', 'rules-delegate': 'participant', 'rules-secretary': 'secretary' });

    // …but never a second chair, nor demotes or removes the sitting one
    await expect(add('rules-other', 'chair')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(add('rules-chair', 'participant')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(s().write(m.id, (tx, t) => removeMember(tx, t, m.id, chair.id, bySecretary))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // an administrator may move officers, yet a meeting still has one chair
    await expect(add('rules-other', 'chair', byAdmin)).rejects.toMatchObject({ code: 'CONFLICT' });
    // while a vote is open, who holds a vote does not change (a guest seat is no vote)
    const duringVote = { ...bySecretary, voteOpen: true };
    await expect(add('rules-delegate', 'guest', duringVote)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(add('rules-other', 'participant', duringVote)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(s().write(m.id, (tx, t) => removeMember(tx, t, m.id, delegate.id, duringVote))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await add('rules-other', 'observer', duringVote);
    await expect(s().write(m.id, (tx, t) => removeMember(tx, t, m.id, 'nobody', bySecretary))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await roles()).toEqual({ ...before, 'rules-other': 'observer' });

    // the administrator demotes the chair; the secretary may then give the seat to another
    await add('rules-chair', 'participant', byAdmin);
    await add('rules-other', 'chair');
    await s().write(m.id, (tx, t) => removeMember(tx, t, m.id, delegate.id, bySecretary));
    expect(await roles()).toEqual({ 'rules-chair': 'participant', 'rules-other': 'chair', 'rules-secretary': 'secretary' });
  });
});

describe.each(['sqlite', 'pg'] as const)('a demo seed that fails half-way on %s', (dialect) => {
  it('leaves no account, meeting or agenda behind, and the next start seeds in full', async () => {
    // a fresh database whose last table the seed writes refuses a row (a trigger: a real fault)
    let store: Store;
    let close: () => Promise<void>;
    if (dialect === 'sqlite') {
      const db = openDb(path.join(dataDir, 'sqlite-fault'));
      db.$client.exec(
        `CREATE TRIGGER refuse BEFORE INSERT ON agenda_item_documents BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`,
      );
      store = new SqliteStore(db);
      close = async () => {
        await store.close();
        db.$client.close();
      };
    } else {
      store = new PgStore(await openPg(cluster.createDatabase('hop_fault')));
      await store.write(null, async (q) => {
        await store.execute(
          q,
          sql`CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql`,
        );
        await store.execute(
          q,
          sql`CREATE TRIGGER refuse BEFORE INSERT ON agenda_item_documents FOR EACH ROW EXECUTE FUNCTION refuse()`,
        );
      });
      close = () => store.close();
    }
    try {
      const files = new DocumentStore(path.join(dataDir, `files-fault-${dialect}`));
      const err = await seedDemo(store, files, () => {}).then(
        () => null,
        (e: { message?: string; cause?: { message?: string } }) => e,
      );
      expect(`${err?.message} ${err?.cause?.message}`).toMatch(/refused by the test/);
      const counts = await store.read(async (q, t) =>
        Promise.all(
          (['users', 'meetings', 'meetingMembers', 'agendaItems', 'documents'] as const).map(
            async (tb) => (await q.select({ n: count() }).from(t[tb]))[0]!.n,
          ),
        ),
      );
      expect(counts).toEqual([0, 0, 0, 0, 0]);
      // the fault gone, the next start seeds the whole demo
      await store.write(null, (q) =>
        store.execute(q, dialect === 'pg' ? sql`DROP TRIGGER refuse ON agenda_item_documents` : sql`DROP TRIGGER refuse`),
      );
      expect(await seedDemo(store, files, () => {})).toBe(true);
      expect(await store.read(async (q, t) => (await q.select({ n: count() }).from(t.agendaItemDocuments))[0]!.n)).toBe(3);
    } finally {
      await close();
    }
  }, 120_000);
});
