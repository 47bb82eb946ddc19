// Small shared pieces of the tasks screens: dates as Vietnamese write them, who is in charge, and the
// user's-language message for a server error code.
import type { TFunction } from 'i18next';
import type { Task } from '../../../shared/tasks-api';
import { isApiError } from '../api/http';

/** 2026-01-15 → 15/01/2026 */
export const vnDay = (day: string) => day.split('-').reverse().join('/');

export const ownerText = (task: Pick<Task, 'ownerName' | 'ownerUnit'>) =>
  [task.ownerName, task.ownerUnit].filter(Boolean).join(', ');

export function taskError(t: TFunction, e: unknown): string {
  const code = isApiError(e) ? e.code : 'generic';
  return t(`tasks.errors.${code}` as 'tasks.errors.generic', { defaultValue: '' }) || t('tasks.errors.generic');
}

export const taskHref = (id: string) => `/tasks/${encodeURIComponent(id)}`;
