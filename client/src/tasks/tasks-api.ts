// The HTTP calls of the tasks screens (server/routes/tasks/tasks.ts), typed with shared/tasks-api.ts.
import type {
  CreateTask,
  Task,
  TaskDashboard,
  TaskDashboardFilter,
  TaskDetail,
  TaskReport,
  TaskReportInput,
  UpdateTask,
} from '../../../shared/tasks-api';
import { ApiError, readError, request } from '../api/http';

const e = encodeURIComponent;
type Evidence = TaskReport['evidence'][number];

export const tasksApi = {
  forMeeting: (meetingId: string, signal?: AbortSignal) =>
    request<Task[]>('GET', `/api/meetings/${e(meetingId)}/tasks`, undefined, signal),
  create: (meetingId: string, body: CreateTask) => request<Task>('POST', `/api/meetings/${e(meetingId)}/tasks`, body),
  update: (taskId: string, body: UpdateTask) => request<Task>('PATCH', `/api/tasks/${e(taskId)}`, body),
  remove: (taskId: string) => request<void>('DELETE', `/api/tasks/${e(taskId)}`),
  detail: (taskId: string, signal?: AbortSignal) => request<TaskDetail>('GET', `/api/tasks/${e(taskId)}`, undefined, signal),
  mine: (signal?: AbortSignal) => request<Task[]>('GET', '/api/tasks/mine', undefined, signal),
  dashboard: (filter: TaskDashboardFilter, signal?: AbortSignal) => {
    const q = new URLSearchParams(
      Object.entries(filter).filter((kv): kv is [string, string] => typeof kv[1] === 'string' && kv[1] !== ''),
    );
    return request<TaskDashboard>('GET', `/api/tasks/dashboard${q.size ? `?${q.toString()}` : ''}`, undefined, signal);
  },
  report: (taskId: string, body: TaskReportInput) => request<TaskDetail>('POST', `/api/tasks/${e(taskId)}/reports`, body),
  /** one evidence file for one's own report (multipart field "file"; the server checks its bytes) */
  evidence: async (taskId: string, reportId: string, file: File): Promise<Evidence> => {
    const form = new FormData();
    form.append('file', file, file.name);
    let res: Response;
    try {
      res = await fetch(`/api/tasks/${e(taskId)}/reports/${e(reportId)}/evidence`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
        body: form,
      });
    } catch (err) {
      throw new ApiError('NETWORK', err instanceof Error ? err.message : 'network error', 0);
    }
    if (res.status === 413) throw new ApiError('PAYLOAD_TOO_LARGE', 'HTTP 413', 413);
    if (!res.ok) throw await readError(res);
    return (await res.json()) as Evidence;
  },
  evidenceUrl: (taskId: string, evidenceId: string) => `/api/tasks/${e(taskId)}/evidence/${e(evidenceId)}`,
};
