// fetch wrapper: same-origin JSON with the session cookie; every non-2xx becomes an ApiError
// carrying the server's stable error code (shared/errors.ts), so the UI branches on codes only.
import { isErrorCode, type ErrorCode } from '../../../shared/errors';

/** Codes the server sends, plus the two failures that never reach it. */
export type ClientErrorCode = ErrorCode | 'NETWORK' | 'BAD_RESPONSE';

export class ApiError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export async function readError(res: Response): Promise<ApiError> {
  try {
    const body: unknown = await res.json();
    if (typeof body === 'object' && body !== null && 'error' in body) {
      const err = (body as { error: unknown }).error;
      if (typeof err === 'object' && err !== null) {
        const { code, message } = err as { code?: unknown; message?: unknown };
        if (isErrorCode(code)) return new ApiError(code, typeof message === 'string' ? message : code, res.status);
      }
    }
  } catch {
    // not JSON (a proxy error page, say): fall through to a generic error
  }
  return new ApiError(res.status >= 500 ? 'INTERNAL' : 'BAD_RESPONSE', `HTTP ${res.status}`, res.status);
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      // Fastify refuses an empty body declared as JSON, so only say JSON when there is one.
      headers:
        body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError('NETWORK', e instanceof Error ? e.message : 'network error', 0);
  }
  if (!res.ok) throw await readError(res);
  if (res.status === 204) return undefined as T;
  try {
    return (await res.json()) as T;
  } catch {
    throw new ApiError('BAD_RESPONSE', 'Response was not JSON', res.status);
  }
}

export const http = {
  get: <T>(url: string, signal?: AbortSignal) => request<T>('GET', url, undefined, signal),
  post: <T>(url: string, body?: unknown) => request<T>('POST', url, body),
  put: <T>(url: string, body?: unknown) => request<T>('PUT', url, body),
  patch: <T>(url: string, body?: unknown) => request<T>('PATCH', url, body),
  del: <T>(url: string) => request<T>('DELETE', url),
};
