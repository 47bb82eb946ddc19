// Sentences for the organiser's failures, keyed by the server's error code.
import type { TFunction } from 'i18next';
import { isApiError } from '../api/http';
import { errorMessage } from '../components/errors';

export function uploadErrorMessage(t: TFunction, e: unknown): string {
  if (isApiError(e)) {
    switch (e.code) {
      case 'NOT_A_PDF':
      case 'PDF_UNREADABLE':
      case 'PDF_ENCRYPTED':
      case 'PDF_TOO_MANY_PAGES':
      case 'PAYLOAD_TOO_LARGE':
      case 'FORBIDDEN':
      case 'NETWORK':
        return t(`prepare.uploadErrors.${e.code}`);
      case 'NOT_LATEST_VERSION':
        return t('prepare.notLatestVersion');
      default:
        break;
    }
  }
  return t('prepare.uploadErrors.generic');
}

/** Any other organiser action: validation and conflicts get their own sentence, the rest the app's usual one. */
export function prepareErrorMessage(t: TFunction, e: unknown): string {
  if (isApiError(e) && e.code === 'INVALID') return t('prepare.invalid');
  if (isApiError(e) && e.code === 'CONFLICT') return t('prepare.conflict');
  if (isApiError(e) && e.code === 'ALREADY_PUBLISHED') return t('prepare.alreadyPublished');
  return errorMessage(t, e);
}
