// Turns any thrown value into a sentence for the user, keyed by the server's error code.
import type { TFunction } from 'i18next';
import { isApiError } from '../api/http';

export function errorMessage(t: TFunction, e: unknown): string {
  if (isApiError(e)) {
    switch (e.code) {
      case 'NETWORK':
      case 'UNAUTHENTICATED':
      case 'FORBIDDEN':
      case 'NOT_FOUND':
      case 'RATE_LIMITED':
      case 'INTERNAL':
        return t(`errors.${e.code}`);
      default:
        return t('errors.generic');
    }
  }
  return t('errors.generic');
}
