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
  PAYLOAD_TOO_LARGE: 413,
  NOT_A_PDF: 415,
  PDF_UNREADABLE: 422,
  PDF_ENCRYPTED: 422,
  PDF_TOO_MANY_PAGES: 422,
  RANGE_NOT_SATISFIABLE: 416,
  RATE_LIMITED: 429,
  ACCOUNT_LOCKED: 429,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, x);
}
