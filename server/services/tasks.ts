// Tasks (nhiệm vụ) from the conclusions of the minutes (issue 16 item 3). The rules:
// - officers of the meeting (its chair and secretary, or an administrator: policies `update`) create
//   tasks from a conclusion the minutes hold, assign them and change them;
// - the owner (a member of the meeting) reports on their own task: text, a status, evidence files;
// - every member of the meeting reads its tasks (they read its conclusions already); nobody else
//   learns that the task exists (NOT_FOUND, as for the meeting);
// - "overdue" (quá hạn) is computed: not done and the deadline (a day, Vietnam time) is past.
//
// On the asynchronous Store (server/db/store.ts): every function takes a read handle or a write
// transaction `q` and the store's tables `t`; the callers (routes/tasks/tasks.ts) open the
// transaction, keyed by the task's meeting, and every read that decides a write runs inside it.
// Lists are ordered fully (deadline, creation, id): PostgreSQL has no implicit order.
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import type { tasks } from '../db/schema';
import type { Query, Tables } from '../db/store';
import { AppError, notFound } from '../errors';
import { newId, nowIso } from '../ids';
import { can, meetingAccess, type Actor, type MeetingAccess } from '../policies/meeting-policy';
import type { CreateTask, Task, TaskDetail, TaskReportInput, TaskState, TaskStatus, UpdateTask } from '../../shared/tasks-api';

export type TaskRow = typeof tasks.$inferSelect;

/** Today in Vietnam (UTC+7, no daylight saving), as YYYY-MM-DD. */
export function todayVn(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

export function stateOf(t: { status: TaskStatus; deadline: string }, today: string): TaskState {
  return t.status !== 'done' && t.deadline < today ? 'overdue' : t.status;
}

function validDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) throw new AppError('INVALID', `${day} is not a date`);
  return day;
}

const clean = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

/** The conclusions of a meeting's minutes draft as they are now (the last minutes.update of each field). */
async function conclusionsOf(q: Query, t: Tables, meetingId: string): Promise<Map<string, string>> {
  const rows = await q
    .select({ payload: t.meetingEvents.payload })
    .from(t.meetingEvents)
    .where(and(eq(t.meetingEvents.meetingId, meetingId), eq(t.meetingEvents.type, 'minutes.update')))
    .orderBy(desc(t.meetingEvents.seq));
  const out = new Map<string, string>();
  for (const r of rows) {
    const p = JSON.parse(r.payload) as { key: string; text: string };
    if (!out.has(p.key)) out.set(p.key, p.text);
  }
  return out;
}

/** The conclusion's text as the minutes draft holds it now ('' if none). */
export async function conclusionText(q: Query, t: Tables, meetingId: string, key: string): Promise<string> {
  return (await conclusionsOf(q, t, meetingId)).get(key) ?? '';
}

async function requireMember(q: Query, t: Tables, meetingId: string, userId: string): Promise<void> {
  const [m] = await q
    .select({ u: t.meetingMembers.userId })
    .from(t.meetingMembers)
    .where(and(eq(t.meetingMembers.meetingId, meetingId), eq(t.meetingMembers.userId, userId)));
  if (!m) throw new AppError('INVALID', 'The person in charge must be a member of the meeting');
}

