// A document's confidentiality in the organiser's list (PUT /api/documents/:id/confidentiality):
// ordinary, or Mật / Tối mật / Tuyệt mật. Members then read it only with their name on every page.
// A confidential one can be let onto members' devices for offline reading (PUT …/offline).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentInfo } from '../../../shared/api';
import { CONFIDENTIALITY_LEVELS, type ConfidentialityLevel } from '../../../shared/confidential';
import { prepareApi } from './prepare-api';
import { prepareErrorMessage } from './prepare-errors';

export function DocumentConfidentiality(props: { doc: DocumentInfo; afterChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = props.doc.title ?? props.doc.filename;
  return (
    <>
      <select
        className="prep-doc__confidentiality"
        aria-label={t('confidential.select', { name })}
        title={t('confidential.select', { name })}
        value={props.doc.confidentiality ?? ''}
        disabled={busy}
        data-testid="doc-confidentiality"
        onChange={async (e) => {
          const level = (e.target.value || null) as ConfidentialityLevel | null;
          setBusy(true);
          setError(null);
          try {
            await prepareApi.setConfidentiality(props.doc.id, level);
            await props.afterChange();
          } catch (err) {
            setError(prepareErrorMessage(t, err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <option value="">{t('confidential.none')}</option>
        {CONFIDENTIALITY_LEVELS.map((l) => (
          <option key={l} value={l}>
            {t(`confidential.level.${l}`)}
          </option>
        ))}
      </select>
      {props.doc.confidentiality && (
        <label className="prep-doc__offline" title={t('offline.allowHint')}>
          <input
            type="checkbox"
            checked={props.doc.offlineAllowed}
            disabled={busy}
            data-testid="doc-offline-allowed"
            onChange={async (e) => {
              const allowed = e.target.checked;
              setBusy(true);
              setError(null);
              try {
                await prepareApi.setOfflineAllowed(props.doc.id, allowed);
                await props.afterChange();
              } catch (err) {
                setError(prepareErrorMessage(t, err));
              } finally {
                setBusy(false);
              }
            }}
          />
          {t('offline.allow')}
        </label>
      )}
      {error && (
        <span className="prep-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
