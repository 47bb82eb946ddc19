// Tasks across meetings (/tasks): one's own ("Nhiệm vụ của tôi"), and for chairs, secretaries and
// administrators the follow-up dashboard of every task of their meetings: overdue first, a count per
// state (the chips filter), filters by meeting and unit (GET /api/tasks/dashboard). The server
// answers FORBIDDEN to others: the dashboard is then not shown. Each task opens its page (/tasks/:id).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/api';
import { TASK_STATES, type Task, type TaskDashboard, type TaskDashboardFilter } from '../../../shared/tasks-api';
import { AppHeader } from '../components/AppHeader';
import { Loading } from '../components/StatusView';
import { navigate } from '../router';
import { ownerText, taskHref, vnDay } from './task-format';
import { tasksApi } from './tasks-api';
import './tasks.css';

function TaskList(props: { tasks: Task[]; testId: string; showMeeting?: boolean }) {
  const { t } = useTranslation();
  if (props.tasks.length === 0)
    return (
      <p className="muted" data-testid={`${props.testId}-none`}>
        {t('tasks.none')}
      </p>
    );
  return (
    <ul className="search-results" data-testid={props.testId}>
      {props.tasks.map((task) => (
        <li key={task.id}>
          <a
            className="search-hit__link"
            href={taskHref(task.id)}
            data-state={task.state}
            data-testid="task"
            onClick={(e) => {
              if (e.button === 0 && !e.metaKey && !e.ctrlKey) {
                e.preventDefault();
                navigate(taskHref(task.id));
              }
            }}
          >
            <span className={`task-state task-state--${task.state}`} data-testid="task-state">
              {t(`tasks.state.${task.state}` as const)}
            </span>
            <span className="search-hit__title">{task.title}</span>
            <span className="search-hit__meeting">{task.meetingTitle}</span>
            <span>
              {t('tasks.deadline', { date: vnDay(task.deadline) })}
              {ownerText(task) ? ` · ${t('tasks.owner', { who: ownerText(task) })}` : ''}
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}

function Dashboard(props: { data: TaskDashboard; filter: TaskDashboardFilter; setFilter: (f: TaskDashboardFilter) => void }) {
  const { t } = useTranslation();
  const { data, filter, setFilter } = props;
  // an emptied filter is dropped, not sent empty (the server's schema wants a value or nothing)
  const set = (patch: { [K in keyof TaskDashboardFilter]?: TaskDashboardFilter[K] | undefined }) => {
    const next = { ...filter, ...patch };
    for (const k of Object.keys(next) as Array<keyof TaskDashboardFilter>) if (!next[k]) delete next[k];
    setFilter(next as TaskDashboardFilter);
  };
  return (
    <section aria-labelledby="dashboard-heading" data-testid="task-dashboard">
      <h2 id="dashboard-heading" className="search-page__summary">
        {t('tasks.dashboard')}
      </h2>
      <div className="task-counts" role="group" aria-label={t('tasks.filterState')}>
        <button
          type="button"
          className="chip"
          aria-pressed={!filter.state}
          onClick={() => set({ state: undefined })}
          data-testid="count-total"
        >
          {t('tasks.all')} · {data.counts.total}
        </button>
        {TASK_STATES.map((s) => (
          <button
            key={s}
            type="button"
            className="chip"
            aria-pressed={filter.state === s}
            onClick={() => set({ state: filter.state === s ? undefined : s })}
            data-testid={`count-${s}`}
          >
            {t(`tasks.state.${s}` as const)} · {data.counts[s]}
          </button>
        ))}
      </div>
      <div className="task-filters" role="group" aria-label={t('tasks.filters')}>
        <label className="field">
          <span className="field__label">{t('tasks.filterMeeting')}</span>
          <select
            value={filter.meetingId ?? ''}
            onChange={(e) => set({ meetingId: e.target.value || undefined })}
            data-testid="filter-meeting"
          >
            <option value="">{t('tasks.all')}</option>
            {data.meetings.map((m) => (
              <option key={m.id} value={m.id}>
                {m.title}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t('tasks.filterUnit')}</span>
          <select
            value={filter.unit ?? ''}
            onChange={(e) => set({ unit: e.target.value || undefined })}
            data-testid="filter-unit"
          >
            <option value="">{t('tasks.all')}</option>
            {data.units.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        </label>
      </div>
      <TaskList tasks={data.tasks} testId="dashboard-tasks" />
    </section>
  );
}

export function TasksPage(props: { user: User; onLogout: () => void }) {
  const { t } = useTranslation();
  const [mine, setMine] = useState<Task[] | null>(null);
  const [filter, setFilter] = useState<TaskDashboardFilter>({});
  const [dashboard, setDashboard] = useState<TaskDashboard | null | 'forbidden'>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    tasksApi.mine(ctrl.signal).then(setMine, () => setMine([]));
    return () => ctrl.abort();
  }, []);
  useEffect(() => {
    const ctrl = new AbortController();
    tasksApi.dashboard(filter, ctrl.signal).then(setDashboard, (e: unknown) => {
      if (!(e instanceof DOMException && e.name === 'AbortError')) setDashboard('forbidden');
    });
    return () => ctrl.abort();
  }, [filter]);
  return (
    <div className="layout">
      <AppHeader
        user={props.user}
        title={<span className="brand">{t('tasks.title')}</span>}
        onBack={() => navigate('/')}
        backLabel={t('meeting.backToList')}
        onLogout={props.onLogout}
      />
      <main className="search-page">
        {dashboard !== 'forbidden' &&
          (dashboard === null ? <Loading /> : <Dashboard data={dashboard} filter={filter} setFilter={setFilter} />)}
        <section aria-labelledby="mine-heading">
          <h2 id="mine-heading" className="search-page__summary">
            {t('tasks.mine')}
          </h2>
          {mine === null ? <Loading /> : <TaskList tasks={mine} testId="my-tasks" />}
        </section>
      </main>
    </div>
  );
}
