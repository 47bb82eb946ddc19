// Organisers (issue 21): an account an administrator makes an organiser creates meetings and holds an
// officer role in them; a meeting's chair and secretary manage its members; the meeting page learns
// what it may do from `abilities`; preparation changes reach open meeting pages as a live nudge.
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session, type Session } from '../helpers/http';
import { connect, httpLogin, join, until, type LiveSocket } from '../helpers/live-client';

let t: TestApp;
let admin: Session, chair: Session, delegate: Session;
let demoId = '';
/** Rows in a table, through the Store (either database). */
const rowCount = (table: 'meetings' | 'meetingMembers') =>
  t.app.database.read(async (q, tt) => (await q.select({ n: count() }).from(tt[table]))[0]!.n);

beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  admin = await session(t.app, 'admin');
  chair = await session(t.app, 'chair');
  delegate = await session(t.app, 'delegate1');
  demoId = (await admin.get('/api/meetings')).json()[0].id;
});
afterAll(async () => {
  await t.close();
});

describe('the organiser ability', () => {
  it('an account without it cannot create a meeting, and nothing is stored', async () => {
    const before = await rowCount('meetings');
    const res = await delegate.post('/api/meetings', { title: 'Không được tạo' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(await rowCount('meetings')).toBe(before);
  });

  it('an administrator grants it; only an administrator can', async () => {
    const target = (await delegate.get('/api/auth/me')).json().user;
    expect(target.isOrganiser).toBe(false);
    const refused = await chair.patch(`/api/users/${target.id}`, { isOrganiser: true });
    expect(refused.statusCode).toBe(403);
    const granted = await admin.patch(`/api/users/${target.id}`, { isOrganiser: true });
    expect(granted.statusCode).toBe(200);
    expect(granted.json().isOrganiser).toBe(true);
    const made = await delegate.post('/api/meetings', { title: 'Họp tổ chuyên môn' });
    expect(made.statusCode).toBe(201);
    expect(made.json().role).toBe('secretary');
    await admin.patch(`/api/users/${target.id}`, { isOrganiser: false });
    expect((await delegate.post('/api/meetings', { title: 'Lại không được' })).statusCode).toBe(403);
  });

  it('the creator holds an officer role in the meeting and may prepare it', async () => {
    const m = (await chair.post('/api/meetings', { title: 'Họp chuẩn bị Đại hội', creatorRole: 'chair' })).json();
    expect(m.role).toBe('chair');
    expect((await chair.get('/api/meetings')).json().map((x: { id: string }) => x.id)).toContain(m.id);
    const detail = (await chair.get(`/api/meetings/${m.id}`)).json();
    expect(detail.members).toEqual([expect.objectContaining({ username: 'chair', role: 'chair' })]);
    expect(detail.abilities).toEqual({
      update: true,
      manageMembers: true,
      editAgenda: true,
      uploadDocument: true,
      createAccounts: false,
      controlMeeting: true,
      markAttendance: true,
      checkIn: true,
      issueRoomToken: true,
      recordBallots: true,
      approveSubstitute: true,
      askOpinions: true,
      draftCountingReport: true,
      annotate: true,
      annotateShared: true,
      eraseOthersMarks: true,
      requestFloor: true,
      castBallot: true,
    });
    const secretary = await session(t.app, 'secretary');
    expect((await secretary.post('/api/meetings', { title: 'Họp của thư ký' })).json().role).toBe('secretary');
  });

  it('an administrator keeps creating meetings without becoming a member, as before', async () => {
    const m = (await admin.post('/api/meetings', { title: 'Họp do quản trị tạo' })).json();
    expect(m.role).toBeNull();
    expect((await admin.get(`/api/meetings/${m.id}`)).json().members).toEqual([]);
    expect((await admin.get(`/api/meetings/${m.id}`)).json().abilities.createAccounts).toBe(true);
  });

  it('refuses a creator role that is not an officer role', async () => {
    const before = await rowCount('meetings');
    const res = await chair.post('/api/meetings', { title: 'Sai vai trò', creatorRole: 'participant' });
    expect(res.statusCode).toBe(400);
    expect(await rowCount('meetings')).toBe(before);
  });
});

describe("members managed by the meeting's chair and secretary", () => {
  it('the chair adds, re-roles and removes members', async () => {
    const m = (await chair.post('/api/meetings', { title: 'Họp thành viên', creatorRole: 'chair' })).json();
    const added = await chair.post(`/api/meetings/${m.id}/members`, { username: 'delegate2', role: 'participant' });
    expect(added.statusCode).toBe(201);
    expect((await chair.post(`/api/meetings/${m.id}/members`, { username: 'delegate2', role: 'guest' })).json().role).toBe(
      'guest',
    );
    expect((await chair.del(`/api/meetings/${m.id}/members/${added.json().userId}`)).statusCode).toBe(204);
    expect((await chair.get(`/api/meetings/${m.id}`)).json().members.map((x: { username: string }) => x.username)).toEqual([
      'chair',
    ]);
  });

  it('an officer cannot change or drop their own membership (it would lock them out)', async () => {
    const m = (await chair.post('/api/meetings', { title: 'Họp tự khoá', creatorRole: 'chair' })).json();
    const before = await rowCount('meetingMembers');
    const drop = await chair.del(`/api/meetings/${m.id}/members/${chair.userId}`);
    expect(drop.statusCode).toBe(409);
    const demote = await chair.post(`/api/meetings/${m.id}/members`, { username: 'chair', role: 'participant' });
    expect(demote.statusCode).toBe(409);
    expect(await rowCount('meetingMembers')).toBe(before);
    // an administrator still can
    expect((await admin.del(`/api/meetings/${m.id}/members/${chair.userId}`)).statusCode).toBe(204);
  });

  it('officers manage delegates, fill a vacant officer seat, but never unseat one another: only an administrator does', async () => {
    const secretary = await session(t.app, 'secretary');
    const m = (await secretary.post('/api/meetings', { title: 'Họp ghế chủ trì', creatorRole: 'secretary' })).json();
    // the secretary who prepares the meeting invites its chair: the seat is vacant
    const seated = await secretary.post(`/api/meetings/${m.id}/members`, { username: 'chair', role: 'chair' });
    expect(seated.statusCode).toBe(201);
    const before = JSON.stringify((await admin.get(`/api/meetings/${m.id}/members`)).json());
    const refusals = [
      await secretary.del(`/api/meetings/${m.id}/members/${chair.userId}`),
      await secretary.post(`/api/meetings/${m.id}/members`, { username: 'chair', role: 'participant' }),
      await secretary.post(`/api/meetings/${m.id}/members`, { username: 'delegate3', role: 'secretary' }),
      await chair.del(`/api/meetings/${m.id}/members/${secretary.userId}`),
      await chair.post(`/api/meetings/${m.id}/members`, { username: 'secretary', role: 'observer' }),
    ];
    for (const r of refusals) expect([r.statusCode, r.json().error.code]).toEqual([403, 'FORBIDDEN']);
    expect(JSON.stringify((await admin.get(`/api/meetings/${m.id}/members`)).json())).toBe(before);
    // delegates are theirs to manage; an administrator may unseat an officer
    expect((await chair.post(`/api/meetings/${m.id}/members`, { username: 'delegate3', role: 'participant' })).statusCode).toBe(
      201,
    );
    expect((await admin.del(`/api/meetings/${m.id}/members/${chair.userId}`)).statusCode).toBe(204);
  });

  it('candidates carry names only, never account flags; a participant may not list them', async () => {
    const list = (await chair.get(`/api/meetings/${demoId}/member-candidates`)).json();
    expect(list.length).toBeGreaterThan(5);
    expect(Object.keys(list[0]).sort()).toEqual(['fullName', 'id', 'username']);
    expect((await delegate.get(`/api/meetings/${demoId}/member-candidates`)).statusCode).toBe(403);
  });

  it("a participant's abilities are all false", async () => {
    expect((await delegate.get(`/api/meetings/${demoId}`)).json().abilities).toEqual({
      update: false,
      manageMembers: false,
      editAgenda: false,
      uploadDocument: false,
      createAccounts: false,
      controlMeeting: false,
      markAttendance: false,
      checkIn: true,
      issueRoomToken: false,
      recordBallots: false,
      approveSubstitute: false,
      askOpinions: false,
      draftCountingReport: false,
      annotate: true,
      annotateShared: true,
      eraseOthersMarks: false,
      requestFloor: true,
      castBallot: true,
    });
  });
});

describe('preparation changes reach open meeting pages live', () => {
  let inDemo: LiveSocket, elsewhere: LiveSocket;
  let otherId = '';
  beforeAll(async () => {
    otherId = (await chair.post('/api/meetings', { title: 'Họp khác', creatorRole: 'chair' })).json().id;
    inDemo = await connect(t.url, { cookie: await httpLogin(t.url, 'delegate1') });
    elsewhere = await connect(t.url, { cookie: await httpLogin(t.url, 'chair') });
    expect((await join(inDemo, demoId)).ok).toBe(true);
    expect((await join(elsewhere, otherId)).ok).toBe(true);
  });
  afterAll(() => {
    inDemo.close();
    elsewhere.close();
  });

  const record = (s: LiveSocket) => {
    const got: string[] = [];
    s.on('meeting.changed', (m) => got.push(m.meetingId));
    return got;
  };

  it("renaming an item nudges that meeting's room only; a refused change nudges nobody", async () => {
    const demoGot = record(inDemo);
    const otherGot = record(elsewhere);
    const item = (await chair.get(`/api/meetings/${demoId}/agenda`)).json()[0];
    expect((await delegate.patch(`/api/meetings/${demoId}/agenda/${item.id}`, { title: 'Không được đổi' })).statusCode).toBe(403);
    const renamed = await chair.patch(`/api/meetings/${demoId}/agenda/${item.id}`, {
      title: 'Báo cáo công tác (đã đổi tên)',
      durationMinutes: 25,
    });
    expect(renamed.statusCode).toBe(200);
    await until(() => demoGot.length > 0);
    // barrier: a change in the other meeting arrives after anything the demo change could have sent there
    await chair.post(`/api/meetings/${otherId}/agenda`, { title: 'Mục khác' });
    await until(() => otherGot.length > 0);
    expect(otherGot).toEqual([otherId]);
    expect(demoGot).toEqual([demoId]); // one nudge: the refused PATCH sent none
  });

  it('renaming a document (PATCH /api/documents/:id, whose :id is the document) nudges its meeting', async () => {
    const got = record(inDemo);
    const doc = (await chair.get(`/api/meetings/${demoId}/documents`)).json()[0];
    expect((await chair.patch(`/api/documents/${doc.id}`, { title: 'Tài liệu (đã đổi tên)' })).statusCode).toBe(200);
    await until(() => got.length === 1);
    expect(got).toEqual([demoId]);
  });

  it('adding a member nudges too', async () => {
    const got = record(elsewhere);
    await chair.post(`/api/meetings/${otherId}/members`, { username: 'delegate3', role: 'participant' });
    await until(() => got.length === 1);
    expect(got).toEqual([otherId]);
  });
});
