// The one search box, in the header of every signed-in screen: Enter (or the button) opens the
// results page for the words typed (the URL carries them, so back and reload work).
import { useState, type FormEvent } from 'react';
import { Search } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { MAX_SEARCH_QUERY } from '../../../shared/search-api';
import { navigate } from '../router';

export const searchHref = (q: string) => `/search?${new URLSearchParams({ q }).toString()}`;

export function SearchBox(props: { initial?: string; className?: string; autoFocus?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState(props.initial ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const words = q.trim();
    // no words (or the field hidden on a narrow screen): the results page, whose own box takes them
    navigate(words ? searchHref(words) : '/search');
  };
  return (
    <form role="search" className={`search-box ${props.className ?? ''}`} onSubmit={submit}>
      <input
        type="search"
        className="search-box__input"
        value={q}
        maxLength={MAX_SEARCH_QUERY}
        onChange={(e) => setQ(e.target.value)}
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        data-testid={`${props.testId ?? 'search'}-input`}
        enterKeyHint="search"
        autoFocus={props.autoFocus}
      />
      <button
        type="submit"
        className="icon-btn"
        aria-label={t('search.submit')}
        title={t('search.submit')}
        data-testid={`${props.testId ?? 'search'}-submit`}
      >
        <Search aria-hidden />
      </button>
    </form>
  );
}
