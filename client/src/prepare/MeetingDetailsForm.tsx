// The meeting's own details (title, date-time in Vietnam time, place, organisation), changed from the
// Prepare panel in one PATCH with only what changed. The server validates and checks the right; open
// pages re-read the meeting on its `meeting.changed` nudge. (After the invitation went out, a change
// of time or place becomes a change notice to the invitees: that is the invitations' work, on the
// server side of PATCH /api/meetings/:id.)
import { Pencil } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Meeting } from '../../../shared/api';
import { vietnamLocalToIso } from './NewMeetingDialog';
import { prepareApi, type MeetingChange } from './prepare-api';
import { prepareErrorMessage } from './prepare-errors';

/** An ISO instant as "2026-11-24T09:00" in Vietnam time (UTC+7), for a datetime-local field. */
export function isoToVietnamLocal(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(Date.parse(iso) + 7 * 3600_000);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 16);
}

export function MeetingDetailsForm(props: { meeting: Meeting; afterChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const { meeting } = props;
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(meeting.title);
  const [startsAt, setStartsAt] = useState(isoToVietnamLocal(meeting.startsAt));
  const [location, setLocation] = useState(meeting.location ?? '');
  const [organization, setOrganization] = useState(meeting.organization ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const start = () => {
    setTitle(meeting.title);
    setStartsAt(isoToVietnamLocal(meeting.startsAt));
    setLocation(meeting.location ?? '');
    setOrganization(meeting.organization ?? '');
    setError(null);
    setSaved(false);
    setOpen(true);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = title.trim();
    if (!name) {
      setError(t('prepare.titleRequired'));
      return;
    }
    const iso = startsAt.trim() === '' ? null : vietnamLocalToIso(startsAt);
    if (iso === undefined) {
      setError(t('prepare.invalid'));
      return;
    }
    const change: MeetingChange = {};
    if (name !== meeting.title) change.title = name;
    if (iso !== meeting.startsAt) change.startsAt = iso;
    if ((location.trim() || null) !== meeting.location) change.location = location.trim() || null;
    if ((organization.trim() || null) !== meeting.organization) change.organization = organization.trim() || null;
    if (Object.keys(change).length === 0) {
      setOpen(false);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await prepareApi.updateMeeting(meeting.id, change);
      setOpen(false);
      setSaved(true);
      await props.afterChange();
    } catch (err) {
      setError(prepareErrorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="prep__section" aria-labelledby="prep-details">
      <div className="prep__row">
        <h3 id="prep-details">{t('prepare.details')}</h3>
        {!open && (
          <button
            type="button"
            className="icon-btn"
            aria-label={t('prepare.editDetails')}
            title={t('prepare.editDetails')}
            onClick={start}
            data-testid="edit-meeting"
          >
            <Pencil aria-hidden />
          </button>
        )}
      </div>
      {saved && !open && (
        <p className="prep-ok" role="status">
          {t('prepare.detailsSaved')}
        </p>
      )}
      {open && (
        <form
          className="prep-item__edit"
          onSubmit={(e) => {
            void submit(e);
          }}
          noValidate
          data-testid="meeting-form"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setOpen(false);
            }
          }}
        >
          <label className="field">
            <span className="field__label">{t('prepare.fields.title')}</span>
            <input
              name="meetingTitle"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              maxLength={300}
              required
              autoFocus
            />
          </label>
          <label className="field">
            <span className="field__label">{t('prepare.fields.startsAt')}</span>
            <input name="meetingStartsAt" type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />
          </label>
          <label className="field">
            <span className="field__label">{t('prepare.fields.location')}</span>
            <input name="meetingLocation" value={location} onChange={(e) => setLocation(e.target.value)} maxLength={300} />
          </label>
          <label className="field">
            <span className="field__label">{t('prepare.fields.organization')}</span>
            <input
              name="meetingOrganization"
              value={organization}
              onChange={(e) => setOrganization(e.target.value)}
              maxLength={300}
            />
          </label>
          <p className="muted">{t('prepare.changeNoticeHint')}</p>
          {error && (
            <p className="prep-error" role="alert">
              {error}
            </p>
          )}
          <div className="prep__row">
            <button type="submit" className="btn btn--primary btn--compact" disabled={busy} data-testid="save-meeting">
              {t('prepare.save')}
            </button>
            <button type="button" className="btn btn--secondary btn--compact" onClick={() => setOpen(false)}>
              {t('prepare.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
