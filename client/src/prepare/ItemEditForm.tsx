// Renaming an agenda item: its title, presenter (a member) and duration, saved in one PATCH.
// Escape or Cancel leaves it unchanged; the server's limits are mirrored here (shared/api.ts).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgendaItem, Member } from '../../../shared/api';
import { prepareApi, type ItemChange } from './prepare-api';
import { prepareErrorMessage } from './prepare-errors';

export function ItemEditForm(props: {
  meetingId: string;
  item: AgendaItem;
  members: Member[];
  onDone: (saved: string | null) => void;
}) {
  const { t } = useTranslation();
  const { item } = props;
  const [title, setTitle] = useState(item.title);
  const [presenterId, setPresenterId] = useState(item.presenterId ?? '');
  const [duration, setDuration] = useState(item.durationMinutes ? String(item.durationMinutes) : '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = title.trim();
    const minutes = duration.trim() === '' ? null : Number(duration);
    if (!name || (minutes !== null && (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440))) {
      setError(t('prepare.invalid'));
      return;
    }
    const change: ItemChange = {};
    if (name !== item.title) change.title = name;
    if ((presenterId || null) !== item.presenterId) change.presenterId = presenterId || null;
    if (minutes !== item.durationMinutes) change.durationMinutes = minutes;
    if (Object.keys(change).length === 0) {
      props.onDone(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await prepareApi.updateItem(props.meetingId, item.id, change);
      props.onDone(name);
    } catch (err) {
      setError(prepareErrorMessage(t, err));
      setBusy(false);
    }
  };

  return (
    <form
      className="prep-item__edit"
      onSubmit={(e) => {
        void submit(e);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          props.onDone(null);
        }
      }}
      data-testid="edit-item-form"
      noValidate
    >
      <label className="field">
        <span className="field__label">{t('prepare.itemTitle')}</span>
        <input name="editTitle" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={500} required autoFocus />
      </label>
      <div className="prep__row">
        <label className="field">
          <span className="field__label">{t('prepare.presenter')}</span>
          <select name="editPresenter" value={presenterId} onChange={(e) => setPresenterId(e.target.value)}>
            <option value="">{t('prepare.noPresenter')}</option>
            {props.members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.fullName}
              </option>
            ))}
          </select>
        </label>
        <label className="field field--narrow">
          <span className="field__label">{t('prepare.duration')}</span>
          <input
            name="editDuration"
            type="number"
            inputMode="numeric"
            min={1}
            max={1440}
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
          />
        </label>
      </div>
      {error && (
        <p className="prep-error" role="alert">
          {error}
        </p>
      )}
      <div className="prep__row">
        <button type="submit" className="btn btn--primary btn--compact" disabled={busy} data-testid="save-item">
          {t('prepare.save')}
        </button>
        <button type="button" className="btn btn--secondary btn--compact" onClick={() => props.onDone(null)}>
          {t('prepare.cancel')}
        </button>
      </div>
    </form>
  );
}
