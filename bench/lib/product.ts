// Setting up the product for a benchmark over its public HTTP API: log in, find the demo meeting,
// start it, upload a document, show it.
import fs from 'node:fs';

export const PASSWORD = 'demo1234';
export const DRAWING_USERS = ['chair', 'secretary', 'delegate1', 'delegate2', 'delegate3', 'delegate4', 'delegate5'] as const;

export async function login(url: string, username: string): Promise<string> {
  const r = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: HTTP ${r.status}`);
  return r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

export async function api<T>(url: string, cookie: string, method: string, p: string, body?: unknown): Promise<T> {
  const r = await fetch(`${url}${p}`, {
    method,
    headers: { cookie, origin: url, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${p}: HTTP ${r.status} ${text.slice(0, 200)}`);
  return (text ? JSON.parse(text) : null) as T;
}

export interface DemoSetup {
  meetingId: string;
  cookies: Record<string, string>;
  documentId: string;
  pageCount: number;
}

/** Logs everyone in, finds the demo meeting and its first document (or uploads `pdfPath`). */
export async function demoSetup(url: string, opts: { users?: readonly string[]; pdfPath?: string } = {}): Promise<DemoSetup> {
  const users = opts.users ?? ['admin', ...DRAWING_USERS];
  const cookies: Record<string, string> = {};
  for (const u of users) cookies[u] = await login(url, u);
  const chair = cookies.chair ?? (await login(url, 'chair'));
  const meetings = await api<{ id: string }[]>(url, chair, 'GET', '/api/meetings');
  const meetingId = meetings[0]?.id;
  if (!meetingId) throw new Error('no demo meeting');
  let doc: { id: string; pageCount: number } | undefined;
  if (opts.pdfPath) doc = await uploadPdf(url, cookies.admin ?? (await login(url, 'admin')), meetingId, opts.pdfPath);
  else doc = (await api<{ id: string; pageCount: number }[]>(url, chair, 'GET', `/api/meetings/${meetingId}/documents`))[0];
  if (!doc) throw new Error('demo meeting has no document');
  return { meetingId, cookies, documentId: doc.id, pageCount: doc.pageCount };
}

export async function uploadPdf(
  url: string,
  cookie: string,
  meetingId: string,
  pdfPath: string,
): Promise<{ id: string; pageCount: number }> {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(pdfPath)], { type: 'application/pdf' }), 'bench-large.pdf');
  const r = await fetch(`${url}/api/meetings/${meetingId}/documents`, {
    method: 'POST',
    headers: { cookie, origin: url },
    body: form,
  });
  const text = await r.text();
  if (r.status !== 201) throw new Error(`upload: HTTP ${r.status} ${text.slice(0, 300)}`);
  const doc = JSON.parse(text) as { id: string; pageCount: number };
  // an upload is a draft only the officers see: circulated, as members read it
  const p = await fetch(`${url}/api/documents/${doc.id}/publish`, { method: 'POST', headers: { cookie, origin: url } });
  if (p.status !== 200) throw new Error(`publish: HTTP ${p.status} ${(await p.text()).slice(0, 300)}`);
  // the web copy is made in the background after the upload (services/web-copy-jobs.ts): measure the
  // document as it is served once that is done, as every reading after the first minutes is
  const deadline = Date.now() + 300_000;
  for (;;) {
    const m = await api<{ documents: { id: string; webCopy?: string | null }[] }>(
      url,
      cookie,
      'GET',
      `/api/meetings/${meetingId}`,
    );
    if (m.documents.find((d) => d.id === doc.id)?.webCopy !== 'pending') break;
    if (Date.now() > deadline) throw new Error('the web copy of the uploaded PDF was not ready in 5 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
  return doc;
}