/** Deadline, then creation, then id: one order on both databases. */
export const byDeadline = (a: TaskRow, b: TaskRow) =>
  cmp(a.deadline, b.deadline) || cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function present(q: Query, t: Tables, rows: TaskRow[], today = todayVn()): Promise<Task[]> {
  if (rows.length === 0) return [];
  const ownerIds = [...new Set(rows.map((r) => r.ownerId).filter((x): x is string => x !== null))];
  const meetingIds = [...new Set(rows.map((r) => r.meetingId))];
  const names = new Map(
    ownerIds.length
      ? (await q.select({ id: t.users.id, n: t.users.fullName }).from(t.users).where(inArray(t.users.id, ownerIds))).map((u) => [
          u.id,
          u.n,
        ])
      : [],
  );
  const titles = new Map(
    (await q.select({ id: t.meetings.id, t: t.meetings.title }).from(t.meetings).where(inArray(t.meetings.id, meetingIds))).map(
      (m) => [m.id, m.t],
    ),
  );
  // one read of each meeting's conclusions, not one per task
  const conclusions = new Map<string, Map<string, string>>();
  for (const m of meetingIds) conclusions.set(m, await conclusionsOf(q, t, m));
  return rows.map((r) => ({
    id: r.id,
    meetingId: r.meetingId,
    meetingTitle: titles.get(r.meetingId) ?? '',
    conclusionKey: r.conclusionKey,
    conclusion: conclusions.get(r.meetingId)?.get(r.conclusionKey) ?? '',
    title: r.title,
    ownerId: r.ownerId,
    ownerName: r.ownerId ? (names.get(r.ownerId) ?? null) : null,
    ownerUnit: r.ownerUnit,
    deadline: r.deadline,
    status: r.status,
    state: stateOf(r, today),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    doneAt: r.doneAt,
  }));
}

/** The meeting of a task (the lock key of its writes); NOT_FOUND if there is no such task. */
export async function taskMeeting(q: Query, t: Tables, taskId: string): Promise<string> {
  const [row] = await q.select({ m: t.tasks.meetingId }).from(t.tasks).where(eq(t.tasks.id, taskId));
  if (!row) throw notFound('Task');
  return row.m;
}

/** The task and the caller's standing in its meeting; NOT_FOUND for a task of a meeting they may not see. */
async function taskAccess(q: Query, t: Tables, actor: Actor, taskId: string): Promise<{ row: TaskRow; access: MeetingAccess }> {
  const [row] = await q.select().from(t.tasks).where(eq(t.tasks.id, taskId));
  if (!row) throw notFound('Task');
  try {
    return { row, access: await meetingAccess(q, t, actor, row.meetingId) };
  } catch {
    throw notFound('Task');
  }
}

/** Inside a write keyed by the meeting. Returns the task and its row (the caller notifies the owner). */
export async function createTask(
  tx: Query,
  t: Tables,
  access: MeetingAccess,
  actorId: string,
  body: CreateTask,
): Promise<{ task: Task; row: TaskRow }> {
  if (!can(access, 'update')) throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator assign tasks');
  const title = clean(body.title);
  const unit = body.ownerUnit === undefined ? null : clean(body.ownerUnit) || null;
  if (!title) throw new AppError('INVALID', 'The task needs a title');
  if (!body.ownerId && !unit) throw new AppError('INVALID', 'Name the person or the unit in charge');
  validDay(body.deadline);
  if (!(await conclusionText(tx, t, access.meetingId, body.conclusionKey)).trim())
    throw new AppError('NOT_FOUND', 'No such conclusion in the minutes');
  if (body.ownerId) await requireMember(tx, t, access.meetingId, body.ownerId);
  const at = nowIso();
  const row: TaskRow = {
    id: newId(),
    meetingId: access.meetingId,
    conclusionKey: body.conclusionKey,
    title,
    ownerId: body.ownerId ?? null,
    ownerUnit: unit,
    deadline: body.deadline,
    status: 'todo',
    createdBy: actorId,
    createdAt: at,
    updatedAt: at,
    doneAt: null,
    remindedAt: null,
  };
  await tx.insert(t.tasks).values(row);
  return { task: (await present(tx, t, [row]))[0]!, row };
}

