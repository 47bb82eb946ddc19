// Lịch công tác tuần: my meetings of one week, Monday to Sunday (Vietnam time), each with its time,
// place, my reply and the giấy mời's state; tap or Enter opens the meeting. The week is in the URL
// (/week?date=…&scope=…) so reload and the back button work. Previous/next week by the buttons, the
// arrow keys and PageUp/PageDown, or a sideways swipe; "this week" comes back. The office (an
// administrator, an organiser of the unit) may switch to the whole unit's week. Seven columns on a
// wide screen; one day under the other on a phone or at 200 % zoom.
import { ChevronLeft, ChevronRight, CalendarDays } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/api';
import { addDays, type WeekMeeting, type WeekView } from '../../../shared/week-api';
import { request } from '../api/http';
import { AppHeader } from '../components/AppHeader';
import { ErrorPanel, Loading } from '../components/StatusView';
import { errorMessage } from '../components/errors';
import { currentLanguage, locale } from '../i18n';
import { meetingHref, navigate } from '../router';
import { useSwipe } from '../viewer/useSwipe';
import './week.css';

export type WeekScope = 'mine' | 'unit';

export function weekHref(date: string | null, scope: WeekScope): string {
  const q = new URLSearchParams();
  if (date) q.set('date', date);
  if (scope === 'unit') q.set('scope', 'unit');
  const qs = q.toString();
  return `/week${qs ? `?${qs}` : ''}`;
}

