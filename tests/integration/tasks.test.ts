// Tasks from conclusions (issue 16 item 3) on the real app, a real SQLite file and real sockets:
// officers make tasks of the conclusions the minutes hold; the owner reports (text, status, evidence
// files checked by their bytes); overdue is computed from the deadline; the chair's and the office's
// dashboard; owners notified when assigned and before the deadline; every refusal has its code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { multipartFile, session, type Session } from '../helpers/http';
import { command, connect, httpLogin, join, type LiveSocket } from '../helpers/live-client';
import { signaturePng } from '../helpers/signature-png';
import { remindDueTasks } from '../../server/services/task-reminders';
import { todayVn } from '../../server/services/tasks';
import type { MeetingDetail } from '../../shared/api';
import type { Task, TaskDashboard, TaskDetail } from '../../shared/tasks-api';
import type { NotificationPage } from '../../shared/notifications-api';

let t: TestApp;
let admin: Session, chair: Session, secretary: Session, delegate1: Session, delegate2: Session;
let m: MeetingDetail;
let mid: string;
let itemId: string;
const sockets: LiveSocket[] = [];
const day = (offset: number) => new Date(Date.parse(`${todayVn()}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
const code = (res: { json: () => { error?: { code: string } } }) => res.json().error?.code;

let overdueTask: Task;
let soonTask: Task;

beforeAll(async () => {
  t = await buildTestApp({ listen: true, config: { taskReminderPollMs: 0 } });
  admin = await session(t.app, 'admin');
  chair = await session(t.app, 'chair');
  secretary = await session(t.app, 'secretary');
  delegate1 = await session(t.app, 'delegate1');
  delegate2 = await session(t.app, 'delegate2');
  mid = (await chair.get('/api/meetings')).json()[0].id;
  m = (await chair.get(`/api/meetings/${mid}`)).json();
  itemId = m.agenda[0]!.id;
  const s = await connect(t.url, { cookie: await httpLogin(t.url, 'chair') });
  sockets.push(s);
  await join(s, mid);
  for (const payload of [
    { field: 'conclusions', text: 'Giao Văn phòng hoàn thiện kế hoạch chuyển đổi số, trình trước ngày 15/12.', baseVersion: 0 },
    { field: 'conclusion', itemId, text: 'Thống nhất thông qua báo cáo; giao các phòng bổ sung số liệu.', baseVersion: 0 },
  ]) {
    const ack = await command(s, mid, 'minutes.update', payload);
    expect(ack, JSON.stringify(ack)).toMatchObject({ ok: true });
  }
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t.close();
});

describe('officers make tasks of conclusions', () => {
  it('the secretary assigns a task to a member: it shows the conclusion, overdue computed from the deadline', async () => {
    const res = await secretary.post(`/api/meetings/${mid}/tasks`, {
      conclusionKey: 'conclusions',
      title: 'Hoàn thiện kế hoạch chuyển đổi số',
      ownerId: delegate1.userId,
      deadline: day(-1),
    });
    expect(res.statusCode, res.body).toBe(201);
    overdueTask = res.json();
    expect(overdueTask).toMatchObject({
      meetingId: mid,
      ownerId: delegate1.userId,
      ownerName: 'Lê Văn Cường',
      status: 'todo',
      state: 'overdue',
      deadline: day(-1),
      conclusion: 'Giao Văn phòng hoàn thiện kế hoạch chuyển đổi số, trình trước ngày 15/12.',
    });
    const res2 = await chair.post(`/api/meetings/${mid}/tasks`, {
      conclusionKey: `item:${itemId}:conclusion`,
      title: 'Bổ sung số liệu',
      ownerId: delegate1.userId,
      ownerUnit: 'Phòng Tổng hợp',
      deadline: day(1),
    });
    expect(res2.statusCode, res2.body).toBe(201);
    soonTask = res2.json();
    expect(soonTask).toMatchObject({ state: 'todo', ownerUnit: 'Phòng Tổng hợp' });
    // a unit alone is a valid owner
    const unit = await chair.post(`/api/meetings/${mid}/tasks`, {
      conclusionKey: 'conclusions',
      title: 'Rà soát hạ tầng',
      ownerUnit: 'Trung tâm CNTT',
      deadline: day(30),
    });
    expect(unit.statusCode).toBe(201);
    const list = (await delegate2.get(`/api/meetings/${mid}/tasks`)).json() as Task[];
    expect(list.map((x) => x.title)).toEqual(['Hoàn thiện kế hoạch chuyển đổi số', 'Bổ sung số liệu', 'Rà soát hạ tầng']);
  });

  it('the owner is notified of the assignment (the bell)', async () => {
    const page = (await delegate1.get('/api/me/notifications')).json() as NotificationPage;
    const mine = page.items.filter((n) => n.kind === 'task.assigned');
    expect(mine.map((n) => n.params.title).sort()).toEqual(['Bổ sung số liệu', 'Hoàn thiện kế hoạch chuyển đổi số']);
    expect(mine.map((n) => n.link).sort()).toEqual([`/tasks/${overdueTask.id}`, `/tasks/${soonTask.id}`].sort());
  });

  it('refusals, each with its code, and nothing stored', async () => {
    const before = ((await chair.get(`/api/meetings/${mid}/tasks`)).json() as Task[]).length;
    const base = { conclusionKey: 'conclusions', title: 'X', ownerId: delegate1.userId, deadline: day(3) };
    const cases: Array<[Session, unknown, number, string]> = [
      [delegate1, base, 403, 'FORBIDDEN'],
      [delegate2, base, 403, 'FORBIDDEN'],
      [chair, { ...base, conclusionKey: 'item:nope:conclusion' }, 404, 'NOT_FOUND'],
      [chair, { ...base, conclusionKey: 'subject' }, 400, 'INVALID'],
      [chair, { ...base, ownerId: 'not-a-member-id' }, 400, 'INVALID'],
      [chair, { ...base, deadline: '2026-02-30' }, 400, 'INVALID'],
      [chair, { ...base, deadline: '15/12/2026' }, 400, 'INVALID'],
      [chair, { conclusionKey: 'conclusions', title: 'X', deadline: day(3) }, 400, 'INVALID'],
      [chair, { ...base, title: '   ' }, 400, 'INVALID'],
      [chair, { ...base, status: 'done' }, 400, 'INVALID'],
    ];
    for (const [who, body, status, c] of cases) {
      const res = await who.post(`/api/meetings/${mid}/tasks`, body);
      expect([res.statusCode, code(res)], JSON.stringify(body)).toEqual([status, c]);
    }
    expect(((await chair.get(`/api/meetings/${mid}/tasks`)).json() as Task[]).length).toBe(before);
  });

  it('someone outside the meeting learns nothing: NOT_FOUND for its tasks and a task', async () => {
    const b = await chair.post('/api/meetings', { title: 'Họp riêng', creatorRole: 'chair' });
    const outsider = b.json().id as string;
    expect(code(await secretary.get(`/api/meetings/${outsider}/tasks`))).toBe('NOT_FOUND');
    // a non-member of the demo meeting: an account made by the admin
    expect(
      (await admin.post('/api/users', { username: 'outsider', fullName: 'Người ngoài', password: 'demo1234x' })).statusCode,
    ).toBe(201);
    const out = await session(t.app, 'outsider', 'demo1234x');
    for (const url of [`/api/meetings/${mid}/tasks`, `/api/tasks/${overdueTask.id}`])
      expect(code(await out.get(url)), url).toBe('NOT_FOUND');
    expect(code(await out.patch(`/api/tasks/${overdueTask.id}`, { title: 'x' }))).toBe('NOT_FOUND');
    expect(code(await out.post(`/api/tasks/${overdueTask.id}/reports`, { text: 'x', status: 'done' }))).toBe('NOT_FOUND');
    expect((await out.get('/api/tasks/mine')).json()).toEqual([]);
    expect(code(await out.get('/api/tasks/overdue'))).toBe('FORBIDDEN');
  });
});

describe('owners report on their own tasks', () => {
  let reportId: string;

  it('another member may not report; the owner reports progress, then done', async () => {
    expect(code(await delegate2.post(`/api/tasks/${overdueTask.id}/reports`, { text: 'Tôi làm thay', status: 'done' }))).toBe(
      'FORBIDDEN',
    );
    expect(code(await secretary.post(`/api/tasks/${overdueTask.id}/reports`, { text: 'x', status: 'done' }))).toBe('FORBIDDEN');
    const r1 = await delegate1.post(`/api/tasks/${overdueTask.id}/reports`, {
      text: 'Đã xây dựng dự thảo, đang lấy ý kiến các phòng.',
      status: 'in_progress',
    });
    expect(r1.statusCode, r1.body).toBe(201);
    const d1 = r1.json() as TaskDetail;
    expect(d1.task).toMatchObject({ status: 'in_progress', state: 'overdue' });
    expect(d1.can).toEqual({ edit: false, report: true });
    reportId = d1.reports[0]!.id;
    expect(code(await delegate1.post(`/api/tasks/${overdueTask.id}/reports`, { text: '   ', status: 'done' }))).toBe('INVALID');
    expect(code(await delegate1.post(`/api/tasks/${overdueTask.id}/reports`, { text: 'x', status: 'overdue' }))).toBe('INVALID');
  });

  it('evidence: a PNG and a PDF are kept; a file of another kind, or from someone else, is refused', async () => {
    const url = `/api/tasks/${overdueTask.id}/reports/${reportId}/evidence`;
    const png = signaturePng();
    const up = (who: Session, bytes: Uint8Array, name: string) => {
      const mp = multipartFile(bytes, name, 'file', 'application/octet-stream');
      return who.request({ method: 'POST', url, payload: mp.payload, headers: mp.headers });
    };
    const a = await up(delegate1, png, 'anh-chup.png');
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ mime: 'image/png', filename: 'anh-chup.png', size: png.length });
    const pdf = await PDFDocument.create();
    pdf.addPage();
    const b = await up(delegate1, await pdf.save(), 'bao-cao.pdf');
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json().mime).toBe('application/pdf');
    // the name says PNG, the bytes are text
    const c = await up(delegate1, new TextEncoder().encode('<script>alert(1)</script>'), 'fake.png');
    expect([c.statusCode, code(c)]).toEqual([415, 'BAD_EVIDENCE_FILE']);
    // a "PDF" pdf.js cannot open
    const d = await up(delegate1, new TextEncoder().encode('%PDF-1.7\nnot really'), 'broken.pdf');
    expect(d.statusCode).toBe(422);
    expect(code(await up(delegate2, png, 'x.png'))).toBe('FORBIDDEN');
    const detail = (await delegate2.get(`/api/tasks/${overdueTask.id}`)).json() as TaskDetail;
    expect(detail.reports[0]!.evidence.map((e) => e.filename)).toEqual(['anh-chup.png', 'bao-cao.pdf']);
    expect(detail.can).toEqual({ edit: false, report: false });
    // any member reads it back, byte for byte, as an attachment
    const file = await delegate2.get(`/api/tasks/${overdueTask.id}/evidence/${a.json().id}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(String(file.headers['content-disposition'])).toContain('attachment');
    expect(Buffer.from(file.rawPayload).equals(Buffer.from(png))).toBe(true);
  });

  it('done: no longer overdue; the owner sees it among their tasks', async () => {
    const r = await delegate1.post(`/api/tasks/${overdueTask.id}/reports`, { text: 'Đã trình kế hoạch.', status: 'done' });
    expect((r.json() as TaskDetail).task).toMatchObject({ status: 'done', state: 'done' });
    expect((r.json() as TaskDetail).task.doneAt).not.toBeNull();
    const mine = (await delegate1.get('/api/tasks/mine')).json() as Task[];
    expect(mine.map((x) => [x.title, x.state])).toEqual([
      ['Hoàn thiện kế hoạch chuyển đổi số', 'done'],
      ['Bổ sung số liệu', 'todo'],
    ]);
  });
});

