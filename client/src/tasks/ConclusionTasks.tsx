// Under a conclusion in the minutes panel: the tasks made of it (every member reads them) and, for
// the chair, the secretary and administrators (abilities.update), the controls that assign, change
// and cancel them. The server decides again on every call (services/tasks.ts).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/api';
import type { Task } from '../../../shared/tasks-api';
import { navigate } from '../router';
import { TaskForm, type TaskFormValue } from './TaskForm';
import { ownerText, taskError, taskHref, vnDay } from './task-format';
import { tasksApi } from './tasks-api';
import './tasks.css';

export function ConclusionTasks(props: {
  meetingId: string;
  conclusionKey: string;
  /** the conclusion has text: a task can be made of it (the server refuses an empty one) */
  hasConclusion: boolean;
  tasks: Task[];
  members: Member[];
  canAssign: boolean;
  onChanged: () => void;
  say: (text: string) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  // null: no form open; 'new': assigning; a task id: editing it
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (f: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await f();
      props.say(done);
      setEditing(null);
      setConfirming(null);
      props.onChanged();
    } catch (e) {
      props.say(taskError(t, e));
    } finally {
      setBusy(false);
    }
  };

  const create = (v: TaskFormValue) =>
    run(
      () =>
        tasksApi.create(props.meetingId, {
          conclusionKey: props.conclusionKey,
          title: v.title,
          deadline: v.deadline,
          ...(v.ownerId ? { ownerId: v.ownerId } : {}),
          ...(v.ownerUnit ? { ownerUnit: v.ownerUnit } : {}),
        }),
      t('tasks.created'),
    );
  const update = (task: Task, v: TaskFormValue) => run(() => tasksApi.update(task.id, v), t('tasks.saved'));

  if (props.tasks.length === 0 && !(props.canAssign && props.hasConclusion)) return null;
  return (
    <div className="conclusion-tasks" data-testid={props.testId}>
      {props.tasks.length > 0 && <div className="minutes-field__label">{t('tasks.ofConclusion')}</div>}
      <ul className="conclusion-tasks__list">
        {props.tasks.map((task) => (
          <li key={task.id} className="conclusion-task" data-testid="conclusion-task" data-state={task.state}>
            {editing === task.id ? (
              <TaskForm
                members={props.members}
                initial={task}
                busy={busy}
                onSubmit={(v) => void update(task, v)}
                onCancel={() => setEditing(null)}
              />
            ) : (
              <>
                <a
                  className="conclusion-task__link"
                  href={taskHref(task.id)}
                  onClick={(e) => {
                    if (e.button === 0 && !e.metaKey && !e.ctrlKey) {
                      e.preventDefault();
                      navigate(taskHref(task.id));
                    }
                  }}
                >
                  <span className={`task-state task-state--${task.state}`}>{t(`tasks.state.${task.state}` as const)}</span>
                  <span className="conclusion-task__title">{task.title}</span>
                  <span className="muted">
                    {t('tasks.deadline', { date: vnDay(task.deadline) })}
                    {ownerText(task) ? ` · ${t('tasks.owner', { who: ownerText(task) })}` : ''}
                  </span>
                </a>
                {props.canAssign && confirming !== task.id && (
                  <div className="task-actions">
                    <button
                      type="button"
                      className="btn btn--secondary btn--compact"
                      onClick={() => {
                        setEditing(task.id);
                        setConfirming(null);
                      }}
                      data-testid="task-edit"
                    >
                      {t('tasks.edit')}
                    </button>
                    <button
                      type="button"
                      className="btn btn--danger btn--compact"
                      onClick={() => setConfirming(task.id)}
                      data-testid="task-cancel"
                    >
                      {t('tasks.cancelTask')}
                    </button>
                  </div>
                )}
                {confirming === task.id && (
                  <div className="task-actions" role="group" aria-label={t('tasks.confirmCancel', { title: task.title })}>
                    <span>{t('tasks.confirmCancel', { title: task.title })}</span>
                    <button
                      type="button"
                      className="btn btn--danger btn--compact"
                      disabled={busy}
                      onClick={() => void run(() => tasksApi.remove(task.id), t('tasks.removed'))}
                      data-testid="task-cancel-confirm"
                    >
                      {t('tasks.confirmYes')}
                    </button>
                    <button type="button" className="btn btn--secondary btn--compact" onClick={() => setConfirming(null)}>
                      {t('tasks.keep')}
                    </button>
                  </div>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
      {props.canAssign &&
        props.hasConclusion &&
        (editing === 'new' ? (
          <TaskForm members={props.members} busy={busy} onSubmit={(v) => void create(v)} onCancel={() => setEditing(null)} />
        ) : (
          <button
            type="button"
            className="btn btn--secondary btn--compact"
            onClick={() => {
              setEditing('new');
              setConfirming(null);
            }}
            data-testid="task-assign"
          >
            + {t('tasks.assign')}
          </button>
        ))}
    </div>
  );
}
