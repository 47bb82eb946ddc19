// Tasks across meetings: one's own, and for chairs, secretaries and administrators what is overdue
// (the server answers FORBIDDEN to others: that list is then not shown). Each task links to its meeting.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/api';
import type { Task } from '../../../shared/tasks-api';
import { api } from '../api/endpoints';
import { AppHeader } from '../components/AppHeader';
import { Loading } from '../components/StatusView';
import { meetingHref, navigate } from '../router';

function TaskList(props: { tasks: Task[]; testId: string }) {
  const { t } = useTranslation();
  if (props.tasks.length === 0) return <p className="muted">{t('tasks.none')}</p>;
  return (
    <ul className="search-results" data-testid={props.testId}>
      {props.tasks.map((task) => (
        <li key={task.id}>
          <a className="search-hit__link" href={meetingHref(task.meetingId)} data-state={task.state} data-testid="task"
            onClick={(e) => { if (e.button === 0 && !e.metaKey && !e.ctrlKey) { e.preventDefault(); navigate(meetingHref(task.meetingId)); } }}>
            <span className="search-hit__kind" data-testid="task-state">{t(`tasks.state.${task.state}` as const)}</span>
            <span className="search-hit__title">{task.title}</span>
            <span className="search-hit__meeting">{task.meetingTitle}</span>
            <span>{t('tasks.deadline', { date: task.deadline.split('-').reverse().join('/') })}{task.ownerName || task.ownerUnit ? ` · ${t('tasks.owner', { who: [task.ownerName, task.ownerUnit].filter(Boolean).join(', ') })}` : ''}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

export function TasksPage(props: { user: User; onLogout: () => void }) {
  const { t } = useTranslation();
  const [mine, setMine] = useState<Task[] | null>(null);
  const [overdue, setOverdue] = useState<Task[] | null | 'forbidden'>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    api.myTasks(ctrl.signal).then(setMine, () => setMine([]));
    api.overdueTasks(ctrl.signal).then(setOverdue, () => setOverdue('forbidden'));
    return () => ctrl.abort();
  }, []);
  return (
    <div className="layout">
      <AppHeader user={props.user} title={<span className="brand">{t('tasks.title')}</span>} onBack={() => navigate('/')} backLabel={t('meeting.backToList')} onLogout={props.onLogout} />
      <main className="search-page">
        {overdue !== 'forbidden' && (
          <section>
            <h2 className="search-page__summary">{t('tasks.overdue')}</h2>
            {overdue === null ? <Loading /> : <TaskList tasks={overdue} testId="overdue-tasks" />}
          </section>
        )}
        <section>
          <h2 className="search-page__summary">{t('tasks.mine')}</h2>
          {mine === null ? <Loading /> : <TaskList tasks={mine} testId="my-tasks" />}
        </section>
      </main>
    </div>
  );
}