describe('the overdue dashboard and reminders', () => {
  it('the chair and the secretary see what is overdue across their meetings; a delegate may not', async () => {
    const late = await chair.post(`/api/meetings/${mid}/tasks`, {
      conclusionKey: 'conclusions',
      title: 'Báo cáo quá hạn',
      ownerId: delegate2.userId,
      deadline: day(-5),
    });
    expect(late.statusCode).toBe(201);
    for (const who of [chair, secretary, admin]) {
      const list = (await who.get('/api/tasks/overdue')).json() as Task[];
      // the done one left the dashboard
      expect(list.map((x) => [x.title, x.state, x.meetingTitle])).toEqual([['Báo cáo quá hạn', 'overdue', m.meeting.title]]);
    }
    expect(code(await delegate1.get('/api/tasks/overdue'))).toBe('FORBIDDEN');
  });

  it('the dashboard: every task of their meetings, overdue first, counts per state, filters by unit, state and meeting', async () => {
    const d = (await chair.get('/api/tasks/dashboard')).json() as TaskDashboard;
    expect(d.tasks.map((x) => [x.title, x.state])).toEqual([
      ['Báo cáo quá hạn', 'overdue'],
      ['Bổ sung số liệu', 'todo'],
      ['Rà soát hạ tầng', 'todo'],
      ['Hoàn thiện kế hoạch chuyển đổi số', 'done'],
    ]);
    expect(d.counts).toEqual({ overdue: 1, todo: 2, in_progress: 0, done: 1, total: 4 });
    expect(d.meetings).toEqual([{ id: mid, title: m.meeting.title }]);
    expect(d.units).toEqual(['Phòng Tổng hợp', 'Trung tâm CNTT']);
    const byUnit = (
      await secretary.get(`/api/tasks/dashboard?unit=${encodeURIComponent('Trung tâm CNTT')}`)
    ).json() as TaskDashboard;
    expect(byUnit.tasks.map((x) => x.title)).toEqual(['Rà soát hạ tầng']);
    expect(byUnit.counts).toEqual({ overdue: 0, todo: 1, in_progress: 0, done: 0, total: 1 });
    // the state filter narrows the list, not the counts (the chips keep their numbers)
    const late = (await admin.get('/api/tasks/dashboard?state=overdue')).json() as TaskDashboard;
    expect(late.tasks.map((x) => x.title)).toEqual(['Báo cáo quá hạn']);
    expect(late.counts.total).toBe(4);
    expect((await chair.get(`/api/tasks/dashboard?meetingId=${mid}&state=done`)).json().tasks.map((x: Task) => x.title)).toEqual([
      'Hoàn thiện kế hoạch chuyển đổi số',
    ]);
    // a meeting one does not oversee filters to nothing (no tasks of it leak, no hint it exists)
    expect((await chair.get('/api/tasks/dashboard?meetingId=nosuchmeeting')).json().tasks).toEqual([]);
    expect(code(await delegate1.get('/api/tasks/dashboard'))).toBe('FORBIDDEN');
    expect(code(await chair.get('/api/tasks/dashboard?state=late'))).toBe('INVALID');
    expect(code(await chair.get('/api/tasks/dashboard?meetingId=../x'))).toBe('INVALID');
  });

  it('owners are notified once before the deadline; a new deadline brings a new reminder', async () => {
    const before = (await delegate1.get('/api/me/notifications')).json() as NotificationPage;
    const n = await remindDueTasks(t.app.database, t.app.notifications, 2);
    // delegate1's task due tomorrow and delegate2's overdue one; not the done task, not the unit's one
    expect(n).toBe(2);
    expect(await remindDueTasks(t.app.database, t.app.notifications, 2)).toBe(0);
    const after = (await delegate1.get('/api/me/notifications')).json() as NotificationPage;
    const due = after.items.filter((x) => x.kind === 'task.due');
    expect(due.map((x) => x.params.title)).toEqual(['Bổ sung số liệu']);
    expect(after.unread).toBe(before.unread + 1);
    expect((await chair.patch(`/api/tasks/${soonTask.id}`, { deadline: day(2) })).statusCode).toBe(200);
    expect(await remindDueTasks(t.app.database, t.app.notifications, 2)).toBe(1);
  });

  it('officers change and remove tasks; members may not', async () => {
    expect(code(await delegate1.patch(`/api/tasks/${soonTask.id}`, { title: 'Đổi tên' }))).toBe('FORBIDDEN');
    expect(code(await chair.patch(`/api/tasks/${soonTask.id}`, {}))).toBe('INVALID');
    expect(code(await chair.patch(`/api/tasks/${soonTask.id}`, { ownerId: null, ownerUnit: null }))).toBe('INVALID');
    expect(code(await delegate1.del(`/api/tasks/${soonTask.id}`))).toBe('FORBIDDEN');
    expect((await secretary.del(`/api/tasks/${soonTask.id}`)).statusCode).toBe(204);
    expect(code(await chair.get(`/api/tasks/${soonTask.id}`))).toBe('NOT_FOUND');
  });
});