/** dd/mm from YYYY-MM-DD, as Vietnamese write dates */
const dayMonth = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}`;

function timeOf(iso: string, lang: 'vi' | 'en'): string {
  return new Intl.DateTimeFormat(locale(lang), {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(new Date(iso));
}

function MeetingEntry({ m }: { m: WeekMeeting }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const reply = m.role === null ? null : t(`week.reply.${m.myReply ?? 'none'}`);
  const inv =
    m.invitation === null
      ? t('week.invitation.none')
      : m.invitation.version > 1
        ? t('week.invitation.changed', { number: m.invitation.number, version: m.invitation.version })
        : t('week.invitation.issued', { number: m.invitation.number });
  const body = (
    <>
      <span className="week-entry__time">{timeOf(m.startsAt, lang)}</span>
      <span className="week-entry__title">{m.title}</span>
      <span className="week-entry__line">{m.location ? t('week.place', { place: m.location }) : t('week.noPlace')}</span>
      {m.organization && <span className="week-entry__line">{m.organization}</span>}
      <span className="week-entry__tags">
        {reply !== null ? (
          <span className="week-tag" data-reply={m.myReply ?? 'none'} data-testid="week-reply">
            {reply}
          </span>
        ) : (
          <span className="week-tag week-tag--muted">{t('week.notMine')}</span>
        )}
        <span className="week-tag week-tag--muted" data-testid="week-invitation">
          {inv}
        </span>
        {m.invitation?.changedSinceIssue && <span className="week-tag week-tag--warn">{t('week.invitation.pending')}</span>}
      </span>
    </>
  );
  if (!m.canOpen)
    return (
      <div className="week-entry week-entry--static" data-testid="week-meeting" data-meeting-id={m.id}>
        {body}
      </div>
    );
  return (
    <a
      className="week-entry"
      href={meetingHref(m.id)}
      data-testid="week-meeting"
      data-meeting-id={m.id}
      onClick={(e) => {
        if (e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey) {
          e.preventDefault();
          navigate(meetingHref(m.id));
        }
      }}
    >
      {body}
    </a>
  );
}

export function WeekPage(props: { user: User; date: string | null; scope: WeekScope; onLogout: () => void }) {
  const { t } = useTranslation();
  const { date, scope } = props;
  const [view, setView] = useState<WeekView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const gridRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const abort = new AbortController();
    request<WeekView>('GET', `/api/me/week${weekHref(date, scope).slice('/week'.length)}`, undefined, abort.signal).then(
      (v) => {
        setView(v);
        setError(null);
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setError(e);
      },
    );
    return () => abort.abort();
  }, [date, scope, attempt]);

  const go = useCallback(
    (days: number) => {
      if (!view) return;
      navigate(weekHref(addDays(view.weekStart, days), scope));
    },
    [view, scope],
  );

  // ← → PageUp PageDown change the week, unless typing in a field or a dialog is open
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
      const el = e.target as HTMLElement | null;
      if (el && el.closest('input, textarea, select, [contenteditable="true"], [role="dialog"]')) return;
      if (e.key === 'ArrowLeft' || e.key === 'PageUp') {
        e.preventDefault();
        go(-7);
      } else if (e.key === 'ArrowRight' || e.key === 'PageDown') {
        e.preventDefault();
        go(7);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  const onSwipe = useCallback((d: 'left' | 'right') => go(d === 'left' ? 7 : -7), [go]);
  useSwipe(gridRef, onSwipe, view !== null);

  const title = view
    ? t('week.range', { from: dayMonth(view.days[0]!), to: `${dayMonth(view.days[6]!)}/${view.days[6]!.slice(0, 4)}` })
    : t('week.title');
  return (
    <div className="layout">
      <AppHeader
        user={props.user}
        title={<span className="brand">{t('week.title')}</span>}
        onBack={() => navigate('/')}
        backLabel={t('meeting.backToList')}
        onLogout={props.onLogout}
      />
      <main className="week-page">
        <div className="week-page__head">
          <h1 className="week-page__title" data-testid="week-range" aria-live="polite">
            {title}
          </h1>
          <div className="week-page__nav" role="group" aria-label={t('week.title')}>
            <button
              type="button"
              className="btn btn--secondary week-btn"
              onClick={() => go(-7)}
              disabled={!view}
              aria-label={t('week.previous')}
              title={t('week.previous')}
              data-testid="week-prev"
            >
              <ChevronLeft aria-hidden size={20} />
            </button>
            <button
              type="button"
              className="btn btn--secondary week-btn"
              onClick={() => navigate(weekHref(null, scope))}
              data-testid="week-today"
            >
              <CalendarDays aria-hidden size={18} /> {t('week.today')}
            </button>
            <button
              type="button"
              className="btn btn--secondary week-btn"
              onClick={() => go(7)}
              disabled={!view}
              aria-label={t('week.next')}
              title={t('week.next')}
              data-testid="week-next"
            >
              <ChevronRight aria-hidden size={20} />
            </button>
          </div>
          {view?.mayViewUnit && (
            <div className="week-page__scope" role="radiogroup" aria-label={t('week.scope')}>
              {(['mine', 'unit'] as const).map((s) => (
                <button
                  key={s}
                  type="button"
                  role="radio"
                  aria-checked={scope === s}
                  className={`btn week-btn ${scope === s ? 'btn--primary' : 'btn--secondary'}`}
                  onClick={() => navigate(weekHref(view.weekStart, s))}
                  data-testid={`week-scope-${s}`}
                >
                  {t(`week.${s}`)}
                </button>
              ))}
            </div>
          )}
        </div>
        <p className="muted week-page__keys">{t('week.keys')}</p>
        {error !== null && (
          <ErrorPanel
            message={errorMessage(t, error)}
            onRetry={() => {
              setError(null);
              setAttempt((n) => n + 1);
            }}
          />
        )}
        {!view && error === null && <Loading />}
        {view && (
          <div className="week-grid" ref={gridRef} data-testid="week-grid" data-week-start={view.weekStart}>
            {view.days.map((day, i) => {
              const list = view.meetings.filter((m) => m.date === day);
              const today = day === view.today;
              return (
                <section
                  key={day}
                  className={`week-day${today ? ' week-day--today' : ''}${list.length === 0 ? ' week-day--empty' : ''}`}
                  aria-labelledby={`week-day-${day}`}
                  data-day={day}
                  data-testid="week-day"
                >
                  <h2 id={`week-day-${day}`} className="week-day__head">
                    <span>{t(`week.weekday.d${i as 0 | 1 | 2 | 3 | 4 | 5 | 6}`)}</span>{' '}
                    <span className="week-day__date">{dayMonth(day)}</span>
                    {today && <span className="week-tag week-tag--today">{t('week.todayMark')}</span>}
                  </h2>
                  {list.length === 0 ? (
                    <p className="muted week-day__none">{t('week.none')}</p>
                  ) : (
                    <ul className="week-day__list">
                      {list.map((m) => (
                        <li key={m.id}>
                          <MeetingEntry m={m} />
                        </li>
                      ))}
                    </ul>
                  )}
                </section>
              );
            })}
          </div>
        )}
        {view && view.meetings.length === 0 && (
          <p className="muted" role="status">
            {t('week.emptyWeek')}
          </p>
        )}
      </main>
    </div>
  );
}
