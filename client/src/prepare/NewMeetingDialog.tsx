// An administrator or an organiser creates a meeting (title, kind, date-time in Vietnam time, place, organisation), then open it.
import { X } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MEETING_KINDS, type MeetingKind } from '../../../shared/roles';
import { meetingHref, navigate } from '../router';
import { prepareApi, type NewMeeting } from './prepare-api';
import { prepareErrorMessage } from './prepare-errors';
import './prepare.css';

/** "2026-11-24T09:00" typed on any device means Vietnam time (UTC+7, no daylight saving). */
export function vietnamLocalToIso(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return undefined;
  const d = new Date(`${value}:00+07:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** `askRole`: an organiser who is not an administrator chooses the officer role they hold in the new meeting. */
export function NewMeetingDialog({ onClose, askRole = false }: { onClose: () => void; askRole?: boolean }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<MeetingKind>('regular');
  const [startsAt, setStartsAt] = useState('');
  const [location, setLocation] = useState('');
  const [organization, setOrganization] = useState('');
  const [creatorRole, setCreatorRole] = useState<'chair' | 'secretary'>('secretary');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) {
      setError(t('prepare.titleRequired'));
      return;
    }
    const body: NewMeeting = { title: title.trim(), kind };
    const iso = vietnamLocalToIso(startsAt);
    if (iso) body.startsAt = iso;
    if (location.trim()) body.location = location.trim();
    if (organization.trim()) body.organization = organization.trim();
    if (askRole) body.creatorRole = creatorRole;
    setBusy(true);
    setError(null);
    try {
      const m = await prepareApi.createMeeting(body);
      onClose();
      navigate(meetingHref(m.id));
    } catch (err) {
      setError(prepareErrorMessage(t, err));
      setBusy(false);
    }
  };

  return (
    <div
      className="dialog-backdrop"
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <form
        className="dialog prep-form"
        role="dialog"
        aria-modal="true"
        aria-labelledby="new-meeting-title"
        onSubmit={(e) => {
          void submit(e);
        }}
        data-testid="new-meeting-form"
        noValidate
      >
        <div className="dialog__head">
          <h2 id="new-meeting-title">{t('prepare.newMeetingTitle')}</h2>
          <button type="button" className="icon-btn" aria-label={t('prepare.cancel')} onClick={onClose}>
            <X aria-hidden />
          </button>
        </div>
        <label className="field">
          <span className="field__label">{t('prepare.fields.title')}</span>
          <input name="title" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} required autoFocus />
        </label>
        <label className="field">
          <span className="field__label">{t('prepare.fields.kind')}</span>
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as MeetingKind)}>
            {MEETING_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t('prepare.fields.startsAt')}</span>
          <input name="startsAt" type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />
        </label>
        <label className="field">
          <span className="field__label">{t('prepare.fields.location')}</span>
          <input name="location" value={location} onChange={(e) => setLocation(e.target.value)} maxLength={300} />
        </label>
        <label className="field">
          <span className="field__label">{t('prepare.fields.organization')}</span>
          <input name="organization" value={organization} onChange={(e) => setOrganization(e.target.value)} maxLength={300} />
        </label>
        {askRole && (
          <label className="field">
            <span className="field__label">{t('prepare.myRole')}</span>
            <select
              name="creatorRole"
              value={creatorRole}
              onChange={(e) => setCreatorRole(e.target.value === 'chair' ? 'chair' : 'secretary')}
              aria-describedby="creator-role-hint"
            >
              <option value="secretary">{t('roles.secretary')}</option>
              <option value="chair">{t('roles.chair')}</option>
            </select>
            <span className="muted" id="creator-role-hint">
              {t('prepare.myRoleHint')}
            </span>
          </label>
        )}
        {error && (
          <p className="prep-error" role="alert" data-testid="new-meeting-error">
            {error}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="btn btn--secondary" onClick={onClose}>
            {t('prepare.cancel')}
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy} data-testid="create-meeting">
            {busy ? t('prepare.creating') : t('prepare.create')}
          </button>
        </div>
      </form>
    </div>
  );
}
