// The room screen reads the meeting and its documents with a room token only, and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { asCookie, client, multipartFile, session, type Session } from '../helpers/http';
import { fixture } from '../helpers/fixtures';

let t: TestApp;
let chair: Session, admin: Session;
let meetingId: string;
beforeAll(async () => {
  t = await buildTestApp();
  chair = await session(t.app, 'chair');
  admin = await session(t.app, 'admin');
  meetingId = (await chair.get('/api/meetings')).json()[0].id;
});
afterAll(async () => {
  await t.close();
});

async function roomCookie(token: string) {
  const res = await t.app.inject({ method: 'POST', url: '/api/room/session', payload: { token } });
  return { res, cookie: asCookie(res) };
}

describe('room screen HTTP access', () => {
  it('a room token opens the meeting and its documents, read-only', async () => {
    const { token } = (await chair.post(`/api/meetings/${meetingId}/room-token`)).json();
    const { res, cookie } = await roomCookie(token);
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/hs_room=.*Path=\/api\/room.*HttpOnly/i);
    const room = client(t.app, cookie);
    const detail = await room.get('/api/room/meeting');
    expect(detail.statusCode).toBe(200);
    expect(detail.json().meeting.title).toBe('Họp giao ban tháng 11');
    const doc = detail.json().documents[0];
    const file = await room.get(`/api/room/documents/${doc.id}/file`, { range: 'bytes=0-99' });
    expect(file.statusCode).toBe(206);
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // the cookie is no session: member routes stay closed
    expect((await room.get('/api/meetings')).statusCode).toBe(401);
    expect((await room.get(`/api/documents/${doc.id}/file`)).statusCode).toBe(401);
  });

  it('refuses forged tokens and documents of other meetings', async () => {
    const forged = await roomCookie(`${meetingId}.9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(forged.res.statusCode).toBe(401);
    expect(forged.res.json().error.code).toBe('UNAUTHENTICATED');
    expect((await client(t.app, 'hs_room=junk').get('/api/room/meeting')).statusCode).toBe(401);

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
    const { token } = (await chair.post(`/api/meetings/${meetingId}/room-token`)).json();
    const { cookie } = await roomCookie(token);
    expect((await client(t.app, cookie).get(`/api/room/documents/${otherDoc.id}/file`)).statusCode).toBe(404);
  });
});
