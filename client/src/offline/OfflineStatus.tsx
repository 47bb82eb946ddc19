// The meeting header's "n changes waiting" (marks kept in the device's outbox until the server
// answers them) and the list of queued changes the server refused once back online: each is shown
// with why, until the user dismisses it — never dropped without a word.
import { useTranslation } from 'react-i18next';
import type { LiveSnapshot } from '../live/live-store';
import './offline.css';

export function WaitingChanges(props: { waiting: number }) {
  const { t } = useTranslation();
  return (
    <span
      className="offline-waiting"
      role="status"
      data-testid="outbox-count"
      data-count={props.waiting}
      hidden={props.waiting === 0}
      title={t('offline.waitingHint')}
    >
      {t('offline.waiting', { count: props.waiting })}
    </span>
  );
}

/** Codes with a sentence of their own; SUPERSEDED and MEETING_ENDED were saved, the others refused. */
const KNOWN = ['NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'SUPERSEDED', 'MEETING_ENDED'] as const;
const known = (code: string): code is (typeof KNOWN)[number] => (KNOWN as readonly string[]).includes(code);

export function RefusedChanges(props: { conflicts: LiveSnapshot['conflicts']; onDismiss: (id: string) => void }) {
  const { t } = useTranslation();
  if (props.conflicts.length === 0) return null;
  return (
    <section className="offline-conflicts" role="alert" aria-label={t('offline.conflictsTitle')} data-testid="offline-conflicts">
      <h2>{t('offline.conflictsTitle')}</h2>
      <ul>
        {props.conflicts.map((c) => {
          const page = (c.payload as { page?: unknown } | null)?.page;
          const why = known(c.code) ? t(`offline.conflict.${c.code}`) : t('offline.conflict.generic', { message: c.message });
          return (
            <li key={c.id} data-code={c.code}>
              <span>
                {typeof page === 'number' ? t('offline.conflictWhat', { page }) : t('offline.conflictOther', { type: c.type })}:{' '}
                {why}
              </span>
              <button type="button" className="btn btn--secondary btn--compact" onClick={() => props.onDismiss(c.id)}>
                {t('offline.dismiss')}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
