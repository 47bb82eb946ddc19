// The room screen (projector, room cookie, no login) loads a document's existing marks: shared and
// presenter ones, whoever drew them, and never a private mark, not even the chair's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentAnnotations, InkPoint } from '../../shared/annotations';
import type { AnnotationLayer } from '../../shared/annotations';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { asCookie, client, multipartFile, session, type Session } from '../helpers/http';
import { fixture } from '../helpers/fixtures';
import { userActor } from '../helpers/raw-sql';

let t: TestApp;
let chair: Session, admin: Session;
let meetingId: string;
let docId: string;
beforeAll(async () => {
  t = await buildTestApp();
  chair = await session(t.app, 'chair');
  admin = await session(t.app, 'admin');
  meetingId = (await chair.get('/api/meetings')).json()[0].id;
  docId = (await chair.get(`/api/meetings/${meetingId}`)).json().documents[0].id;
});
afterAll(async () => {
  await t.close();
});

let n = 0;
async function draw(username: string, layer: AnnotationLayer): Promise<string> {
  const actor = await userActor(t.app, username);
  const strokeId = `roomstroke${String(++n).padStart(8, '0')}x${layer}`;
  const points: InkPoint[] = Array.from({ length: 5 }, (_, i) => [100 + i * 4, 200 + i, 0.5]);
  const res = await t.app.live.execute(actor, {
    id: `cmd-${strokeId}`,
    meetingId,
    type: 'stroke.add',
    payload: { strokeId, documentId: docId, page: 1, layer, tool: 'pen', color: '#d62828', width: 2, points },
  });
  expect(res.event?.type).toBe('stroke.add');
  return strokeId;
}

async function roomClient() {
  const { token } = (await chair.post(`/api/meetings/${meetingId}/room-token`)).json();
  const res = await t.app.inject({ method: 'POST', url: '/api/room/session', payload: { token } });
  return client(t.app, asCookie(res));
}

describe('room screen: existing marks', () => {
  it('returns shared and presenter marks, never private ones', async () => {
    const shared = await draw('delegate1', 'shared');
    const presenter = await draw('chair', 'presenter');
    const privateChair = await draw('chair', 'private');
    const privateDelegate = await draw('delegate2', 'private');
    const room = await roomClient();
    const res = await room.get(`/api/room/documents/${docId}/annotations`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as DocumentAnnotations;
    const ids = body.strokes.map((s) => s.strokeId);
    expect(ids).toEqual(expect.arrayContaining([shared, presenter]));
    expect(ids).not.toContain(privateChair);
    expect(ids).not.toContain(privateDelegate);
    expect(body.strokes.every((s) => s.layer !== 'private')).toBe(true);
    expect(body.documentId).toBe(docId);
    expect(body.canUndo).toBe(false);
    // the raw bytes hold no trace of a private stroke either
    expect(res.body).not.toContain(privateChair);
    // the chair, signed in, still sees their own private mark through the member route
    expect(
      (await chair.get(`/api/documents/${docId}/annotations`)).json().strokes.map((s: { strokeId: string }) => s.strokeId),
    ).toContain(privateChair);
  });

  it('needs the room cookie and refuses documents of other meetings', async () => {
    expect((await client(t.app, 'hs_room=junk').get(`/api/room/documents/${docId}/annotations`)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: `/api/room/documents/${docId}/annotations` })).statusCode).toBe(401);
    const other = (await admin.post('/api/meetings', { title: 'Khác' })).json();
    const mp = multipartFile(fixture('sizes.pdf'), 'sizes.pdf');
    const otherDoc = (
      await admin.request({
        method: 'POST',
        url: `/api/meetings/${other.id}/documents`,
        payload: mp.payload,
        headers: mp.headers,
      })
    ).json();
    const room = await roomClient();
    expect((await room.get(`/api/room/documents/${otherDoc.id}/annotations`)).statusCode).toBe(404);
  });
});
