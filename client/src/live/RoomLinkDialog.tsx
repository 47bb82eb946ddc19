// The room-screen link for the projector: asked of the server, shown, copied or opened.
import { useEffect, useState } from 'react';
import { Copy, ExternalLink, X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { TokenLink } from '../../../shared/live-api';
import { api } from '../api/endpoints';
import { ErrorPanel, Loading } from '../components/StatusView';
import { errorMessage } from '../components/errors';
import { formatMeetingTime } from '../format';
import { currentLanguage } from '../i18n';

export function RoomLinkDialog({ meetingId, onClose }: { meetingId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [link, setLink] = useState<
    { status: 'loading' } | { status: 'ready'; data: TokenLink } | { status: 'error'; error: unknown }
  >({ status: 'loading' });
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    let live = true;
    api.roomToken(meetingId).then(
      (data) => {
        if (live) setLink({ status: 'ready', data });
      },
      (error: unknown) => {
        if (live) setLink({ status: 'error', error });
      },
    );
    return () => {
      live = false;
    };
  }, [meetingId]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const url = link.status === 'ready' ? new URL(link.data.url, window.location.origin).toString() : '';

  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="room-link-title"
        onClick={(e) => e.stopPropagation()}
        data-testid="room-link-dialog"
      >
        <div className="dialog__head">
          <h2 id="room-link-title">{t('live.control.roomLinkTitle')}</h2>
          <button type="button" className="icon-btn" onClick={onClose} aria-label={t('common.close')} title={t('common.close')}>
            <X aria-hidden />
          </button>
        </div>
        {link.status === 'loading' && <Loading />}
        {link.status === 'error' && <ErrorPanel message={errorMessage(t, link.error)} />}
        {link.status === 'ready' && (
          <>
            <p className="muted">{t('live.control.roomLinkHint')}</p>
            <input
              className="dialog__url"
              readOnly
              value={url}
              onFocus={(e) => e.target.select()}
              data-testid="room-link-url"
              aria-label={t('live.control.roomLinkTitle')}
            />
            <p className="muted dialog__small">
              {t('live.control.expires', {
                time: formatMeetingTime(link.data.expiresAt, currentLanguage()) ?? link.data.expiresAt,
              })}
            </p>
            <div className="dialog__actions">
              <button
                type="button"
                className="btn btn--secondary"
                onClick={() => {
                  void navigator.clipboard?.writeText(url).then(
                    () => setCopied(true),
                    () => undefined,
                  );
                }}
              >
                <Copy aria-hidden size={18} />
                {copied ? t('live.control.copied') : t('live.control.copy')}
              </button>
              <a className="btn btn--primary" href={url} target="_blank" rel="noopener">
                <ExternalLink aria-hidden size={18} />
                {t('live.control.open')}
              </a>
            </div>
          </>
        )}
      </div>
    </div>
  );
}
