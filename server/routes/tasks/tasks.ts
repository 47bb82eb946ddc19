// Tasks from conclusions (issue 16 item 3): thin routes over services/tasks.ts (the rules) and
// services/task-reminders.ts (owners notified before the deadline, through the notification service).
import fs from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorResponse, IdParams } from '../../../shared/api';
import {
  CreateTaskBody,
  TaskDashboardQuery,
  TaskDashboardSchema,
  TaskDetailSchema,
  TaskEvidenceParams,
  TaskEvidenceSchema,
  TaskFileParams,
  TaskParams,
  TaskReportBody,
  TaskSchema,
  UpdateTaskBody,
} from '../../../shared/tasks-api';
import { AppError } from '../../errors';
import { currentUser } from '../../plugins/auth';
import { authorize } from '../../policies/meeting-policy';
import { cleanFilename } from '../../services/documents';
import { inspectPdf } from '../../pdf/inspect-pdf';
import {
  addReport,
  createTask,
  deleteTask,
  evidenceFile,
  evidenceTarget,
  listMeetingTasks,
  myTasks,
  overdueTasks,
  recordEvidence,
  taskDetail,
  taskMeeting,
  updateTask,
} from '../../services/tasks';
import { taskDashboard } from '../../services/task-dashboard';
import { notifyTaskOwner, remindDueTasks } from '../../services/task-reminders';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