/** Inside a write keyed by the task's meeting (taskMeeting). */
export async function updateTask(tx: Query, t: Tables, actor: Actor, taskId: string, body: UpdateTask): Promise<Task> {
  const { row, access } = await taskAccess(tx, t, actor, taskId);
  if (!can(access, 'update')) throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator change tasks');
  const next = { ...row };
  if (body.title !== undefined) {
    next.title = clean(body.title);
    if (!next.title) throw new AppError('INVALID', 'The task needs a title');
  }
  if (body.ownerUnit !== undefined) next.ownerUnit = body.ownerUnit === null ? null : clean(body.ownerUnit) || null;
  if (body.ownerId !== undefined) {
    if (body.ownerId !== null) await requireMember(tx, t, row.meetingId, body.ownerId);
    next.ownerId = body.ownerId;
  }
  if (!next.ownerId && !next.ownerUnit) throw new AppError('INVALID', 'Name the person or the unit in charge');
  if (body.deadline !== undefined) next.deadline = validDay(body.deadline);
  // a new owner or a later deadline deserves its own reminder
  if (next.ownerId !== row.ownerId || next.deadline !== row.deadline) next.remindedAt = null;
  next.updatedAt = nowIso();
  await tx.update(t.tasks).set(next).where(eq(t.tasks.id, taskId));
  return (await present(tx, t, [next]))[0]!;
}

/** Inside a write keyed by the task's meeting. */
export async function deleteTask(tx: Query, t: Tables, actor: Actor, taskId: string): Promise<void> {
  const { access } = await taskAccess(tx, t, actor, taskId);
  if (!can(access, 'update')) throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator remove tasks');
  await tx.delete(t.tasks).where(eq(t.tasks.id, taskId));
}

export async function listMeetingTasks(q: Query, t: Tables, access: MeetingAccess): Promise<Task[]> {
  const rows = await q
    .select()
    .from(t.tasks)
    .where(eq(t.tasks.meetingId, access.meetingId))
    .orderBy(asc(t.tasks.deadline), asc(t.tasks.createdAt), asc(t.tasks.id));
  return present(q, t, rows);
}

/** One's own tasks, across meetings (still only meetings one is a member of). */
export async function myTasks(q: Query, t: Tables, userId: string): Promise<Task[]> {
  const rows = (
    await q
      .select({ t: t.tasks })
      .from(t.tasks)
      .innerJoin(t.meetingMembers, and(eq(t.meetingMembers.meetingId, t.tasks.meetingId), eq(t.meetingMembers.userId, userId)))
      .where(eq(t.tasks.ownerId, userId))
      .orderBy(asc(t.tasks.deadline), asc(t.tasks.createdAt), asc(t.tasks.id))
  ).map((r) => r.t);
  return present(q, t, rows);
}

/** The meetings whose tasks the caller oversees (chair or secretary); null = all (an administrator). */
export async function overseenMeetings(
  q: Query,
  t: Tables,
  actor: Actor & { isAdmin: boolean },
  refusal: string,
): Promise<string[] | null> {
  if (actor.isAdmin) return null;
  const ids = (
    await q
      .select({ m: t.meetingMembers.meetingId })
      .from(t.meetingMembers)
      .where(and(eq(t.meetingMembers.userId, actor.id), inArray(t.meetingMembers.role, ['chair', 'secretary'])))
  ).map((r) => r.m);
  if (ids.length === 0) throw new AppError('FORBIDDEN', refusal);
  return ids;
}

/**
 * The chair's and the office's view: tasks not done whose deadline is past, across the meetings the
 * caller chairs or is secretary of (every meeting for an administrator). FORBIDDEN for others.
 */
export async function overdueTasks(q: Query, t: Tables, actor: Actor & { isAdmin: boolean }, now = new Date()): Promise<Task[]> {
  const today = todayVn(now);
  const meetingIds = await overseenMeetings(q, t, actor, 'The overdue dashboard is for chairs, secretaries and administrators');
  const rows = (
    await q
      .select()
      .from(t.tasks)
      .where(and(ne(t.tasks.status, 'done'), meetingIds ? inArray(t.tasks.meetingId, meetingIds) : undefined))
      .orderBy(asc(t.tasks.deadline), asc(t.tasks.createdAt), asc(t.tasks.id))
  ).filter((r) => r.deadline < today);
  return present(q, t, rows, today);
}

