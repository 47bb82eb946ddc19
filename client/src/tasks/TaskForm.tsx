// The form the chair or the office fills to assign a task from a conclusion, or to change one: what is
// to be done, the person (a member of the meeting) and/or the unit in charge, the deadline. The
// server checks the same rules (services/tasks.ts); this only spares a round trip and speaks the
// user's language.
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/api';
import type { Task } from '../../../shared/tasks-api';

export interface TaskFormValue {
  title: string;
  ownerId: string | null;
  ownerUnit: string | null;
  deadline: string;
}

export function TaskForm(props: {
  members: Member[];
  initial?: Task;
  busy: boolean;
  onSubmit: (v: TaskFormValue) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [title, setTitle] = useState(props.initial?.title ?? '');
  const [ownerId, setOwnerId] = useState(props.initial?.ownerId ?? '');
  const [unit, setUnit] = useState(props.initial?.ownerUnit ?? '');
  const [deadline, setDeadline] = useState(props.initial?.deadline ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const units = useMemo(
    () => [...new Set(props.members.map((m) => m.unit).filter((u): u is string => !!u))].sort((a, b) => a.localeCompare(b, 'vi')),
    [props.members],
  );

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!title.trim()) return setProblem(t('tasks.form.needTitle'));
    if (!ownerId && !unit.trim()) return setProblem(t('tasks.form.needOwner'));
    if (!deadline) return setProblem(t('tasks.form.needDeadline'));
    setProblem(null);
    props.onSubmit({ title: title.trim(), ownerId: ownerId || null, ownerUnit: unit.trim() || null, deadline });
  };

  return (
    <form
      className="task-form"
      onSubmit={submit}
      data-testid="task-form"
      aria-label={props.initial ? t('tasks.form.edit') : t('tasks.form.create')}
    >
      <label className="field">
        <span className="field__label">{t('tasks.form.title')}</span>
        <textarea
          name="title"
          rows={2}
          maxLength={500}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          data-testid="task-title"
        />
      </label>
      <div className="task-form__row">
        <label className="field">
          <span className="field__label">{t('tasks.form.owner')}</span>
          <select
            name="owner"
            value={ownerId}
            data-testid="task-owner"
            onChange={(e) => {
              setOwnerId(e.target.value);
              // the person's own unit is the likely one; a unit already typed stays
              const m = props.members.find((x) => x.userId === e.target.value);
              if (m?.unit && !unit.trim()) setUnit(m.unit);
            }}
          >
            <option value="">{t('tasks.form.ownerNone')}</option>
            {props.members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.fullName}
                {m.unit ? ` (${m.unit})` : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t('tasks.form.unit')}</span>
          <input
            name="unit"
            maxLength={200}
            list={`${id}-units`}
            value={unit}
            onChange={(e) => setUnit(e.target.value)}
            data-testid="task-unit"
          />
          <datalist id={`${id}-units`}>
            {units.map((u) => (
              <option key={u} value={u} />
            ))}
          </datalist>
        </label>
        <label className="field">
          <span className="field__label">{t('tasks.form.deadline')}</span>
          <input
            name="deadline"
            type="date"
            value={deadline}
            onChange={(e) => setDeadline(e.target.value)}
            data-testid="task-deadline"
          />
        </label>
      </div>
      {problem && (
        <p className="task-error" role="alert">
          {problem}
        </p>
      )}
      <div className="task-actions">
        <button type="submit" className="btn btn--primary btn--compact" disabled={props.busy} data-testid="task-save">
          {t('tasks.form.save')}
        </button>
        <button type="button" className="btn btn--secondary btn--compact" onClick={props.onCancel}>
          {t('tasks.form.cancel')}
        </button>
      </div>
    </form>
  );
}
