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
  /** official signing keys (docs/design-notes.md): a deferred signature whose CMS or raw signature does not verify */
  SIGNATURE_INVALID: 422,
  /** a deferred signature over something else than the digest the server prepared */
  SIGNATURE_DIGEST_MISMATCH: 422,
  /** the signer's certificate does not chain to a CA the administrator trusts */
  CERTIFICATE_UNTRUSTED: 422,
  /** the signer's certificate is expired or not yet valid at the signing time */
  CERTIFICATE_NOT_VALID: 422,
  /** an uploaded (trusted CA) certificate that cannot be read or is not a CA */
  BAD_CERTIFICATE: 400,
  /** a prepared deferred signature past its time: prepare again */
  SIGNING_REQUEST_EXPIRED: 410,
  /** the configured Time-Stamp Authority did not answer with a timestamp; nothing was signed */
  TSA_UNAVAILABLE: 503,
  /** the PKCS#11 token/HSM holds no key for this signer */
  SIGNING_KEY_MISSING: 409,
  /** the PKCS#11 token/HSM could not be opened or refused to sign */
  SIGNING_UNAVAILABLE: 503,
  /** an uploaded signature image that is not a PNG of sensible size */
  BAD_SIGNATURE_IMAGE: 415,
  /** a confidential document's original, or its annotated export, asked for by a member who may read it only watermarked */
  CONFIDENTIAL_DOCUMENT: 403,
  /** a confidential document's watermarked copy that could not be made in its time; try again later */
  WATERMARK_FAILED: 503,
  /** the LDAP directory did not answer (down, unreachable, timed out): local accounts still sign in */
  DIRECTORY_UNAVAILABLE: 503,
  /** a directory sign-in whose username already belongs to a local account (never taken over) */
  DIRECTORY_CONFLICT: 409,
  /** OpenID Connect callbacks refused (logged with audit 'oidc.refused'): the state is not the one this
   *  browser's sign-in sent, the ID token's nonce, issuer or audience is not ours, the provider refused
   *  the code (expired, used already, another verifier), the person or provider refused the sign-in,
   *  or the answer is otherwise malformed */
  OIDC_STATE_MISMATCH: 401,
  OIDC_NONCE_MISMATCH: 401,
  OIDC_ISSUER_MISMATCH: 401,
  OIDC_AUDIENCE_MISMATCH: 401,
  OIDC_CODE_REJECTED: 401,
  OIDC_DENIED: 401,
  OIDC_INVALID_RESPONSE: 401,
  /** an OIDC callback for a sign-in this browser did not start here, or started more than ten minutes ago */
  OIDC_FLOW_EXPIRED: 401,
  /** a field the directory owns (name, unit, position, e-mail, mapped roles) edited on a directory account */
  DIRECTORY_OWNED: 409,
  /** a password set on a directory account (it signs in only through its directory) */
  DIRECTORY_PASSWORD: 409,
  /** publishing a document that is already circulated */
  ALREADY_PUBLISHED: 409,
  /** the chair (or presenter) shows live a document still a draft, which members cannot open: publish it first */
  DOCUMENT_DRAFT: 409,
  /** a new version of a document that already has a newer one: version the newest */
  NOT_LATEST_VERSION: 409,
  /** replying to (or re-issuing) an invitation that was never issued */
  INVITATION_NOT_ISSUED: 409,
  /** a new version of the invitation that changes nothing (time, place and title as issued) */
  INVITATION_UNCHANGED: 409,
  /** written opinions: an answer or a signature after the request's deadline (or once it is closed) */
  DEADLINE_PASSED: 409,
  /** a task's evidence file that is not a PDF, PNG or JPEG (by its bytes, not its name) */
  BAD_EVIDENCE_FILE: 415,
  /** the database cannot be reached (PostgreSQL down or restarting), or a write had to wait for another: nothing was written, try again */
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, x);
}
