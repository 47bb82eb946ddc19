// The change notice on edit (issue 15): a change of time, place or title made from the meeting's
// edit form after the giấy mời went out issues the next version by itself — once, even when an
// officer issues one by hand at the same moment; nothing before an invitation exists, nothing for
// other fields, nothing once the meeting has started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session, type Session } from '../helpers/http';
import { command, connect, join } from '../helpers/live-client';

let t: TestApp;
let chair: Session, secretary: Session, d1: Session;
let mid: string;

const versions = async () =>
  (await secretary.get(`/api/meetings/${mid}/invitations`)).json().versions as {
    version: number;
    changes: string[];
    number: string;
  }[];
const changedNotes = async (who: Session) =>
  ((await who.get('/api/me/notifications?limit=50')).json().items as { kind: string }[]).filter(
    (n) => n.kind === 'invitation.changed',
  );

beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  chair = await session(t.app, 'chair');
  secretary = await session(t.app, 'secretary');
  d1 = await session(t.app, 'delegate1');
  mid = (await secretary.get('/api/meetings')).json()[0].id;
});
afterAll(async () => {
  await t.close();
});

describe('change notice on edit', () => {
  it('before any invitation, an edit issues nothing', async () => {
    expect(
      (await secretary.patch(`/api/meetings/${mid}`, { startsAt: '2026-12-10T01:30:00.000Z', location: 'Phòng họp số 1' }))
        .statusCode,
    ).toBe(200);
    expect(await versions()).toEqual([]);
  });

  it('an edit and a hand issue at the same moment give one version 2 and one notice per invitee', async () => {
    expect((await secretary.post(`/api/meetings/${mid}/invitations`, { number: '15/GM-UBND' })).statusCode).toBe(201);
    const [edit, hand] = await Promise.all([
      secretary.patch(`/api/meetings/${mid}`, { startsAt: '2026-12-11T01:30:00.000Z' }),
      chair.post(`/api/meetings/${mid}/invitations`, { number: '16/GM-UBND' }),
    ]);
    expect(edit.statusCode).toBe(200);
    // the hand issue either ran first (201, and the edit then found nothing to notify) or second (409)
    expect([201, 409]).toContain(hand.statusCode);
    if (hand.statusCode === 409) expect(hand.json().error.code).toBe('INVITATION_UNCHANGED');
    const v = await versions();
    expect(v.map((x) => x.version)).toEqual([2, 1]);
    expect(v[0]!.changes).toEqual(['startsAt']);
    expect(await changedNotes(d1)).toHaveLength(1);
  });

  it('a title change is noticed; a change of unit only is not', async () => {
    expect((await secretary.patch(`/api/meetings/${mid}`, { title: 'Họp giao ban tháng 12' })).statusCode).toBe(200);
    expect((await versions())[0]).toMatchObject({ version: 3, changes: ['title'], number: '15/GM-UBND' });
    expect((await secretary.patch(`/api/meetings/${mid}`, { organization: 'Phòng Tổng hợp' })).statusCode).toBe(200);
    expect((await versions()).length).toBe(3);
    expect(await changedNotes(d1)).toHaveLength(2);
  });

  it('once the meeting has started, an edit is saved but issues no notice', async () => {
    const so = await connect(t.url, { cookie: chair.cookie });
    try {
      await join(so, mid);
      expect((await command(so, mid, 'meeting.start', {})).ok).toBe(true);
    } finally {
      so.close();
    }
    const r = await secretary.patch(`/api/meetings/${mid}`, { location: 'Hội trường B' });
    expect(r.statusCode).toBe(200);
    expect(r.json().location).toBe('Hội trường B');
    expect((await versions()).length).toBe(3);
  });
});
