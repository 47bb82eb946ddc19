// The find bar: a query box, the hit count, previous/next. Enter = next, Shift+Enter = previous,
// Esc closes. The viewer owns the search (useFind); this is only its controls.
import { useEffect, useRef } from 'react';
import { ChevronDown, ChevronUp, X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { FindState } from './useFind';

export function FindBar(props: {
  find: FindState;
  /** bumped each time Ctrl/Cmd+F is pressed, to focus the box again */
  focusToken: number;
  onQuery: (q: string) => void;
  onStep: (direction: 1 | -1) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { find } = props;
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [props.focusToken]);
  const total = find.hits.length;
  let status = '';
  if (find.searching) status = t('viewer.findSearching', { done: find.pagesDone, total: find.pagesTotal });
  else if (find.settled && find.query.trim() && total === 0) status = t('viewer.findNone');
  else if (total > 0) status = t('viewer.findCount', { current: find.current + 1, total });

  return (
    <div className="find-bar" role="search" data-testid="find-bar">
      <input
        ref={input}
        type="search"
        className="find-bar__input"
        value={find.query}
        placeholder={t('viewer.findPlaceholder')}
        aria-label={t('viewer.findInput')}
        enterKeyHint="search"
        data-testid="find-input"
        onChange={(e) => props.onQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            props.onStep(e.shiftKey ? -1 : 1);
          }
          if (e.key === 'Escape') {
            e.preventDefault();
            props.onClose();
          }
        }}
      />
      <span
        className="find-bar__status"
        data-testid="find-status"
        data-count={find.settled && find.query.trim() ? String(total) : ''}
        aria-live="polite"
      >
        {status}
      </span>
      <button
        type="button"
        className="icon-btn"
        onClick={() => props.onStep(-1)}
        disabled={total === 0}
        aria-label={t('viewer.findPrev')}
        title={t('viewer.findPrev')}
        data-testid="find-prev"
      >
        <ChevronUp aria-hidden />
      </button>
      <button
        type="button"
        className="icon-btn"
        onClick={() => props.onStep(1)}
        disabled={total === 0}
        aria-label={t('viewer.findNext')}
        title={t('viewer.findNext')}
        data-testid="find-next"
      >
        <ChevronDown aria-hidden />
      </button>
      <button
        type="button"
        className="icon-btn"
        onClick={props.onClose}
        aria-label={t('viewer.findClose')}
        title={t('viewer.findClose')}
        data-testid="find-close"
      >
        <X aria-hidden />
      </button>
    </div>
  );
}
