// One agenda item's PDFs: list (name, pages, a warning for a suspicious file), detach with an undo
// offered for a few seconds, and upload-then-attach with a progress bar.
import { AlertTriangle, FileText, Loader, Upload, X } from 'lucide-react';
import { useEffect, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgendaItem, DocumentInfo } from '../../../shared/api';
import { prepareApi, uploadDocument } from './prepare-api';
import { prepareErrorMessage, uploadErrorMessage } from './prepare-errors';
import { RenameDocument } from './RenameDocument';
import { DocumentConfidentiality } from './DocumentConfidentiality';
import { DocumentCirculation } from './DocumentCirculation';

const UNDO_MS = 8000;

export function ItemDocuments(props: {
  meetingId: string;
  item: AgendaItem;
  documents: DocumentInfo[];
  afterChange: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { meetingId, item } = props;
  const byId = new Map(props.documents.map((d) => [d.id, d]));
  const docs = item.documentIds.map((id) => byId.get(id)).filter((d): d is DocumentInfo => d !== undefined);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  /** the document just removed: the undo stays offered for UNDO_MS */
  const [removed, setRemoved] = useState<DocumentInfo | null>(null);
  useEffect(() => {
    if (!removed) return;
    const timer = setTimeout(() => setRemoved(null), UNDO_MS);
    return () => clearTimeout(timer);
  }, [removed]);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = ''; // choosing the same file again still fires
    if (!file) return;
    setError(null);
    setDone(null);
    setProgress(0);
    let uploaded: DocumentInfo;
    try {
      uploaded = await uploadDocument(meetingId, file, setProgress);
    } catch (err) {
      setProgress(null);
      setError(uploadErrorMessage(t, err));
      return;
    }
    try {
      await prepareApi.attach(meetingId, item.id, uploaded.id);
      setDone(t('prepare.uploadDone', { name: uploaded.title ?? uploaded.filename }));
    } catch (err) {
      setError(prepareErrorMessage(t, err));
    } finally {
      setProgress(null);
      await props.afterChange();
    }
  };

  const detach = async (doc: DocumentInfo) => {
    setError(null);
    setDone(null);
    setRemoved(null);
    try {
      await prepareApi.detach(meetingId, item.id, doc.id);
      setRemoved(doc);
    } catch (err) {
      setError(prepareErrorMessage(t, err));
    }
    await props.afterChange();
  };

  const undo = async (doc: DocumentInfo) => {
    setRemoved(null);
    try {
      await prepareApi.attach(meetingId, item.id, doc.id);
      setDone(t('prepare.undone', { name: doc.title ?? doc.filename }));
    } catch (err) {
      setError(prepareErrorMessage(t, err));
    }
    await props.afterChange();
  };

  const uploading = progress !== null;
  const percent = Math.round((progress ?? 0) * 100);
  return (
    <div className="prep-item__body">
      {docs.length === 0 ? (
        <p className="muted">{t('prepare.noDocuments')}</p>
      ) : (
        <ul className="prep-item__docs">
          {docs.map((d) => (
            <li key={d.id} data-prep-document={d.id}>
              <FileText aria-hidden size={18} />
              <RenameDocument doc={d} afterChange={props.afterChange} />
              <span className="muted" data-testid="doc-pages">
                {t('prepare.pages', { count: d.pageCount })}
              </span>
              <DocumentConfidentiality doc={d} afterChange={props.afterChange} />
              <button
                type="button"
                className="icon-btn"
                aria-label={t('prepare.detach', { name: d.title ?? d.filename })}
                title={t('prepare.detach', { name: d.title ?? d.filename })}
                onClick={() => {
                  void detach(d);
                }}
              >
                <X aria-hidden />
              </button>
              {d.warning && (
                <span className="prep-doc__warning" role="note" data-testid="doc-warning">
                  <AlertTriangle aria-hidden size={16} /> {t('prepare.docWarning')}
                </span>
              )}
              {d.webCopy === 'pending' && (
                <span className="muted" role="status" data-testid="doc-optimising">
                  <Loader aria-hidden size={16} /> {t('prepare.docOptimising')}
                </span>
              )}
              {d.webCopy === 'failed' && (
                <span className="muted" role="note" data-testid="doc-optimise-failed">
                  {t('prepare.docOptimiseFailed')}
                </span>
              )}
              <DocumentCirculation doc={d} byId={byId} afterChange={props.afterChange} />
            </li>
          ))}
        </ul>
      )}
      {uploading ? (
        <div role="status" data-testid="upload-progress">
          <span>{t('prepare.uploading', { percent })}</span>
          <progress className="prep-progress" max={100} value={percent} aria-label={t('prepare.uploadProgress')} />
        </div>
      ) : (
        <label className="btn btn--secondary btn--compact prep-upload">
          <Upload aria-hidden size={18} /> {t('prepare.uploadPdf')}
          <input
            type="file"
            accept="application/pdf,.pdf"
            onChange={(e) => {
              void onFile(e);
            }}
            data-testid="upload-input"
          />
        </label>
      )}
      {error && (
        <p className="prep-error" role="alert" data-testid="upload-error">
          {error}
        </p>
      )}
      {done && (
        <p className="prep-ok" role="status">
          {done}
        </p>
      )}
      {removed && (
        <p className="prep-ok prep-undo" role="status" data-testid="undo-detach">
          {t('prepare.detached', { name: removed.title ?? removed.filename })}{' '}
          <button
            type="button"
            className="btn btn--secondary btn--compact"
            onClick={() => {
              void undo(removed);
            }}
          >
            {t('prepare.undo')}
          </button>
        </p>
      )}
    </div>
  );
}