describe('the reminder job (the timer the server starts, not a call from the test)', () => {
  it('an owner whose task falls due within TASK_REMINDER_DAYS gets task.due once, linking to the task', async () => {
    const app = await buildTestApp({ listen: true, config: { taskReminderPollMs: 100, taskReminderDays: 2 } });
    try {
      const ch = await session(app.app, 'chair');
      const d1 = await session(app.app, 'delegate1');
      const meetingId = (await ch.get('/api/meetings')).json()[0].id as string;
      const s = await connect(app.url, { cookie: await httpLogin(app.url, 'chair') });
      await join(s, meetingId);
      expect(
        await command(s, meetingId, 'minutes.update', { field: 'conclusions', text: 'Giao nhiệm vụ.', baseVersion: 0 }),
      ).toMatchObject({ ok: true });
      s.close();
      const far = (
        await ch.post(`/api/meetings/${meetingId}/tasks`, {
          conclusionKey: 'conclusions',
          title: 'Còn xa',
          ownerId: d1.userId,
          deadline: day(20),
        })
      ).json() as Task;
      const near = (
        await ch.post(`/api/meetings/${meetingId}/tasks`, {
          conclusionKey: 'conclusions',
          title: 'Sắp đến hạn',
          ownerId: d1.userId,
          deadline: day(1),
        })
      ).json() as Task;
      let due: NotificationPage['items'] = [];
      for (let i = 0; i < 100 && due.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        due = ((await d1.get('/api/me/notifications')).json() as NotificationPage).items.filter((n) => n.kind === 'task.due');
      }
      expect(due.map((n) => [n.params.title, n.link])).toEqual([['Sắp đến hạn', `/tasks/${near.id}`]]);
      // several more passes: still one reminder, and none for the far task
      await new Promise((r) => setTimeout(r, 500));
      const again = ((await d1.get('/api/me/notifications')).json() as NotificationPage).items.filter(
        (n) => n.kind === 'task.due',
      );
      expect(again.length).toBe(1);
      expect(again.some((n) => n.link.endsWith(far.id))).toBe(false);
    } finally {
      await app.close();
    }
  }, 30_000);
});
