// Always-visible connection state: a coloured pill in the header (green online, amber while
// reconnecting, red offline), so nobody mistakes a stale screen for the meeting.
import { Wifi, WifiOff, Loader2 } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { ConnectionState } from './live-store';

export function ConnectionPill({ state }: { state: ConnectionState }) {
  const { t } = useTranslation();
  const Icon = state === 'online' ? Wifi : state === 'offline' ? WifiOff : Loader2;
  return (
    <span
      className={`conn-pill conn-pill--${state}`}
      role="status"
      aria-live="polite"
      aria-label={`${t('live.connectionLabel')}: ${t(`live.connection.${state}`)}`}
      data-testid="connection"
      data-connection={state}
    >
      <Icon aria-hidden size={16} className={state === 'connecting' || state === 'reconnecting' ? 'spin' : undefined} />
      <span className="conn-pill__text">{t(`live.connection.${state}`)}</span>
    </span>
  );
}
