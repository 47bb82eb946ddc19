// Deferred signing, step by step, for a signer whose key is in their own hands (a USB token with
// its signing app, a remote-signing service): (1) choose how the app signs and prepare — the server
// adds the signature placeholder and hands out the digest (CMS mode) or, given the certificate, the
// signed attributes (raw mode); (2) sign them in the app; (3) send back the .p7s or the raw
// signature; (4) the server's verdict. The server checks everything; this screen only carries bytes.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatSignedAt } from '../../../shared/minutes';
import type { ExternalSigningRequest } from '../../../shared/minutes-api';
import { currentLanguage } from '../i18n';
import { minutesApi } from './minutes-api';

/** A file as base64: text files that already hold base64/PEM are taken as they are. */
async function fileAsBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder('latin1').decode(bytes);
  if (/^[\s\x21-\x7e]*$/.test(text) && /^[A-Za-z0-9+/=\s-]+$/.test(text.replace(/-----[^-]+-----/g, '')))
    return text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function downloadBase64(b64: string, filename: string) {
  const bin = atob(b64);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** PEM blocks (or one base64 DER) of the certificate text, each as base64 */
function certificateBlocks(text: string): string[] {
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) =>
    m[1]!.replace(/\s+/g, ''),
  );
  return blocks.length ? blocks : text.trim() ? [text.replace(/\s+/g, '')] : [];
}

