// One document's circulation, for the officers in the Prepare panel (issue 15): is it a draft or
// sent (and when), its version, "send to the members", "upload a new version", and who has read how
// far with a reminder for those who have not. A new version is a draft of its own until sent: it
// is shown here under the version the agenda item lists, and takes its place once sent.
import { BookOpenCheck, Send, Upload } from 'lucide-react';
import { useEffect, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentInfo, DocumentReads } from '../../../shared/api';
import { prepareApi, uploadDocument } from './prepare-api';
import { prepareErrorMessage, uploadErrorMessage } from './prepare-errors';

/** How often the open reading-progress list re-reads (progress comes from sockets, gathered by the server). */
const READS_REFRESH_MS = 3000;

const nameOf = (d: DocumentInfo) => d.title ?? d.filename;

export function DocumentCirculation(props: {
  doc: DocumentInfo;
  byId: Map<string, DocumentInfo>;
  afterChange: () => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  // the versions after the one listed, newest last (an officer sees drafts too)
  const later: DocumentInfo[] = [];
  for (let next = props.doc.nextVersionId; next;) {
    const d = props.byId.get(next);
    if (!d || later.includes(d)) break;
    later.push(d);
    next = d.nextVersionId;
  }
  const newest = later[later.length - 1] ?? props.doc;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showReads, setShowReads] = useState(false);
  const date = (iso: string) =>
    new Date(iso).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'vi-VN', {
      timeZone: 'Asia/Ho_Chi_Minh',
      dateStyle: 'short',
      timeStyle: 'short',
    });

  const publish = async (d: DocumentInfo) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await prepareApi.publishDocument(d.id);
      setMessage(t('prepare.published', { name: nameOf(d) }));
      await props.afterChange();
    } catch (err) {
      setError(prepareErrorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  const onVersion = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const created = await uploadDocument(props.doc.meetingId, file, () => {}, { versionOf: newest.id });
      setMessage(t('prepare.versionUploaded', { version: created.version, name: nameOf(created) }));
      await props.afterChange();
    } catch (err) {
      setError(uploadErrorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  const status = (d: DocumentInfo) => (
    <span className={d.publishedAt ? 'prep-doc__status' : 'prep-doc__status prep-doc__status--draft'} data-testid="doc-status">
      {t('prepare.versionLabel', { version: d.version })} ·{' '}
      {d.publishedAt ? t('prepare.publishedOn', { date: date(d.publishedAt) }) : t('prepare.draft')}
    </span>
  );
  const publishButton = (d: DocumentInfo) =>
    !d.publishedAt && (
      <button
        type="button"
        className="btn btn--primary btn--compact"
        disabled={busy}
        onClick={() => {
          void publish(d);
        }}
        aria-label={t('prepare.publish', { name: nameOf(d) })}
        data-testid="publish-doc"
      >
        <Send aria-hidden size={16} /> {t('prepare.publishShort')}
      </button>
    );

  return (
    <div className="prep-doc__circulation" data-doc-circulation={props.doc.id}>
      <div className="prep__row">
        {status(props.doc)}
        {publishButton(props.doc)}
      </div>
      {later.map((d) => (
        <div className="prep__row" key={d.id} data-doc-version={d.version}>
          {status(d)}
          {publishButton(d)}
        </div>
      ))}
      <div className="prep__row">
        <label
          className="btn btn--secondary btn--compact prep-upload"
          aria-label={t('prepare.newVersion', { name: nameOf(newest) })}
        >
          <Upload aria-hidden size={16} /> {t('prepare.newVersionShort')}
          <input
            type="file"
            accept="application/pdf,.pdf"
            disabled={busy}
            onChange={(e) => {
              void onVersion(e);
            }}
            data-testid="version-input"
          />
        </label>
        {newest.publishedAt && (
          <button
            type="button"
            className="btn btn--secondary btn--compact"
            aria-expanded={showReads}
            aria-label={t('prepare.reads', { name: nameOf(newest) })}
            onClick={() => setShowReads((v) => !v)}
            data-testid="show-reads"
          >
            <BookOpenCheck aria-hidden size={16} /> {t('prepare.readsShort')}
          </button>
        )}
      </div>
      {error && (
        <p className="prep-error" role="alert">
          {error}
        </p>
      )}
      {message && (
        <p className="prep-ok" role="status">
          {message}
        </p>
      )}
      {showReads && newest.publishedAt && <ReadsList documentId={newest.id} />}
    </div>
  );
}

/** Who has read the document and how far, re-read every few seconds while shown; the reminder. */
function ReadsList(props: { documentId: string }) {
  const { t } = useTranslation();
  const [reads, setReads] = useState<DocumentReads | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    const load = () =>
      prepareApi.documentReads(props.documentId, abort.signal).then(setReads, (err: unknown) => {
        if (!abort.signal.aborted) setError(prepareErrorMessage(t, err));
      });
    void load();
    const timer = setInterval(() => {
      void load();
    }, READS_REFRESH_MS);
    return () => {
      clearInterval(timer);
      abort.abort();
    };
  }, [props.documentId, t]);

  const remind = async () => {
    setError(null);
    try {
      const r = await prepareApi.remindReaders(props.documentId);
      setMessage(t('prepare.reminded', { count: r.reminded.length }));
    } catch (err) {
      setError(prepareErrorMessage(t, err));
    }
  };

  return (
    <div className="prep-reads" data-testid="reads-list">
      <h4>{t('prepare.readsTitle')}</h4>
      {reads && (
        <ul className="prep-reads__list">
          {reads.readers.map((r) => (
            <li key={r.userId} data-reader={r.userId} data-pages-viewed={r.pagesViewed}>
              <span className="prep-member__name">{r.fullName}</span>
              {r.pagesViewed === 0 ? (
                <span className="muted">{t('prepare.notOpened')}</span>
              ) : (
                <>
                  <progress max={reads.pageCount} value={r.pagesViewed} aria-hidden />
                  <span>{t('prepare.readProgress', { viewed: r.pagesViewed, total: reads.pageCount })}</span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        className="btn btn--secondary btn--compact"
        onClick={() => {
          void remind();
        }}
        data-testid="remind-readers"
      >
        {t('prepare.remind')}
      </button>
      {error && (
        <p className="prep-error" role="alert">
          {error}
        </p>
      )}
      {message && (
        <p className="prep-ok" role="status">
          {message}
        </p>
      )}
    </div>
  );
}
