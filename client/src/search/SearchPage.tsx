// Search results: what the server found that this person may see, grouped as it ranked them, the
// matched words marked (<mark>, from the server's segments: never HTML), each a link to where it is:
// the meeting, the document opened at the page the words are on, the minutes panel at the field, or
// the written-opinion request.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/api';
import type { SearchHit, SearchResult } from '../../../shared/search-api';
import { api } from '../api/endpoints';
import { AppHeader } from '../components/AppHeader';
import { ErrorPanel, Loading } from '../components/StatusView';
import { errorMessage } from '../components/errors';
import { meetingHref, navigate } from '../router';
import { SearchBox } from './SearchBox';

type State = { state: 'loading' } | { state: 'done'; result: SearchResult } | { state: 'error'; error: unknown };

/** Where a hit leads: the document at its page, the minutes panel at the field, the written-opinion request, or the meeting. */
export function hitHref(h: SearchHit): string {
  if (h.kind === 'document') return meetingHref(h.meetingId, h.documentId, h.page ?? 1);
  if (h.kind === 'opinion' && h.opinionId) return `/opinions/${encodeURIComponent(h.opinionId)}`;
  if ((h.kind === 'minutes' || h.kind === 'conclusion') && h.minutesKey)
    return `${meetingHref(h.meetingId)}?${new URLSearchParams({ minutes: h.minutesKey }).toString()}`;
  return meetingHref(h.meetingId);
}

export function SearchPage(props: { user: User; q: string; onLogout: () => void; onUnauthenticated: (reason?: string) => void }) {
  const { t } = useTranslation();
  const [s, setS] = useState<State>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const { q, onUnauthenticated } = props;
  useEffect(() => {
    if (!q.trim()) {
      setS({ state: 'done', result: { query: '', hits: [] } });
      return;
    }
    const ctrl = new AbortController();
    setS({ state: 'loading' });
    api.search(q, ctrl.signal).then(
      (result) => setS({ state: 'done', result }),
      (error: unknown) => {
        if (ctrl.signal.aborted) return;
        if ((error as { status?: number }).status === 401) onUnauthenticated();
        else setS({ state: 'error', error });
      },
    );
    return () => ctrl.abort();
  }, [q, attempt, onUnauthenticated]);

  return (
    <div className="layout">
      <AppHeader
        user={props.user}
        title={<span className="brand">{t('search.title')}</span>}
        onBack={() => navigate('/')}
        backLabel={t('meeting.backToList')}
        onLogout={props.onLogout}
        searchInitial={q}
      />
      <main className="search-page" aria-busy={s.state === 'loading'}>
        <SearchBox key={q} initial={q} className="search-box--page" autoFocus={!q} testId="search-page" />
        {s.state === 'loading' && <Loading />}
        {s.state === 'error' && <ErrorPanel message={errorMessage(t, s.error)} onRetry={() => setAttempt((n) => n + 1)} />}
        {s.state === 'done' && (
          <>
            {q.trim() !== '' && (
              <h2 className="search-page__summary" aria-live="polite">
                {s.result.hits.length > 0 ? t('search.resultsFor', { q }) : t('search.empty', { q })}
              </h2>
            )}
            {s.result.hits.length === 0 && <p className="muted">{t('search.hint')}</p>}
            <ol className="search-results" data-testid="search-results">
              {s.result.hits.map((h, i) => (
                <li key={`${h.kind}-${h.documentId ?? h.itemId ?? h.meetingId}-${h.page ?? 0}-${i}`} className="search-hit">
                  <a
                    href={hitHref(h)}
                    className="search-hit__link"
                    data-testid="search-hit"
                    data-kind={h.kind}
                    data-page={h.page ?? ''}
                    onClick={(e) => {
                      if (e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey) {
                        e.preventDefault();
                        navigate(hitHref(h));
                      }
                    }}
                  >
                    <span className="search-hit__kind">{t(`search.kind.${h.kind}` as const)}</span>
                    <span className="search-hit__title">
                      {h.title}
                      {h.page ? ` · ${t('search.page', { page: h.page })}` : ''}
                    </span>
                    <span className="search-hit__meeting">{h.meetingTitle}</span>
                    <span className="search-hit__snippet">
                      {h.snippet.map((seg, k) => (seg.hit ? <mark key={k}>{seg.text}</mark> : <span key={k}>{seg.text}</span>))}
                    </span>
                  </a>
                </li>
              ))}
            </ol>
          </>
        )}
      </main>
    </div>
  );
}
