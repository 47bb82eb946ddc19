// A refused or lost command as a sentence for the user.
import type { TFunction } from 'i18next';
import type { LiveAck } from './live-store';

const KNOWN = [
  'CONFLICT',
  'FORBIDDEN',
  'INVALID',
  'NOT_FOUND',
  'RATE_LIMITED',
  'TOKEN_EXPIRED',
  'TIMEOUT',
  'DOCUMENT_DRAFT',
] as const;

export function liveErrorMessage(t: TFunction, ack: LiveAck): string | null {
  if (ack.ok) return null;
  const code = ack.error.code;
  return (KNOWN as readonly string[]).includes(code)
    ? t(`live.errors.${code as (typeof KNOWN)[number]}`)
    : t('live.errors.generic');
}
