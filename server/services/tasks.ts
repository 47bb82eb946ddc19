// Tasks (nhiệm vụ) from the conclusions of the minutes (issue 16 item 3). The rules:
// - officers of the meeting (its chair and secretary, or an administrator: policies `update`) create
//   tasks from a conclusion the minutes hold, assign them and change them;
// - the owner (a member of the meeting) reports on their own task: text, a status, evidence files;
// - every member of the meeting reads its tasks (they read its conclusions already); nobody else
//   learns that the task exists (NOT_FOUND, as for the meeting);
// - "overdue" (quá hạn) is computed: not done and the deadline (a day, Vietnam time) is past.
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { meetingMembers, meetings, taskEvidence, taskReports, tasks, users } from '../db/schema';
import { inWriteTransaction } from '../db/transaction';
import { AppError, notFound } from '../errors';
import { newId, nowIso } from '../ids';
import { can, meetingAccessSync, type Actor, type MeetingAccess } from '../policies/meeting-policy';
import type { CreateTask, Task, TaskDetail, TaskReportInput, TaskState, TaskStatus, UpdateTask } from '../../shared/tasks-api';

type TaskRow = typeof tasks.$inferSelect;

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

/** The conclusion's text as the minutes draft holds it now (the last minutes.update of that field). */
export function conclusionText(db: Db, meetingId: string, key: string): string {
  const rows = db.$client
    .prepare("SELECT payload FROM meeting_events WHERE meeting_id = ? AND type = 'minutes.update' ORDER BY seq DESC")
    .all(meetingId) as Array<{ payload: string }>;
  for (const r of rows) {
    const p = JSON.parse(r.payload) as { key: string; text: string };
    if (p.key === key) return p.text;
  }
  return '';
}

function requireMember(db: Db, meetingId: string, userId: string): void {
  const m = db
    .select({ u: meetingMembers.userId })
    .from(meetingMembers)
    .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, userId)))
    .get();
  if (!m) throw new AppError('INVALID', 'The person in charge must be a member of the meeting');
}

