// Tasks (nhiệm vụ) from the conclusions of the minutes (issue 16 item 3): HTTP schemas for both sides.
import Type from 'typebox';
import { Id } from './api';

export const TASK_STATUSES = ['todo', 'in_progress', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** what people see: the stored status, or 'overdue' when the deadline passed and it is not done */
export type TaskState = TaskStatus | 'overdue';

const StatusSchema = Type.Union([Type.Literal('todo'), Type.Literal('in_progress'), Type.Literal('done')]);
/** YYYY-MM-DD, the last day (Vietnam time) */
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 });
const ConclusionKey = Type.String({ pattern: '^(conclusions|item:[A-Za-z0-9_-]{1,64}:conclusion)$', maxLength: 100 });

export const CreateTaskBody = Type.Object(
  {
    conclusionKey: ConclusionKey,
    title: Type.String({ minLength: 1, maxLength: 500 }),
    ownerId: Type.Optional(Id),
    ownerUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    deadline: Day,
  },
  { additionalProperties: false },
);
export type CreateTask = Type.Static<typeof CreateTaskBody>;

export const UpdateTaskBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    ownerId: Type.Optional(Type.Union([Id, Type.Null()])),
    ownerUnit: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])),
    deadline: Type.Optional(Day),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateTask = Type.Static<typeof UpdateTaskBody>;

export const TaskReportBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 5000 }), status: StatusSchema },
  { additionalProperties: false },
);
export type TaskReportInput = Type.Static<typeof TaskReportBody>;

export const TaskEvidenceSchema = Type.Object({
  id: Type.String(),
  filename: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  createdAt: Type.String(),
});
export const TaskReportSchema = Type.Object({
  id: Type.String(),
  authorId: Type.Union([Type.String(), Type.Null()]),
  authorName: Type.Union([Type.String(), Type.Null()]),
  text: Type.String(),
  status: StatusSchema,
  createdAt: Type.String(),
  evidence: Type.Array(TaskEvidenceSchema),
});
export type TaskReport = Type.Static<typeof TaskReportSchema>;

export const TaskSchema = Type.Object({
  id: Type.String(),
  meetingId: Type.String(),
  meetingTitle: Type.String(),
  conclusionKey: Type.String(),
  /** the conclusion's text as the minutes hold it now */
  conclusion: Type.String(),
  title: Type.String(),
  ownerId: Type.Union([Type.String(), Type.Null()]),
  ownerName: Type.Union([Type.String(), Type.Null()]),
  ownerUnit: Type.Union([Type.String(), Type.Null()]),
  deadline: Type.String(),
  status: StatusSchema,
  state: Type.Union([StatusSchema, Type.Literal('overdue')]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  doneAt: Type.Union([Type.String(), Type.Null()]),
});
export type Task = Type.Static<typeof TaskSchema>;

export const TaskDetailSchema = Type.Object({
  task: TaskSchema,
  reports: Type.Array(TaskReportSchema),
  can: Type.Object({ edit: Type.Boolean(), report: Type.Boolean() }),
});
export type TaskDetail = Type.Static<typeof TaskDetailSchema>;

export const TaskParams = Type.Object({ taskId: Id });
export const TaskEvidenceParams = Type.Object({ taskId: Id, reportId: Id });
export const TaskFileParams = Type.Object({ taskId: Id, evidenceId: Id });

/** The chair's and the office's dashboard across meetings (GET /api/tasks/dashboard): filters, all optional. */
export const TASK_STATES = ['overdue', 'todo', 'in_progress', 'done'] as const;
export const TaskDashboardQuery = Type.Object(
  {
    meetingId: Type.Optional(Id),
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    state: Type.Optional(
      Type.Union([Type.Literal('overdue'), Type.Literal('todo'), Type.Literal('in_progress'), Type.Literal('done')]),
    ),
  },
  { additionalProperties: false },
);
export type TaskDashboardFilter = Type.Static<typeof TaskDashboardQuery>;

const Count = Type.Integer({ minimum: 0 });
export const TaskDashboardSchema = Type.Object({
  /** overdue first (oldest deadline first), then the rest by deadline */
  tasks: Type.Array(TaskSchema),
  /** per state, over the meeting and unit filters (not the state filter: the chips show every count) */
  counts: Type.Object({ overdue: Count, todo: Count, in_progress: Count, done: Count, total: Count }),
  /** what the filters offer: the meetings the dashboard covers and the units named in their tasks */
  meetings: Type.Array(Type.Object({ id: Type.String(), title: Type.String() })),
  units: Type.Array(Type.String()),
});
export type TaskDashboard = Type.Static<typeof TaskDashboardSchema>;
