// One task (/tasks/:id): what is to be done, from which conclusion of which meeting, who is in charge,
// by when, how far it is; the reports with their evidence files (links the server serves only to
// members of the meeting). The person in charge reports here: status, text, evidence files (PDF, PNG,
// JPEG; the server checks their bytes). Every member of the meeting may read; nobody else learns it
// exists (NOT_FOUND).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/api';
import { formatSignedAt } from '../../../shared/minutes';
import { TASK_STATUSES, type TaskDetail, type TaskStatus } from '../../../shared/tasks-api';
import { AppHeader } from '../components/AppHeader';
import { announce } from '../components/Announcer';
import { ErrorPanel, Loading } from '../components/StatusView';
import { currentLanguage } from '../i18n';
import { meetingHref, navigate } from '../router';
import { ownerText, taskError, vnDay } from './task-format';
import { tasksApi } from './tasks-api';
import './tasks.css';

function ReportForm(props: { detail: TaskDetail; onSent: (d: TaskDetail) => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<TaskStatus>(
    props.detail.task.status === 'todo' ? 'in_progress' : props.detail.task.status,
  );
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [fileInputKey, setFileInputKey] = useState(0);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!text.trim()) {
      setProblem(t('tasks.report.needText'));
      return;
    }
    setProblem(null);
    const taskId = props.detail.task.id;
    let detail: TaskDetail;
    try {
      setBusy(t('tasks.report.send'));
      detail = await tasksApi.report(taskId, { text: text.trim(), status });
    } catch (err) {
      setProblem(taskError(t, err));
      setBusy(null);
      return;
    }
    // the report is kept; each file then goes with it (a refused file is named, the others still go)
    const reportId = detail.reports[0]!.id;
    const failed: string[] = [];
    for (const f of files) {
      setBusy(t('tasks.report.uploading', { name: f.name }));
      try {
        await tasksApi.evidence(taskId, reportId, f);
      } catch (err) {
        failed.push(t('tasks.report.fileFailed', { name: f.name, reason: taskError(t, err) }));
      }
    }
    if (files.length > 0) detail = await tasksApi.detail(taskId).catch(() => detail);
    setBusy(null);
    setText('');
    setFiles([]);
    setFileInputKey((k) => k + 1);
    setProblem(failed.length ? failed.join(' ') : null);
    announce(failed.length ? failed.join(' ') : t('tasks.report.sent'));
    props.onSent(detail);
  };

  return (
    <section aria-labelledby="task-report-heading">
      <h2 id="task-report-heading">{t('tasks.report.heading')}</h2>
      <form className="task-form" onSubmit={(e) => void submit(e)} data-testid="task-report-form">
        <fieldset className="task-status">
          <legend className="field__label">{t('tasks.report.status')}</legend>
          {TASK_STATUSES.map((s) => (
            <label key={s}>
              <input
                type="radio"
                name="status"
                value={s}
                checked={status === s}
                onChange={() => setStatus(s)}
                data-testid={`report-status-${s}`}
              />
              {t(`tasks.state.${s}` as const)}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span className="field__label">{t('tasks.report.text')}</span>
          <textarea
            name="text"
            rows={4}
            maxLength={5000}
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="report-text"
          />
        </label>
        <label className="field">
          <span className="field__label">{t('tasks.report.files')}</span>
          <input
            key={fileInputKey}
            className="task-file"
            type="file"
            multiple
            accept="application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"
            onChange={(e) => setFiles([...(e.target.files ?? [])])}
            data-testid="report-files"
          />
        </label>
        {problem && (
          <p className="task-error" role="alert" data-testid="report-problem">
            {problem}
          </p>
        )}
        {busy && (
          <p className="muted" role="status">
            {busy}
          </p>
        )}
        <div className="task-actions">
          <button type="submit" className="btn btn--primary" disabled={busy !== null} data-testid="report-send">
            {t('tasks.report.send')}
          </button>
        </div>
      </form>
    </section>
  );
}

export function TaskPage(props: { user: User; taskId: string; onLogout: () => void }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [detail, setDetail] = useState<TaskDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(
    (signal?: AbortSignal) =>
      tasksApi.detail(props.taskId, signal).then(
        (d) => {
          setDetail(d);
          setError(null);
        },
        (e: unknown) => {
          if (!(e instanceof DOMException && e.name === 'AbortError')) setError(e);
        },
      ),
    [props.taskId],
  );
  useEffect(() => {
    const ctl = new AbortController();
    void load(ctl.signal);
    return () => ctl.abort();
  }, [load]);

  const task = detail?.task;
  return (
    <div className="layout">
      <AppHeader
        user={props.user}
        title={<span className="brand">{t('tasks.title')}</span>}
        onBack={() => navigate('/tasks')}
        backLabel={t('tasks.back')}
        onLogout={props.onLogout}
      />
      <main className="task-page" data-testid="task-page">
        {error !== null && <ErrorPanel message={taskError(t, error)} onRetry={() => void load()} />}
        {!detail && error === null && <Loading />}
        {task && detail && (
          <>
            <header>
              <span className={`task-state task-state--${task.state}`} data-testid="task-page-state" data-state={task.state}>
                {t(`tasks.state.${task.state}` as const)}
              </span>
              <h1 data-testid="task-page-title">{task.title}</h1>
              <p>
                {t('tasks.deadline', { date: vnDay(task.deadline) })}
                {ownerText(task) ? ` · ${t('tasks.owner', { who: ownerText(task) })}` : ''}
              </p>
              <p className="muted">
                {t('tasks.meeting', { title: task.meetingTitle })} ·{' '}
                <a
                  href={meetingHref(task.meetingId)}
                  onClick={(e) => {
                    if (e.button === 0 && !e.metaKey && !e.ctrlKey) {
                      e.preventDefault();
                      navigate(meetingHref(task.meetingId));
                    }
                  }}
                >
                  {t('tasks.openMeeting')}
                </a>
              </p>
              {task.conclusion && <blockquote lang="vi">{t('tasks.fromConclusion', { text: task.conclusion })}</blockquote>}
            </header>
            {detail.can.report && <ReportForm detail={detail} onSent={setDetail} />}
            <section aria-labelledby="task-reports-heading">
              <h2 id="task-reports-heading">{t('tasks.reports')}</h2>
              {detail.reports.length === 0 && <p className="muted">{t('tasks.noReports')}</p>}
              <ul className="task-reports" data-testid="task-reports">
                {detail.reports.map((r) => (
                  <li key={r.id} data-testid="task-report">
                    <strong>{t(`tasks.state.${r.status}` as const)}</strong> ·{' '}
                    <span className="muted">
                      {t('tasks.reportBy', { who: r.authorName ?? '—', at: formatSignedAt(r.createdAt, lang) })}
                    </span>
                    <p>{r.text}</p>
                    {r.evidence.length > 0 && (
                      <ul className="task-evidence" aria-label={t('tasks.evidence')}>
                        {r.evidence.map((f) => (
                          <li key={f.id}>
                            <a href={tasksApi.evidenceUrl(task.id, f.id)} download={f.filename} data-testid="task-evidence">
                              {f.filename}
                            </a>
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          </>
        )}
      </main>
    </div>
  );
}