export async function taskDetail(q: Query, t: Tables, actor: Actor, taskId: string): Promise<TaskDetail> {
  const { row, access } = await taskAccess(q, t, actor, taskId);
  const reports = await q
    .select({ r: t.taskReports, name: t.users.fullName })
    .from(t.taskReports)
    .leftJoin(t.users, eq(t.users.id, t.taskReports.authorId))
    .where(eq(t.taskReports.taskId, taskId))
    .orderBy(desc(t.taskReports.createdAt), desc(t.taskReports.id));
  const files = await q
    .select()
    .from(t.taskEvidence)
    .where(eq(t.taskEvidence.taskId, taskId))
    .orderBy(asc(t.taskEvidence.createdAt), asc(t.taskEvidence.id));
  return {
    task: (await present(q, t, [row]))[0]!,
    reports: reports.map(({ r, name }) => ({
      id: r.id,
      authorId: r.authorId,
      authorName: name ?? null,
      text: r.text,
      status: r.status,
      createdAt: r.createdAt,
      evidence: files
        .filter((f) => f.reportId === r.id)
        .map((f) => ({ id: f.id, filename: f.filename, mime: f.mime, size: f.size, sha256: f.sha256, createdAt: f.createdAt })),
    })),
    can: { edit: can(access, 'update'), report: row.ownerId === actor.id },
  };
}

/** The owner reports: text and the status the task is now in. Nobody else reports on it. Inside a write. */
export async function addReport(tx: Query, t: Tables, actor: Actor, taskId: string, body: TaskReportInput): Promise<void> {
  const { row } = await taskAccess(tx, t, actor, taskId);
  if (row.ownerId !== actor.id) throw new AppError('FORBIDDEN', 'Only the person in charge reports on a task');
  const text = body.text.normalize('NFC').trim();
  if (!text) throw new AppError('INVALID', 'The report is empty');
  const at = nowIso();
  await tx.insert(t.taskReports).values({ id: newId(), taskId, authorId: actor.id, text, status: body.status, createdAt: at });
  await tx
    .update(t.tasks)
    .set({ status: body.status, updatedAt: at, doneAt: body.status === 'done' ? at : null })
    .where(eq(t.tasks.id, taskId));
}

/**
 * The report an evidence file may be added to: the owner's own report on their own task. Checked
 * before the upload is read (an early refusal) and again in the write that records the file.
 */
export async function evidenceTarget(
  q: Query,
  t: Tables,
  actor: Actor,
  taskId: string,
  reportId: string,
): Promise<{ taskId: string; reportId: string; meetingId: string }> {
  const { row } = await taskAccess(q, t, actor, taskId);
  if (row.ownerId !== actor.id) throw new AppError('FORBIDDEN', 'Only the person in charge adds evidence');
  const [report] = await q
    .select()
    .from(t.taskReports)
    .where(and(eq(t.taskReports.id, reportId), eq(t.taskReports.taskId, taskId)));
  if (!report) throw notFound('Report');
  if (report.authorId !== actor.id) throw new AppError('FORBIDDEN', "Evidence goes with one's own report");
  return { taskId, reportId, meetingId: row.meetingId };
}

/** Records a file already in the content store (its bytes were stored before this write). Inside a write. */
export async function recordEvidence(
  tx: Query,
  t: Tables,
  actor: Actor,
  target: { taskId: string; reportId: string },
  file: { sha256: string; size: number; filename: string; mime: 'application/pdf' | 'image/png' | 'image/jpeg' },
) {
  await evidenceTarget(tx, t, actor, target.taskId, target.reportId);
  const row = { id: newId(), taskId: target.taskId, reportId: target.reportId, ...file, createdAt: nowIso() };
  await tx.insert(t.taskEvidence).values(row);
  return { id: row.id, filename: row.filename, mime: row.mime, size: row.size, sha256: row.sha256, createdAt: row.createdAt };
}

/** An evidence file the caller may read (any member of the task's meeting). */
export async function evidenceFile(q: Query, t: Tables, actor: Actor, taskId: string, evidenceId: string) {
  await taskAccess(q, t, actor, taskId);
  const [f] = await q
    .select()
    .from(t.taskEvidence)
    .where(and(eq(t.taskEvidence.id, evidenceId), eq(t.taskEvidence.taskId, taskId)));
  if (!f) throw notFound('File');
  return f;
}
