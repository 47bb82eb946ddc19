// The agenda in order, each item with its documents; the open document is marked current, and in
// a live meeting the item under discussion is highlighted for everyone (the chair opens items here).
import { FileText, Megaphone } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfidentialBadge } from '../confidential/ConfidentialBadge';
import type { AgendaItem, DocumentInfo } from '../../../shared/api';
import { VersionChangesDialog } from '../documents/VersionChangesDialog';

export function AgendaSidebar(props: {
  agenda: AgendaItem[];
  documents: DocumentInfo[];
  openDocumentId: string | null;
  onOpenDocument: (documentId: string) => void;
  /** the item the chair opened in the live meeting */
  currentItemId?: string | null;
  /** the chair's "open item" button, only while the meeting is live */
  onOpenItem?: (itemId: string) => void;
}) {
  const { t } = useTranslation();
  const byId = new Map(props.documents.map((d) => [d.id, d]));
  /** the document whose changes from its previous version are shown (issue 15) */
  const [changesOf, setChangesOf] = useState<string | null>(null);
  const items = [...props.agenda].sort((a, b) => a.position - b.position);

  return (
    <nav className="agenda" aria-labelledby="agenda-title">
      <h2 id="agenda-title" className="agenda__title">
        {t('meeting.agenda')}
      </h2>
      {items.length === 0 && <p className="muted agenda__empty">{t('meeting.emptyAgenda')}</p>}
      <ol className="agenda__items">
        {items.map((item, index) => {
          const docs = item.documentIds.map((id) => byId.get(id)).filter((d): d is DocumentInfo => d !== undefined);
          return (
            <li
              key={item.id}
              className={`agenda-item ${item.id === props.currentItemId ? 'agenda-item--current' : ''}`}
              data-agenda-item={item.id}
              data-current={item.id === props.currentItemId ? 'true' : undefined}
            >
              <div className="agenda-item__head">
                <span className="agenda-item__number" aria-hidden>
                  {index + 1}
                </span>
                <div>
                  <div className="agenda-item__label">
                    {t('meeting.item', { n: index + 1 })}
                    {item.durationMinutes ? ` · ${t('meeting.minutes', { count: item.durationMinutes })}` : ''}
                  </div>
                  <div className="agenda-item__title">{item.title}</div>
                  {item.id === props.currentItemId && (
                    <div className="agenda-item__current">
                      <Megaphone aria-hidden size={14} />
                      {t('live.control.currentItem')}
                    </div>
                  )}
                </div>
              </div>
              {props.onOpenItem && item.id !== props.currentItemId && (
                <button
                  type="button"
                  className="btn btn--secondary btn--compact agenda-item__open"
                  onClick={() => props.onOpenItem?.(item.id)}
                  data-testid="open-item"
                >
                  {t('live.control.openItem')}
                </button>
              )}
              {docs.length === 0 ? (
                <p className="muted agenda-item__nodocs">{t('meeting.noDocuments')}</p>
              ) : (
                <ul className="agenda-item__docs">
                  {docs.map((doc) => (
                    <li key={doc.id}>
                      <button
                        type="button"
                        className="doc-link"
                        aria-current={doc.id === props.openDocumentId ? 'true' : undefined}
                        data-document-id={doc.id}
                        onClick={() => props.onOpenDocument(doc.id)}
                      >
                        <FileText aria-hidden size={20} className="doc-link__icon" />
                        <span className="doc-link__text">
                          <span className="doc-link__title">{doc.title ?? doc.filename}</span>
                          <span className="doc-link__meta">
                            {doc.version > 1 && (
                              <span className="doc-link__version" data-testid="doc-version">
                                {t('documents.version', { version: doc.version })} ·{' '}
                              </span>
                            )}
                            {doc.publishedAt === null && <span className="doc-link__draft">{t('documents.draft')} · </span>}
                            {t('meeting.pages', { count: doc.pageCount })}{' '}
                            {doc.confidentiality && <ConfidentialBadge level={doc.confidentiality} />}
                          </span>
                        </span>
                      </button>
                      {doc.previousVersionId && byId.has(doc.previousVersionId) && (
                        <div className="doc-versions">
                          <button
                            type="button"
                            className="btn btn--secondary btn--compact"
                            onClick={() => setChangesOf(doc.id)}
                            data-testid="show-changes"
                          >
                            {t('documents.changes', { version: byId.get(doc.previousVersionId)!.version })}
                          </button>
                          <button
                            type="button"
                            className="btn btn--secondary btn--compact"
                            onClick={() => props.onOpenDocument(doc.previousVersionId!)}
                            data-testid="open-previous"
                            aria-current={doc.previousVersionId === props.openDocumentId ? 'true' : undefined}
                          >
                            {t('documents.previous', { version: byId.get(doc.previousVersionId)!.version })}
                          </button>
                        </div>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
      {changesOf && <VersionChangesDialog documentId={changesOf} onClose={() => setChangesOf(null)} />}
    </nav>
  );
}