export function present(db: Db, rows: TaskRow[], today = todayVn()): Task[] {
  if (rows.length === 0) return [];
  const names = new Map(
    db
      .select({ id: users.id, n: users.fullName })
      .from(users)
      .where(inArray(users.id, [...new Set(rows.map((r) => r.ownerId).filter((x): x is string => x !== null))].concat(['-'])))
      .all()
      .map((u) => [u.id, u.n]),
  );
  const titles = new Map(
    db
      .select({ id: meetings.id, t: meetings.title })
      .from(meetings)
      .where(inArray(meetings.id, [...new Set(rows.map((r) => r.meetingId))]))
      .all()
      .map((m) => [m.id, m.t]),
  );
  return rows.map((r) => ({
    id: r.id,
    meetingId: r.meetingId,
    meetingTitle: titles.get(r.meetingId) ?? '',
    conclusionKey: r.conclusionKey,
    conclusion: conclusionText(db, r.meetingId, r.conclusionKey),
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

/** The task and the caller's standing in its meeting; NOT_FOUND for a task of a meeting they may not see. */
function taskAccess(db: Db, actor: Actor, taskId: string): { row: TaskRow; access: MeetingAccess } {
  const row = db.select().from(tasks).where(eq(tasks.id, taskId)).get();
  if (!row) throw notFound('Task');
  try {
    return { row, access: meetingAccessSync(db, actor, row.meetingId) };
  } catch {
    throw notFound('Task');
  }
}

export function createTask(db: Db, access: MeetingAccess, actorId: string, body: CreateTask): Task {
  if (!can(access, 'update')) throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator assign tasks');
  const title = clean(body.title);
  const unit = body.ownerUnit === undefined ? null : clean(body.ownerUnit) || null;
  if (!title) throw new AppError('INVALID', 'The task needs a title');
  if (!body.ownerId && !unit) throw new AppError('INVALID', 'Name the person or the unit in charge');
  validDay(body.deadline);
  return inWriteTransaction(db, () => {
    if (!conclusionText(db, access.meetingId, body.conclusionKey).trim())
      throw new AppError('NOT_FOUND', 'No such conclusion in the minutes');
    if (body.ownerId) requireMember(db, access.meetingId, body.ownerId);
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
    db.insert(tasks).values(row).run();
    return present(db, [row])[0]!;
  });
}

export function updateTask(db: Db, actor: Actor, taskId: string, body: UpdateTask): Task {
  return inWriteTransaction(db, () => {
    const { row, access } = taskAccess(db, actor, taskId);
    if (!can(access, 'update')) throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator change tasks');
    const next = { ...row };
    if (body.title !== undefined) {
      next.title = clean(body.title);
      if (!next.title) throw new AppError('INVALID', 'The task needs a title');
    }
    if (body.ownerUnit !== undefined) next.ownerUnit = body.ownerUnit === null ? null : clean(body.ownerUnit) || null;
    if (body.ownerId !== undefined) {
      if (body.ownerId !== null) requireMember(db, row.meetingId, body.ownerId);
      next.ownerId = body.ownerId;
    }
    if (!next.ownerId && !next.ownerUnit) throw new AppError('INVALID', 'Name the person or the unit in charge');
    if (body.deadline !== undefined) next.deadline = validDay(body.deadline);
    // a new owner or a later deadline deserves its own reminder
    if (next.ownerId !== row.ownerId || next.deadline !== row.deadline) next.remindedAt = null;
    next.updatedAt = nowIso();
    db.update(tasks).set(next).where(eq(tasks.id, taskId)).run();
    return present(db, [next])[0]!;
  });
}

export function deleteTask(db: Db, actor: Actor, taskId: string): void {
  inWriteTransaction(db, () => {
    const { access } = taskAccess(db, actor, taskId);
    if (!can(access, 'update')) throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator remove tasks');
    db.delete(tasks).where(eq(tasks.id, taskId)).run();
  });
}

export function listMeetingTasks(db: Db, access: MeetingAccess): Task[] {
  return present(
    db,
    db.select().from(tasks).where(eq(tasks.meetingId, access.meetingId)).orderBy(asc(tasks.deadline), asc(tasks.createdAt)).all(),
  );
}

/** One's own tasks, across meetings (still only meetings one is a member of). */
export function myTasks(db: Db, userId: string): Task[] {
  const rows = db
    .select({ t: tasks })
    .from(tasks)
    .innerJoin(meetingMembers, and(eq(meetingMembers.meetingId, tasks.meetingId), eq(meetingMembers.userId, userId)))
    .where(eq(tasks.ownerId, userId))
    .orderBy(asc(tasks.deadline))
    .all()
    .map((r) => r.t);
  return present(db, rows);
}

/**
 * The chair's and the office's view: tasks not done whose deadline is past, across the meetings the
 * caller chairs or is secretary of (every meeting for an administrator). FORBIDDEN for others.
 */
export function overdueTasks(db: Db, actor: Actor & { isAdmin: boolean }): Task[] {
  const today = todayVn();
  let meetingIds: string[] | null = null;
  if (!actor.isAdmin) {
    meetingIds = db
      .select({ m: meetingMembers.meetingId })
      .from(meetingMembers)
      .where(and(eq(meetingMembers.userId, actor.id), inArray(meetingMembers.role, ['chair', 'secretary'])))
      .all()
      .map((r) => r.m);
    if (meetingIds.length === 0)
      throw new AppError('FORBIDDEN', 'The overdue dashboard is for chairs, secretaries and administrators');
  }
  const rows = db
    .select()
    .from(tasks)
    .where(and(ne(tasks.status, 'done'), meetingIds ? inArray(tasks.meetingId, meetingIds) : undefined))
    .orderBy(asc(tasks.deadline))
    .all()
    .filter((r) => r.deadline < today);
  return present(db, rows, today);
}

export function taskDetail(db: Db, actor: Actor, taskId: string): TaskDetail {
  const { row, access } = taskAccess(db, actor, taskId);
  const reports = db
    .select({ r: taskReports, name: users.fullName })
    .from(taskReports)
    .leftJoin(users, eq(users.id, taskReports.authorId))
    .where(eq(taskReports.taskId, taskId))
    .orderBy(desc(taskReports.createdAt))
    .all();
  const files = db.select().from(taskEvidence).where(eq(taskEvidence.taskId, taskId)).orderBy(asc(taskEvidence.createdAt)).all();
  return {
    task: present(db, [row])[0]!,
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

/** The owner reports: text and the status the task is now in. Nobody else reports on it. */
export function addReport(db: Db, actor: Actor, taskId: string, body: TaskReportInput): TaskDetail {
  inWriteTransaction(db, () => {
    const { row } = taskAccess(db, actor, taskId);
    if (row.ownerId !== actor.id) throw new AppError('FORBIDDEN', 'Only the person in charge reports on a task');
    const text = body.text.normalize('NFC').trim();
    if (!text) throw new AppError('INVALID', 'The report is empty');
    const at = nowIso();
    db.insert(taskReports).values({ id: newId(), taskId, authorId: actor.id, text, status: body.status, createdAt: at }).run();
    db.update(tasks)
      .set({ status: body.status, updatedAt: at, doneAt: body.status === 'done' ? at : null })
      .where(eq(tasks.id, taskId))
      .run();
  });
  return taskDetail(db, actor, taskId);
}

/** The report an evidence file may be added to: the owner's own report on their own task. */
export function evidenceTarget(db: Db, actor: Actor, taskId: string, reportId: string): { taskId: string; reportId: string } {
  const { row } = taskAccess(db, actor, taskId);
  if (row.ownerId !== actor.id) throw new AppError('FORBIDDEN', 'Only the person in charge adds evidence');
  const report = db
    .select()
    .from(taskReports)
    .where(and(eq(taskReports.id, reportId), eq(taskReports.taskId, taskId)))
    .get();
  if (!report) throw notFound('Report');
  if (report.authorId !== actor.id) throw new AppError('FORBIDDEN', "Evidence goes with one's own report");
  return { taskId, reportId };
}

export function recordEvidence(
  db: Db,
  target: { taskId: string; reportId: string },
  file: { sha256: string; size: number; filename: string; mime: 'application/pdf' | 'image/png' | 'image/jpeg' },
) {
  const row = { id: newId(), taskId: target.taskId, reportId: target.reportId, ...file, createdAt: nowIso() };
  db.insert(taskEvidence).values(row).run();
  return { id: row.id, filename: row.filename, mime: row.mime, size: row.size, sha256: row.sha256, createdAt: row.createdAt };
}

/** An evidence file the caller may read (any member of the task's meeting). */
export function evidenceFile(db: Db, actor: Actor, taskId: string, evidenceId: string) {
  taskAccess(db, actor, taskId);
  const f = db
    .select()
    .from(taskEvidence)
    .where(and(eq(taskEvidence.id, evidenceId), eq(taskEvidence.taskId, taskId)))
    .get();
  if (!f) throw notFound('File');
  return f;
}
