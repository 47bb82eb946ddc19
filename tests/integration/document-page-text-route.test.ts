// GET /api/documents/:id/text: the page text read at upload, served to whoever may read the document
// (for the viewer's find), never for a draft to a member, a stranger, or anybody for a confidential
// document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { client, multipartFile, session, type Session } from '../helpers/http';
import { fixture } from '../helpers/fixtures';
import { documentPageTexts } from '../../server/services/document-text';

let t: TestApp;
let chair: Session, d1: Session, outsider: Session;
let docId: string;

beforeAll(async () => {
  t = await buildTestApp({ config: { textBackfill: false } });
  chair = await session(t.app, 'chair');
  d1 = await session(t.app, 'delegate1');
  const admin = await session(t.app, 'admin');
  expect(
    (await admin.post('/api/users', { username: 'outsider', fullName: 'Người ngoài', password: 'demo1234x' })).statusCode,
  ).toBe(201);
  outsider = await session(t.app, 'outsider', 'demo1234x');
  const meetingId = (await chair.get('/api/meetings')).json()[0].id;
  const mp = multipartFile(fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
  const up = await chair.request({
    method: 'POST',
    url: `/api/meetings/${meetingId}/documents`,
    payload: mp.payload,
    headers: mp.headers,
  });
  expect(up.statusCode).toBe(201);
  docId = up.json().id;
});
afterAll(async () => {
  await t.close();
});

describe('GET /api/documents/:id/text', () => {
  it('is NOT_FOUND for a member while the document is a draft; the organiser reads it', async () => {
    const draft = await d1.get(`/api/documents/${docId}/text`);
    expect(draft.statusCode).toBe(404);
    expect(draft.json().error.code).toBe('NOT_FOUND');
    const own = await chair.get(`/api/documents/${docId}/text`);
    expect(own.statusCode).toBe(200);
    expect(own.json().state).toBe('done');
  });

  it("gives a member of the meeting every page's stored text once published, not kept by the HTTP cache", async () => {
    expect((await chair.post(`/api/documents/${docId}/publish`)).statusCode).toBe(200);
    const r = await d1.get(`/api/documents/${docId}/text`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const body = r.json() as { documentId: string; state: string; pages: string[] };
    expect(body.documentId).toBe(docId);
    expect(body.pages).toHaveLength(14);
    expect(body.pages).toEqual(await t.app.database.read((q, tt) => documentPageTexts(q, tt, docId)));
    expect(body.pages[0]!.replace(/\s+/g, '')).toContain('Trace-basedJust-in-TimeTypeSpecialization');
  });

  it('refuses strangers, the signed-out and bad ids without a 500', async () => {
    expect((await outsider.get(`/api/documents/${docId}/text`)).statusCode).toBe(404);
    const anon = client(t.app, '');
    expect((await anon.get(`/api/documents/${docId}/text`)).statusCode).toBe(401);
    for (const id of ['nope', '../../etc', 'x'.repeat(300)]) {
      const r = await d1.get(`/api/documents/${encodeURIComponent(id)}/text`);
      expect([400, 404, 414], id).toContain(r.statusCode); // 414: over Fastify's maxParamLength
    }
  });

  it("never serves a confidential document's text, to members nor to its organisers", async () => {
    expect((await chair.put(`/api/documents/${docId}/confidentiality`, { level: 'mat' })).statusCode).toBe(200);
    for (const s of [d1, chair]) {
      const r = await s.get(`/api/documents/${docId}/text`);
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('CONFIDENTIAL_DOCUMENT');
      expect(r.body).not.toContain('Trace-based');
    }
  });
});
