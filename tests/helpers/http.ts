// Logged-in inject helpers: `session(app, 'chair')` gives a client that carries the cookie.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { App } from '../../server/app';

export interface Session {
  cookie: string;
  userId: string;
  request: (opts: InjectOptions) => Promise<LightMyRequestResponse>;
  get: (url: string, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
  post: (url: string, body?: unknown) => Promise<LightMyRequestResponse>;
  patch: (url: string, body?: unknown) => Promise<LightMyRequestResponse>;
  put: (url: string, body?: unknown) => Promise<LightMyRequestResponse>;
  del: (url: string) => Promise<LightMyRequestResponse>;
}

export function asCookie(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.map((c) => c.split(';')[0]).join('; ');
}

export function client(app: App, cookie = ''): Omit<Session, 'userId'> {
  const request = (opts: InjectOptions) => app.inject({ ...opts, headers: { ...(cookie ? { cookie } : {}), ...opts.headers } });
  const json = (method: 'POST' | 'PATCH' | 'PUT') => (url: string, body?: unknown) =>
    request({ method, url, ...(body === undefined ? {} : { payload: body as object }) });
  return {
    cookie,
    request,
    get: (url, headers) => request({ method: 'GET', url, headers }),
    post: json('POST'),
    patch: json('PATCH'),
    put: json('PUT'),
    del: (url) => request({ method: 'DELETE', url }),
  };
}

export async function session(app: App, username: string, password = 'demo1234'): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  return { ...client(app, asCookie(res)), userId: res.json().user.id };
}

/** multipart/form-data body with one file field, for app.inject. */
export function multipartFile(bytes: Uint8Array, filename = 'file.pdf', field = 'file', type = 'application/pdf') {
  const boundary = `----hopso${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, Buffer.from(bytes), tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Uploads a file to a meeting as `s` (POST /api/meetings/:id/documents, multipart), answer unchecked. */
export function uploadDocument(s: Pick<Session, 'request'>, meetingId: string, bytes: Uint8Array, filename = 'file.pdf') {
  const mp = multipartFile(bytes, filename);
  return s.request({ method: 'POST', url: `/api/meetings/${meetingId}/documents`, payload: mp.payload, headers: mp.headers });
}
