// Stable error codes shared by server and client. The HTTP status is part of the contract:
// a code always maps to the same status, so clients can branch on `code` alone.
export const ERROR_STATUS = {
  INVALID: 400,
  UNAUTHENTICATED: 401,
  BAD_CREDENTIALS: 401,
  FORBIDDEN: 403,
  BAD_ORIGIN: 403,
  NOT_FOUND: 404,
  /** a short-lived token (check-in QR) that is past its window */
  TOKEN_EXPIRED: 410,
  CONFLICT: 409,
  /** a vote cannot open: fewer voting members present (with proxies) than quorum needs */
  NO_QUORUM: 409,
  PAYLOAD_TOO_LARGE: 413,
  NOT_A_PDF: 415,
  PDF_UNREADABLE: 422,
  PDF_ENCRYPTED: 422,
  PDF_TOO_MANY_PAGES: 422,
  RANGE_NOT_SATISFIABLE: 416,
  RATE_LIMITED: 429,
  /** annotation limits (server/config.ts): too many points in one stroke, a note too long */
  STROKE_TOO_LONG: 413,
  NOTE_TOO_LONG: 413,
  /** too many failed logins from this address (or for this account from untrusted addresses): wait Retry-After seconds */
  LOGIN_THROTTLED: 429,
  /** one person's marks on one document are over the per-document caps (strokes or points) */
  ANNOTATION_QUOTA: 413,
  /** an annotated export refused while the same person already has that many exports running */
  EXPORT_BUSY: 429,
  /** an annotated export that could not be made in its time (or its worker failed); try again later */
  EXPORT_FAILED: 503,
  /** minutes (biên bản): finalised minutes are read-only; a correction is a new version */
  MINUTES_FINALIZED: 409,
  /** signing or downloading minutes that are still a draft */
  MINUTES_NOT_FINAL: 409,
  /** finalising a meeting that is still running or paused */
  MEETING_NOT_ENDED: 409,
  /** finalising a meeting that was never held, or where nobody is recorded present */
  MINUTES_EMPTY: 409,
  /** the chair signs after the secretary, never before */
  SIGNATURE_ORDER: 409,
  ALREADY_SIGNED: 409,
  /** only the meeting's secretary and chair sign its minutes */
  NOT_A_SIGNER: 403,
  /** an uploaded signature image that is not a PNG of sensible size */
  BAD_SIGNATURE_IMAGE: 415,
  /** a task's evidence file that is not a PDF, PNG or JPEG (by its bytes, not its name) */
  BAD_EVIDENCE_FILE: 415,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, x);
}
