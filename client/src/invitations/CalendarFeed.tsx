// "My calendar feed": a secret URL that calendar apps (Outlook, Thunderbird, phones) subscribe to,
// shown once when made (the server keeps only its hash); a new one replaces it, revoking ends it.
import { useEffect, useState } from 'react';
import { CalendarPlus } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { http } from '../api/http';
import type { CalendarFeedInfo } from '../../../shared/invitations-api';

export function CalendarFeed() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [info, setInfo] = useState<CalendarFeedInfo | null>(null);
  useEffect(() => {
    if (open)
      void http
        .get<CalendarFeedInfo>('/api/me/calendar-feed')
        .then(setInfo)
        .catch(() => undefined);
  }, [open]);
  const make = () =>
    void http
      .post<CalendarFeedInfo>('/api/me/calendar-feed')
      .then(setInfo)
      .catch(() => undefined);
  const revoke = () =>
    void http
      .del<CalendarFeedInfo>('/api/me/calendar-feed')
      .then(setInfo)
      .catch(() => undefined);
  return (
    <span className="calendar-feed">
      <button
        type="button"
        className="btn btn--secondary"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="calendar-feed"
      >
        <CalendarPlus aria-hidden size={18} /> {t('invitations.feed.open')}
      </button>
      {open && (
        <div className="calendar-feed__box" role="region" aria-label={t('invitations.feed.open')}>
          <p className="muted">{t('invitations.feed.help')}</p>
          {info?.url && (
            <input
              readOnly
              value={info.url}
              onFocus={(e) => e.currentTarget.select()}
              aria-label={t('invitations.feed.url')}
              data-testid="calendar-feed-url"
            />
          )}
          {info?.active && !info.url && <p>{t('invitations.feed.active')}</p>}
          <div className="calendar-feed__actions">
            <button type="button" className="btn btn--primary btn--compact" onClick={make}>
              {info?.active ? t('invitations.feed.rotate') : t('invitations.feed.make')}
            </button>
            {info?.active && (
              <button type="button" className="btn btn--secondary btn--compact" onClick={revoke}>
                {t('invitations.feed.revoke')}
              </button>
            )}
          </div>
        </div>
      )}
    </span>
  );
}