export function ExternalSigning(props: {
  meetingId: string;
  errorText: (e: unknown) => string;
  say: (text: string) => void;
  onSigned: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [mode, setMode] = useState<'cms' | 'raw'>('cms');
  const [certText, setCertText] = useState('');
  const [request, setRequest] = useState<ExternalSigningRequest | null>(null);
  const [signature, setSignature] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    try {
      await f();
    } catch (e) {
      const text = props.errorText(e);
      setResult({ ok: false, text });
      props.say(text);
    } finally {
      setBusy(false);
    }
  };

  const prepare = () =>
    run(async () => {
      setResult(null);
      const chain = mode === 'raw' ? certificateBlocks(certText) : undefined;
      const r = await minutesApi.prepareExternal(props.meetingId, chain);
      setRequest(r);
      setSignature('');
    });

  const complete = () =>
    run(async () => {
      if (!request) return;
      const value = signature.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
      await minutesApi.completeExternal(
        props.meetingId,
        request.requestId,
        request.mode === 'cms' ? { cms: value } : { signature: value },
      );
      setResult({ ok: true, text: t('minutes.external.done') });
      props.say(t('minutes.external.done'));
      props.onSigned();
    });

  const copy = (text: string) => {
    void navigator.clipboard?.writeText(text).then(() => props.say(t('minutes.external.copied')));
  };
  const value = (label: string, v: string, file?: string) => (
    <div className="external-signing__value">
      <label>
        {label}
        <textarea readOnly value={v} rows={v.length > 100 ? 4 : 1} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <button type="button" className="btn btn--secondary btn--compact" onClick={() => copy(v)}>
        {t('minutes.external.copy')}
      </button>
      {file && (
        <button type="button" className="btn btn--secondary btn--compact" onClick={() => downloadBase64(v, file)}>
          {t('minutes.external.download')}
        </button>
      )}
    </div>
  );

  return (
    <section
      className="minutes__section external-signing"
      data-testid="external-signing"
      aria-labelledby="external-signing-title"
    >
      <h3 id="external-signing-title">{t('minutes.external.title')}</h3>
      <p className="minutes__hint">{t('minutes.external.intro')}</p>

      <ol className="external-signing__steps">
        <li data-step="1">
          <h4>{t('minutes.external.step1')}</h4>
          <fieldset disabled={busy}>
            <label>
              <input
                type="radio"
                name="external-mode"
                checked={mode === 'cms'}
                onChange={() => setMode('cms')}
                data-testid="external-mode-cms"
              />{' '}
              {t('minutes.external.modeCms')}
            </label>
            <label>
              <input
                type="radio"
                name="external-mode"
                checked={mode === 'raw'}
                onChange={() => setMode('raw')}
                data-testid="external-mode-raw"
              />{' '}
              {t('minutes.external.modeRaw')}
            </label>
          </fieldset>
          {mode === 'raw' && (
            <div className="external-signing__value">
              <label>
                {t('minutes.external.certificate')}
                <textarea
                  rows={4}
                  value={certText}
                  onChange={(e) => setCertText(e.target.value)}
                  data-testid="external-certificate"
                />
              </label>
              <label className="btn btn--secondary btn--compact">
                {t('minutes.external.certificateFile')}
                <input
                  type="file"
                  accept=".pem,.cer,.crt,.der"
                  hidden
                  onChange={(e) => {
                    const f = e.target.files?.[0];
                    e.target.value = '';
                    if (f)
                      void fileAsBase64(f).then((b) =>
                        setCertText(
                          (prev) => `${prev}${prev ? '\n' : ''}-----BEGIN CERTIFICATE-----\n${b}\n-----END CERTIFICATE-----`,
                        ),
                      );
                  }}
                />
              </label>
            </div>
          )}
          <button
            type="button"
            className="btn btn--primary btn--compact"
            disabled={busy || (mode === 'raw' && !certText.trim())}
            onClick={() => void prepare()}
            data-testid="external-prepare"
          >
            {t('minutes.external.prepare')}
          </button>
        </li>

        {request && (
          <li data-step="2">
            <h4>{t('minutes.external.step2')}</h4>
            <p>
              {request.mode === 'cms'
                ? t('minutes.external.digestHint', { time: formatSignedAt(request.expiresAt, lang) })
                : t('minutes.external.rawHint', {
                    alg: request.algorithm?.startsWith('ECDSA') ? 'ECDSA P-256' : 'RSA',
                    time: formatSignedAt(request.expiresAt, lang),
                  })}
            </p>
            {request.mode === 'cms' ? (
              <>
                {value(t('minutes.external.digest'), request.digestHex)}
                {value(t('minutes.external.digestBase64'), request.digestBase64, 'bien-ban.sha256')}
              </>
            ) : (
              <>
                {value(t('minutes.external.attributes'), request.signedAttributesBase64 ?? '', 'du-lieu-can-ky.der')}
                {value(t('minutes.external.attributesHash'), request.signedAttributesSha256Hex ?? '')}
              </>
            )}
          </li>
        )}

        {request && (
          <li data-step="3">
            <h4>{t('minutes.external.step3')}</h4>
            <label className="btn btn--secondary btn--compact">
              {t('minutes.external.resultFile')}
              <input
                type="file"
                accept=".p7s,.p7m,.der,.bin,.sig,.txt"
                hidden
                data-testid="external-result-file"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  e.target.value = '';
                  if (f) void fileAsBase64(f).then(setSignature);
                }}
              />
            </label>
            <label className="external-signing__value">
              {t('minutes.external.resultPaste')}
              <textarea rows={3} value={signature} onChange={(e) => setSignature(e.target.value)} data-testid="external-result" />
            </label>
            <button
              type="button"
              className="btn btn--primary btn--compact"
              disabled={busy || !signature.trim()}
              onClick={() => void complete()}
              data-testid="external-complete"
            >
              {t('minutes.external.complete')}
            </button>
          </li>
        )}

        {result && (
          <li data-step="4" aria-live="polite">
            <h4>{t('minutes.external.step4')}</h4>
            <p
              className={`minutes__verification ${result.ok ? 'is-ok' : 'is-bad'}`}
              data-testid="external-result-message"
              data-ok={result.ok}
            >
              {result.ok ? result.text : `${result.text} ${t('minutes.external.refused')}`}
            </p>
          </li>
        )}
      </ol>
      <button type="button" className="btn btn--secondary btn--compact" onClick={props.onClose}>
        {t('minutes.external.cancel')}
      </button>
    </section>
  );
}
