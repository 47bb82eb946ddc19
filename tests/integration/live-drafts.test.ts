// Drafts shown live (issue 15): the chair may not show a document that is still a draft (an upload
// not yet sent to the members) — followers would be put on a document they get NOT_FOUND for. The
// command is refused with DOCUMENT_DRAFT and changes nothing; once published, the same command works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { multipartFile, session, type Session } from '../helpers/http';
import { fixture } from '../helpers/fixtures';
import { userActor } from '../helpers/raw-sql';

let t: TestApp;
let chair: Session, secretary: Session, d1: Session;
let meetingId: string;
let draftId: string;

let chairActor: Awaited<ReturnType<typeof userActor>>;
const codeOf = async (f: () => Promise<unknown>): Promise<string | null> => {
  try {
    await f();
    return null;
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
};

beforeAll(async () => {
  t = await buildTestApp();
  chairActor = await userActor(t.app, 'chair');
  chair = await session(t.app, 'chair');
  secretary = await session(t.app, 'secretary');
  d1 = await session(t.app, 'delegate1');
  meetingId = (await chair.get('/api/meetings')).json()[0].id;
  const mp = multipartFile(fixture('tracemonkey.pdf'), 'Dự thảo nghị quyết.pdf');
  const up = await secretary.request({
    method: 'POST',
    url: `/api/meetings/${meetingId}/documents`,
    payload: mp.payload,
    headers: mp.headers,
  });
  expect(up.statusCode).toBe(201);
  draftId = up.json().id;
  expect(
    (await t.app.live.execute(chairActor, { id: 'd-start', meetingId, type: 'meeting.start', payload: {} })).event,
  ).toBeTruthy();
});
afterAll(async () => {
  await t.close();
});

describe('showing a draft live', () => {
  it('is refused with DOCUMENT_DRAFT (show and page turn) and the follow state does not move', async () => {
    const before = (await t.app.live.runtime.current(meetingId)).follow;
    expect(
      await codeOf(() =>
        t.app.live.execute(chairActor, { id: 'd-show', meetingId, type: 'document.show', payload: { documentId: draftId } }),
      ),
    ).toBe('DOCUMENT_DRAFT');
    expect(
      await codeOf(() =>
        t.app.live.execute(chairActor, {
          id: 'd-page',
          meetingId,
          type: 'page.set',
          payload: { documentId: draftId, page: 2 },
        }),
      ),
    ).toBe('DOCUMENT_DRAFT');
    expect((await t.app.live.runtime.current(meetingId)).follow).toEqual(before);
  });

  it('a member indeed cannot open the draft, and after publishing the chair shows it and the member opens it', async () => {
    expect((await d1.get(`/api/documents/${draftId}/file`)).statusCode).toBe(404);
    expect((await secretary.post(`/api/documents/${draftId}/publish`)).statusCode).toBe(200);
    const shown = await t.app.live.execute(chairActor, {
      id: 'd-show-2',
      meetingId,
      type: 'document.show',
      payload: { documentId: draftId },
    });
    expect(shown.event?.type).toBe('document.show');
    expect(
      (
        await t.app.live.execute(chairActor, {
          id: 'd-page-2',
          meetingId,
          type: 'page.set',
          payload: { documentId: draftId, page: 3 },
        })
      ).event?.type,
    ).toBe('page.set');
    expect((await t.app.live.runtime.current(meetingId)).follow).toMatchObject({ documentId: draftId, page: 3 });
    expect((await d1.get(`/api/documents/${draftId}/file`)).statusCode).toBe(200);
  });
});
