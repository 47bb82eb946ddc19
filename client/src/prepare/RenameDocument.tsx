// A document's name in the organiser's list, with a small rename control (PATCH /api/documents/:id).
// New uploads are named after their file; this is where "To_trinh_v3" becomes "Tờ trình dự toán".
import { Pencil } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_DOCUMENT_TITLE, type DocumentInfo } from '../../../shared/api';
import { prepareApi } from './prepare-api';
import { prepareErrorMessage } from './prepare-errors';

export function RenameDocument(props: { doc: DocumentInfo; afterChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const name = props.doc.title ?? props.doc.filename;
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!editing) {
    return (
      <>
        <span className="prep-doc__name">{name}</span>
        <button
          type="button"
          className="icon-btn"
          aria-label={t('prepare.rename', { name })}
          title={t('prepare.rename', { name })}
          data-testid="doc-rename"
          onClick={() => {
            setValue(name);
            setError(null);
            setEditing(true);
          }}
        >
          <Pencil aria-hidden size={16} />
        </button>
      </>
    );
  }
  return (
    <form
      className="prep-doc__rename"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!value.trim()) return;
        setBusy(true);
        try {
          await prepareApi.renameDocument(props.doc.id, value.trim());
          setEditing(false);
          await props.afterChange();
        } catch (err) {
          setError(prepareErrorMessage(t, err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <input
        aria-label={t('prepare.renameLabel')}
        value={value}
        maxLength={MAX_DOCUMENT_TITLE}
        required
        autoFocus
        onChange={(e) => setValue(e.target.value)}
        data-testid="doc-rename-input"
      />
      <button type="submit" className="btn btn--primary btn--compact" disabled={busy || !value.trim()}>
        {t('prepare.renameSave')}
      </button>
      <button type="button" className="btn btn--secondary btn--compact" onClick={() => setEditing(false)}>
        {t('prepare.renameCancel')}
      </button>
      {error && (
        <span className="prep-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
