// What changed from the previous version of a document (issue 15): the pages whose text differs,
// each with its words highlighted as added (underlined, green) or removed (struck, red), as the
// server computed them from both versions' text. A dialog: Escape or the close button leaves it.
import { X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { VersionChanges } from '../../../shared/api';
import { request } from '../api/http';
import { ErrorPanel, Loading } from '../components/StatusView';
import { errorMessage } from '../components/errors';

/** Pages are aligned by their text: a page that moved (a page inserted before it) says where it was. */
function pageLabel(t: TFunction, p: VersionChanges['pages'][number], previousVersion: number): string {
  if (p.status === 'removed') return t('documents.pageOfPrevious', { page: p.page, version: previousVersion });
  if (p.previousPage !== null && p.previousPage !== p.page)
    return t('documents.pageMoved', { page: p.page, previous: p.previousPage });
  return t('documents.page', { page: p.page });
}

export function VersionChangesDialog(props: { documentId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { documentId, onClose } = props;
  const [changes, setChanges] = useState<VersionChanges | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const abort = new AbortController();
    request<VersionChanges>('GET', `/api/documents/${encodeURIComponent(documentId)}/changes`, undefined, abort.signal).then(
      setChanges,
      (e: unknown) => {
        if (!abort.signal.aborted) setError(e);
      },
    );
    return () => abort.abort();
  }, [documentId]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div
        className="dialog version-changes"
        role="dialog"
        aria-modal="true"
        aria-labelledby="version-changes-title"
        onClick={(e) => e.stopPropagation()}
        data-testid="version-changes"
      >
        <div className="dialog__head">
          <h2 id="version-changes-title">
            {changes
              ? t('documents.changesTitle', { previous: changes.previousVersion, version: changes.version })
              : t('common.loading')}
          </h2>
          <button
            type="button"
            className="icon-btn"
            onClick={onClose}
            aria-label={t('common.close')}
            title={t('common.close')}
            autoFocus
          >
            <X aria-hidden />
          </button>
        </div>
        {!changes && error === null && <Loading />}
        {error !== null && <ErrorPanel message={errorMessage(t, error)} />}
        {changes && !changes.comparable && <p className="muted">{t('documents.notComparable')}</p>}
        {changes && changes.comparable && changes.pages.length === 0 && <p className="muted">{t('documents.noChanges')}</p>}
        {changes && changes.comparable && changes.pages.length > 0 && (
          <>
            <p className="muted dialog__small">{t('documents.legend')}</p>
            <ol className="version-changes__pages">
              {changes.pages.map((p) => (
                <li key={`${p.status}-${p.page}`} data-changed-page={p.page} data-page-status={p.status}>
                  <h3>
                    {pageLabel(t, p, changes.previousVersion)} · {t(`documents.status.${p.status}`)}
                  </h3>
                  <p className="version-changes__text">
                    {p.parts.map((part, i) =>
                      part.op === '+' ? (
                        <ins key={i} aria-label={`${t('documents.added')}: ${part.text}`}>
                          {part.text}
                        </ins>
                      ) : part.op === '-' ? (
                        <del key={i} aria-label={`${t('documents.removed')}: ${part.text}`}>
                          {part.text}
                        </del>
                      ) : (
                        <span key={i}>{part.text}</span>
                      ),
                    )}
                  </p>
                </li>
              ))}
            </ol>
          </>
        )}
      </div>
    </div>
  );
}
