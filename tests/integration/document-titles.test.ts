// Document names (issue 23): a new document is titled after its file name, not the PDF's Title
// metadata ("Microsoft Word - Document1"), and the organisers rename it with PATCH /api/documents/:id.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { multipartFile, session, type Session } from '../helpers/http';

let t: TestApp;
let chair: Session, secretary: Session, delegate: Session, admin: Session;
let meetingId: string;
let docId: string;

async function wordPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595.28, 841.89]);
  doc.setTitle('Microsoft Word - Document1');
  return doc.save();
}
const titleInDb = async (id: string) =>
  (
    await t.app.database.read((q, tt) =>
      q.select({ title: tt.documents.title }).from(tt.documents).where(eq(tt.documents.id, id)),
    )
  )[0]!.title;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await session(t.app, 'admin');
  chair = await session(t.app, 'chair');
  secretary = await session(t.app, 'secretary');
  delegate = await session(t.app, 'delegate1');
  meetingId = (await chair.get('/api/meetings')).json()[0].id;
});
afterAll(async () => {
  await t.close();
});

describe('document titles', () => {
  it('a new document is titled after its file name, not its PDF metadata', async () => {
    const mp = multipartFile(await wordPdf(), 'To_trinh_du_toan 2027.pdf');
    const res = await chair.request({
      method: 'POST',
      url: `/api/meetings/${meetingId}/documents`,
      payload: mp.payload,
      headers: mp.headers,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ filename: 'To_trinh_du_toan 2027.pdf', title: 'To_trinh_du_toan 2027.pdf' });
    docId = res.json().id;
    // a draft until published (issue 15): the delegate reads it below
    expect((await chair.post(`/api/documents/${docId}/publish`)).statusCode).toBe(200);
  });

  it('an organiser renames it; every reader sees the new title', async () => {
    const res = await secretary.request({
      method: 'PATCH',
      url: `/api/documents/${docId}`,
      payload: { title: '  Tờ trình   dự toán kinh phí  ' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: docId, title: 'Tờ trình dự toán kinh phí', filename: 'To_trinh_du_toan 2027.pdf' });
    expect((await delegate.get(`/api/documents/${docId}`)).json().title).toBe('Tờ trình dự toán kinh phí');
    const listed = (await delegate.get(`/api/meetings/${meetingId}/documents`)).json() as { id: string; title: string }[];
    expect(listed.find((d) => d.id === docId)?.title).toBe('Tờ trình dự toán kinh phí');
  });

  it('refuses a member who is not an organiser, a blank or overlong title, unknown fields, and changes nothing', async () => {
    const cases: [Session, unknown, number, string][] = [
      [delegate, { title: 'X' }, 403, 'FORBIDDEN'],
      [chair, { title: '   ' }, 400, 'INVALID'],
      [chair, { title: '\u202e\u0007' }, 400, 'INVALID'],
      [chair, { title: '' }, 400, 'INVALID'],
      [chair, { title: 'x'.repeat(201) }, 400, 'INVALID'],
      [chair, { title: 'X', filename: 'y.pdf' }, 400, 'INVALID'],
      [chair, {}, 400, 'INVALID'],
    ];
    for (const [who, body, status, code] of cases) {
      const res = await who.request({ method: 'PATCH', url: `/api/documents/${docId}`, payload: body as object });
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(await titleInDb(docId)).toBe('Tờ trình dự toán kinh phí');
    }
    const missing = await admin.request({ method: 'PATCH', url: '/api/documents/nope', payload: { title: 'X' } });
    expect(missing.statusCode).toBe(404);
  });
});