/** PDF, PNG or JPEG by its first bytes (the name and the declared type are not trusted). */
async function sniff(path: string): Promise<'application/pdf' | 'image/png' | 'image/jpeg' | null> {
  const fh = await fs.promises.open(path, 'r');
  try {
    const b = Buffer.alloc(8);
    const { bytesRead } = await fh.read(b, 0, 8, 0);
    if (bytesRead >= 5 && b.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
    if (bytesRead === 8 && b.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
    if (bytesRead >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
    return null;
  } finally {
    await fh.close();
  }
}

const taskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // the lock key of a task's writes: its meeting (NOT_FOUND for no such task)
  const meetingOf = (taskId: string) => app.database.read((q, t) => taskMeeting(q, t, taskId));
  // every TASK_REMINDER_POLL_SECONDS (0: off); a failed pass is logged by the scheduler
  app.scheduler.add({
    name: 'task-reminders',
    everyMs: app.config.taskReminderPollMs,
    runAtStart: true,
    run: async () => {
      await remindDueTasks(app.database, app.notifications, app.config.taskReminderDays);
    },
  });

  app.get(
    '/api/meetings/:id/tasks',
    {
      schema: { tags: ['tasks'], params: IdParams, response: { 200: Type.Array(TaskSchema), ...errors } },
    },
    async (req) =>
      app.database.read(async (q, t) => listMeetingTasks(q, t, await authorize(q, t, currentUser(req), req.params.id, 'read'))),
  );

  app.post(
    '/api/meetings/:id/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Make a task of a conclusion (chair, secretary, administrator)',
        params: IdParams,
        body: CreateTaskBody,
        response: { 201: TaskSchema, ...errors },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      // the task and the owner's notification in one transaction; the push after its commit
      const { task, staged } = await app.database.write(req.params.id, async (tx, t) => {
        const access = await authorize(tx, t, user, req.params.id, 'read');
        const { task, row } = await createTask(tx, t, access, user.id, req.body);
        return { task, staged: row.ownerId ? await notifyTaskOwner(tx, t, app.notifications, row, 'task.assigned') : null };
      });
      if (staged) app.notifications.publish(staged);
      return reply.status(201).send(task);
    },
  );

  app.get(
    '/api/tasks/mine',
    {
      schema: { tags: ['tasks'], summary: 'One’s own tasks', response: { 200: Type.Array(TaskSchema), ...errors } },
    },
    async (req) => app.database.read((q, t) => myTasks(q, t, currentUser(req).id)),
  );

  app.get(
    '/api/tasks/overdue',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Overdue tasks across the meetings one chairs or is secretary of',
        response: { 200: Type.Array(TaskSchema), ...errors },
      },
    },
    async (req) => app.database.read((q, t) => overdueTasks(q, t, currentUser(req))),
  );

  app.get(
    '/api/tasks/dashboard',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Every task of the meetings one chairs or is secretary of: overdue first, counts, filters',
        querystring: TaskDashboardQuery,
        response: { 200: TaskDashboardSchema, ...errors },
      },
    },
    async (req) => app.database.read((q, t) => taskDashboard(q, t, currentUser(req), req.query)),
  );

  app.get(
    '/api/tasks/:taskId',
    {
      schema: { tags: ['tasks'], params: TaskParams, response: { 200: TaskDetailSchema, ...errors } },
    },
    async (req) => app.database.read((q, t) => taskDetail(q, t, currentUser(req), req.params.taskId)),
  );

  app.patch(
    '/api/tasks/:taskId',
    {
      schema: { tags: ['tasks'], params: TaskParams, body: UpdateTaskBody, response: { 200: TaskSchema, ...errors } },
    },
    async (req) =>
      app.database.write(await meetingOf(req.params.taskId), (tx, t) =>
        updateTask(tx, t, currentUser(req), req.params.taskId, req.body),
      ),
  );

  app.delete(
    '/api/tasks/:taskId',
    {
      schema: { tags: ['tasks'], params: TaskParams, response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      await app.database.write(await meetingOf(req.params.taskId), (tx, t) =>
        deleteTask(tx, t, currentUser(req), req.params.taskId),
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/tasks/:taskId/reports',
    {
      schema: {
        tags: ['tasks'],
        summary: 'The person in charge reports',
        params: TaskParams,
        body: TaskReportBody,
        response: { 201: TaskDetailSchema, ...errors },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      await app.database.write(await meetingOf(req.params.taskId), (tx, t) =>
        addReport(tx, t, user, req.params.taskId, req.body),
      );
      return reply.status(201).send(await app.database.read((q, t) => taskDetail(q, t, user, req.params.taskId)));
    },
  );

  app.post(
    '/api/tasks/:taskId/reports/:reportId/evidence',
    {
      schema: {
        tags: ['tasks'],
        summary: 'An evidence file (PDF, PNG, JPEG; multipart field "file") for one’s own report',
        consumes: ['multipart/form-data'],
        params: TaskEvidenceParams,
        response: { 201: TaskEvidenceSchema, ...errors, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      // refused before the upload is read; checked again in the write that records it
      const target = await app.database.read((q, t) => evidenceTarget(q, t, user, req.params.taskId, req.params.reportId));
      if (!req.isMultipart()) throw new AppError('INVALID', 'Send the file as multipart/form-data in the field "file"');
      const part = await req.file({ limits: { fileSize: app.config.maxUploadBytes, files: 1 } });
      if (!part || part.fieldname !== 'file') {
        part?.file.resume();
        throw new AppError('INVALID', 'Send the file in the multipart field "file"');
      }
      const received = await app.store.receive(part.file, app.config.maxUploadBytes);
      try {
        const mime = await sniff(received.tmpPath);
        if (!mime) throw new AppError('BAD_EVIDENCE_FILE', 'An evidence file must be a PDF, PNG or JPEG');
        // a PDF is opened by pdf.js in the worker pool, as an uploaded document is
        if (mime === 'application/pdf')
          await inspectPdf(received.tmpPath, app.pdfWorkers, {
            timeoutMs: app.config.pdfInspectTimeoutMs,
            maxPages: app.config.maxPdfPages,
          });
        await app.store.commit(received.tmpPath, received.sha256);
        // the bytes are in the content store before the row that names them is written
        const file = await app.database.write(target.meetingId, (tx, t) =>
          recordEvidence(tx, t, user, target, {
            sha256: received.sha256,
            size: received.size,
            filename: cleanFilename(part.filename),
            mime,
          }),
        );
        return reply.status(201).send(file);
      } catch (e) {
        await app.store.discard(received.tmpPath).catch(() => undefined);
        throw e;
      }
    },
  );

  app.get(
    '/api/tasks/:taskId/evidence/:evidenceId',
    {
      schema: { tags: ['tasks'], params: TaskFileParams },
    },
    async (req, reply) => {
      const f = await app.database.read((q, t) => evidenceFile(q, t, currentUser(req), req.params.taskId, req.params.evidenceId));
      reply.header('content-type', f.mime);
      reply.header('content-length', String(f.size));
      reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.filename)}`);
      reply.header('x-content-type-options', 'nosniff');
      return reply.send(fs.createReadStream(app.store.pathFor(f.sha256)));
    },
  );
};
export default taskRoutes;
