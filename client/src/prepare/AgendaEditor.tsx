// Agenda items: add, rename (title, presenter, duration), remove, move up/down (PUT order); each item
// with its PDFs and an upload.
import { ArrowDown, ArrowUp, Pencil, Plus, Trash2 } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingDetail } from '../../../shared/api';
import { prepareApi } from './prepare-api';
import { prepareErrorMessage } from './prepare-errors';
import { ItemDocuments } from './ItemDocuments';
import { ItemEditForm } from './ItemEditForm';

export function AgendaEditor({ detail, afterChange }: { detail: MeetingDetail; afterChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const meetingId = detail.meeting.id;
  const items = [...detail.agenda].sort((a, b) => a.position - b.position);
  const [title, setTitle] = useState('');
  const [duration, setDuration] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const presenterName = (id: string | null) => (id ? (detail.members.find((m) => m.userId === id)?.fullName ?? null) : null);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(prepareErrorMessage(t, e));
    } finally {
      await afterChange();
      setBusy(false);
    }
  };

  const add = (e: FormEvent) => {
    e.preventDefault();
    const name = title.trim();
    if (!name) return;
    const minutes = Number(duration);
    void run(async () => {
      await prepareApi.addItem(
        meetingId,
        Number.isInteger(minutes) && minutes > 0 ? { title: name, durationMinutes: minutes } : { title: name },
      );
      setTitle('');
      setDuration('');
    });
  };

  const move = (index: number, delta: -1 | 1) => {
    const ids = items.map((i) => i.id);
    const target = index + delta;
    if (target < 0 || target >= ids.length) return;
    [ids[index], ids[target]] = [ids[target]!, ids[index]!];
    void run(() => prepareApi.reorder(meetingId, ids));
  };

  const remove = (itemId: string, itemTitle: string) => {
    if (!window.confirm(t('prepare.confirmRemoveItem', { title: itemTitle }))) return;
    void run(() => prepareApi.removeItem(meetingId, itemId));
  };

  return (
    <div className="prep__section" data-testid="prepare-agenda">
      <h3>{t('prepare.agenda')}</h3>
      {items.length === 0 && <p className="muted">{t('prepare.emptyAgenda')}</p>}
      <ol className="prep__list">
        {items.map((item, index) => (
          <li key={item.id} className="prep-item" data-prep-item={item.id}>
            <div className="prep-item__head">
              <span className="prep-item__title">
                {index + 1}. {item.title}
                {item.durationMinutes ? ` · ${t('meeting.minutes', { count: item.durationMinutes })}` : ''}
                {presenterName(item.presenterId) && <span className="muted"> · {presenterName(item.presenterId)}</span>}
              </span>
              <button
                type="button"
                className="icon-btn"
                disabled={busy}
                aria-expanded={editing === item.id}
                aria-label={t('prepare.editItem', { title: item.title })}
                title={t('prepare.editItem', { title: item.title })}
                onClick={() => {
                  setSaved(null);
                  setEditing((e) => (e === item.id ? null : item.id));
                }}
                data-testid="edit-item"
              >
                <Pencil aria-hidden />
              </button>
              <button
                type="button"
                className="icon-btn"
                disabled={busy || index === 0}
                aria-label={t('prepare.moveUp', { title: item.title })}
                title={t('prepare.moveUp', { title: item.title })}
                onClick={() => move(index, -1)}
                data-testid="move-up"
              >
                <ArrowUp aria-hidden />
              </button>
              <button
                type="button"
                className="icon-btn"
                disabled={busy || index === items.length - 1}
                aria-label={t('prepare.moveDown', { title: item.title })}
                title={t('prepare.moveDown', { title: item.title })}
                onClick={() => move(index, 1)}
                data-testid="move-down"
              >
                <ArrowDown aria-hidden />
              </button>
              <button
                type="button"
                className="icon-btn"
                disabled={busy}
                aria-label={t('prepare.removeItem', { title: item.title })}
                title={t('prepare.removeItem', { title: item.title })}
                onClick={() => remove(item.id, item.title)}
                data-testid="remove-item"
              >
                <Trash2 aria-hidden />
              </button>
            </div>
            {editing === item.id && (
              <ItemEditForm
                meetingId={meetingId}
                item={item}
                members={detail.members}
                onDone={(name) => {
                  setEditing(null);
                  if (name) {
                    setSaved(t('prepare.itemSaved', { title: name }));
                    void afterChange();
                  }
                }}
              />
            )}
            <ItemDocuments meetingId={meetingId} item={item} documents={detail.documents} afterChange={afterChange} />
          </li>
        ))}
      </ol>
      <form className="prep__row" onSubmit={add} data-testid="add-item-form">
        <label className="field">
          <span className="field__label">{t('prepare.newItem')}</span>
          <input
            name="itemTitle"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder={t('prepare.newItemPlaceholder')}
            maxLength={500}
          />
        </label>
        <label className="field field--narrow">
          <span className="field__label">{t('prepare.duration')}</span>
          <input
            name="itemDuration"
            type="number"
            inputMode="numeric"
            min={1}
            max={1440}
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
          />
        </label>
        <button type="submit" className="btn btn--primary btn--compact" disabled={busy || !title.trim()} data-testid="add-item">
          <Plus aria-hidden size={18} /> {t('prepare.addItem')}
        </button>
      </form>
      {error && (
        <p className="prep-error" role="alert">
          {error}
        </p>
      )}
      {saved && (
        <p className="prep-ok" role="status">
          {saved}
        </p>
      )}
    </div>
  );
}
