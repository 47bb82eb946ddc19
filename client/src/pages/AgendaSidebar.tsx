// The agenda in order, each item with its documents; the open document is marked current.
import { FileText } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { AgendaItem, DocumentInfo } from '../../../shared/api';

export function AgendaSidebar(props: {
  agenda: AgendaItem[];
  documents: DocumentInfo[];
  openDocumentId: string | null;
  onOpenDocument: (documentId: string) => void;
}) {
  const { t } = useTranslation();
  const byId = new Map(props.documents.map((d) => [d.id, d]));
  const items = [...props.agenda].sort((a, b) => a.position - b.position);

  return (
    <nav className="agenda" aria-labelledby="agenda-title">
      <h2 id="agenda-title" className="agenda__title">{t('meeting.agenda')}</h2>
      {items.length === 0 && <p className="muted agenda__empty">{t('meeting.emptyAgenda')}</p>}
      <ol className="agenda__items">
        {items.map((item, index) => {
          const docs = item.documentIds.map((id) => byId.get(id)).filter((d): d is DocumentInfo => d !== undefined);
          return (
            <li key={item.id} className="agenda-item" data-agenda-item={item.id}>
              <div className="agenda-item__head">
                <span className="agenda-item__number" aria-hidden>{index + 1}</span>
                <div>
                  <div className="agenda-item__label">
                    {t('meeting.item', { n: index + 1 })}
                    {item.durationMinutes ? ` · ${t('meeting.minutes', { count: item.durationMinutes })}` : ''}
                  </div>
                  <div className="agenda-item__title">{item.title}</div>
                </div>
              </div>
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
                          <span className="doc-link__meta">{t('meeting.pages', { count: doc.pageCount })}</span>
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
