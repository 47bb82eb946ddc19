// The one loading spinner and the one error panel, so every screen fails and waits the same way.
import { AlertTriangle, Loader2, RotateCw } from 'lucide-react';
import { useTranslation } from 'react-i18next';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="status status--loading" role="status" aria-live="polite" data-state="loading">
      <Loader2 className="spin" aria-hidden size={28} />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function ErrorPanel({ title, message, onRetry }: { title?: string; message: string; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="status status--error" role="alert" data-state="error">
      <AlertTriangle aria-hidden size={32} />
      {title && <strong className="status__title">{title}</strong>}
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="btn btn--secondary" onClick={onRetry}>
          <RotateCw aria-hidden size={18} />
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
