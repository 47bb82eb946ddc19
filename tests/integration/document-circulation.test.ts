// Documents circulated before the meeting (issue 15), on the real app with real sockets: drafts
// that members never see, publishing (officers only) with a notification, new versions compared by
// their text on real PDFs whose page 3 differs, marks that stay on the old version, and reading
// progress from real Socket.IO clients, written in batches, with a reminder to those who have not read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { multipartFile, session, type Session } from '../helpers/http';
import { command, connect, httpLogin, join, barrier, type LiveSocket } from '../helpers/live-client';
import { PAGE3_V1, PAGE3_V2, versionPdf } from '../helpers/version-pdfs';
import type { DocumentInfo, DocumentReads, MeetingDetail, VersionChanges } from '../../shared/api';
import type { DocumentAnnotations } from '../../shared/annotations';
import { countStatements, sqlCount } from '../helpers/raw-sql';

let t: TestApp;
let chair: Session, secretary: Session, d1: Session, d2: Session;
let meetingId: string;
let otherMeetingId: string;
let draftId: string;

const upload = (s: Session, bytes: Uint8Array, url: string, name = 'ke-hoach.pdf') => {
  const mp = multipartFile(bytes, name);
  return s.request({ method: 'POST', url, payload: mp.payload, headers: mp.headers });
};
const docs = async (s: Session) => (await s.get(`/api/meetings/${meetingId}/documents`)).json() as DocumentInfo[];
const detail = async (s: Session) => (await s.get(`/api/meetings/${meetingId}`)).json() as MeetingDetail;
const count = (sql: string, ...args: unknown[]) => sqlCount(t.app, sql, ...args);

beforeAll(async () => {
  t = await buildTestApp({ listen: true, config: { readFlushMs: 60_000, textBackfill: false } });
  chair = await session(t.app, 'chair');
  secretary = await session(t.app, 'secretary');
  d1 = await session(t.app, 'delegate1');
  d2 = await session(t.app, 'delegate2');
  meetingId = (await chair.get('/api/meetings')).json()[0].id;
  // a second meeting the delegates are not in
  otherMeetingId = (await chair.post('/api/meetings', { title: 'Họp riêng' })).json().id;
});
afterAll(async () => {
  await t.close();
});

describe('drafts and publishing', () => {
  it('an upload is a draft: the officers see it, a member sees it nowhere (list, meeting, agenda, file, marks)', async () => {
    const before = await docs(d1);
    const res = await upload(chair, await versionPdf(1), `/api/meetings/${meetingId}/documents`);
    expect(res.statusCode).toBe(201);
    const doc = res.json() as DocumentInfo;
    draftId = doc.id;
    expect(doc).toMatchObject({ publishedAt: null, version: 1, previousVersionId: null });
    const item = (await detail(chair)).agenda[0]!;
    expect(
      (await chair.post(`/api/meetings/${meetingId}/agenda/${item.id}/documents`, { documentId: draftId })).statusCode,
    ).toBeLessThan(300);

    expect((await docs(secretary)).map((d) => d.id)).toContain(draftId);
    expect((await docs(d1)).map((d) => d.id)).toEqual(before.map((d) => d.id));
    const m = await detail(d1);
    expect(m.documents.map((d) => d.id)).not.toContain(draftId);
    expect(m.agenda.flatMap((i) => i.documentIds)).not.toContain(draftId);
    expect((await detail(chair)).agenda[0]!.documentIds).toContain(draftId);
    for (const url of [
      `/api/documents/${draftId}`,
      `/api/documents/${draftId}/file`,
      `/api/documents/${draftId}/annotations`,
      `/api/documents/${draftId}/changes`,
    ]) {
      const r = await d1.get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.json().error.code).toBe('NOT_FOUND');
    }
    // the demo's documents, there before drafts existed, stay visible
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((d) => d.publishedAt !== null)).toBe(true);
  });

  it('a member cannot publish (a draft is not found for them; a published one is forbidden); nothing changes', async () => {
    const r = await d1.post(`/api/documents/${draftId}/publish`);
    expect(r.statusCode).toBe(404);
    const published = (await docs(d1))[0]!;
    const r2 = await d1.post(`/api/documents/${published.id}/publish`);
    expect(r2.statusCode).toBe(403);
    expect(r2.json().error.code).toBe('FORBIDDEN');
    expect(await count('select count(*) n from documents where id = ? and published_at is null', draftId)).toBe(1);
    expect(await count("select count(*) n from notifications where kind = 'document.published'")).toBe(0);
    expect((await chair.post('/api/documents/not-a-document/publish')).statusCode).toBe(404);
  });

  it('the secretary publishes: the date sent is kept, members see it and are notified (the publisher is not)', async () => {
    const r = await secretary.post(`/api/documents/${draftId}/publish`);
    expect(r.statusCode).toBe(200);
    const doc = r.json() as DocumentInfo;
    expect(Date.parse(doc.publishedAt!)).toBeGreaterThan(0);
    expect((await docs(d1)).map((d) => d.id)).toContain(draftId);
    expect((await d1.get(`/api/documents/${draftId}/file`)).statusCode).toBe(200);
    const bell = (await d1.get('/api/me/notifications')).json();
    expect(bell.items[0]).toMatchObject({ kind: 'document.published', meetingId, params: { title: 'ke-hoach.pdf', version: 1 } });
    expect(
      await count(
        "select count(*) n from notifications n join users u on u.id = n.user_id where n.kind = 'document.published' and u.username = 'secretary'",
      ),
    ).toBe(0);
    // publishing again: refused with a code, the date does not move
    const again = await secretary.post(`/api/documents/${draftId}/publish`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_PUBLISHED');
    expect((await docs(d1)).find((d) => d.id === draftId)!.publishedAt).toBe(doc.publishedAt);
  });
});

describe('versions', () => {
  let v2: DocumentInfo;
  let d1Cookie: string;
  let markId: string;

  it('a member cannot upload a version; a non-PDF is refused and nothing is stored', async () => {
    const n = await count('select count(*) n from documents');
    const r = await upload(d1, await versionPdf(2), `/api/documents/${draftId}/versions`);
    expect(r.statusCode).toBe(403);
    const bad = await upload(chair, new TextEncoder().encode('not a pdf '.repeat(100)), `/api/documents/${draftId}/versions`);
    expect(bad.statusCode).toBe(415);
    expect(await count('select count(*) n from documents')).toBe(n);
  });

  it("a member's marks on version 1 (made before version 2 exists)", async () => {
    d1Cookie = await httpLogin(t.url, 'delegate1');
    const s = await connect(t.url, { cookie: d1Cookie });
    try {
      await join(s, meetingId);
      const ack = await command(s, meetingId, 'stroke.add', {
        documentId: draftId,
        page: 3,
        layer: 'private',
        tool: 'note',
        color: '#d62828',
        width: 2,
        points: [[100, 700, 0.5]],
        text: 'Hỏi lại: 12 tỷ?',
      });
      expect(ack).toMatchObject({ ok: true });
      markId = (ack as { strokeId?: string }).strokeId ?? '';
    } finally {
      s.close();
    }
  });

  it('the chair uploads version 2: a draft of its own, linked; only the newest may be versioned', async () => {
    const r = await upload(chair, await versionPdf(2), `/api/documents/${draftId}/versions`, 'ke-hoach-lan-2.pdf');
    expect(r.statusCode).toBe(201);
    v2 = r.json();
    expect(v2).toMatchObject({ version: 2, previousVersionId: draftId, publishedAt: null, title: 'ke-hoach.pdf' });
    // members still see version 1 as the newest they have
    expect((await d1.get(`/api/documents/${draftId}`)).json().nextVersionId).toBeNull();
    expect((await chair.get(`/api/documents/${draftId}`)).json().nextVersionId).toBe(v2.id);
    const fork = await upload(chair, await versionPdf(2), `/api/documents/${draftId}/versions`);
    expect(fork.statusCode).toBe(409);
    expect(fork.json().error.code).toBe('NOT_LATEST_VERSION');
  });

  it('what changed is page 3 only, word by word, from the text of both real PDFs', async () => {
    const r = await chair.get(`/api/documents/${v2.id}/changes`);
    expect(r.statusCode).toBe(200);
    const c = r.json() as VersionChanges;
    expect(c).toMatchObject({ comparable: true, version: 2, previousVersion: 1, previousVersionId: draftId });
    expect(c.pages.map((p) => [p.page, p.status])).toEqual([[3, 'changed']]);
    const parts = c.pages[0]!.parts;
    const added = parts
      .filter((p) => p.op === '+')
      .map((p) => p.text)
      .join(' ');
    const removed = parts
      .filter((p) => p.op === '-')
      .map((p) => p.text)
      .join(' ');
    expect(added).toMatch(/15/);
    expect(added).toMatch(/2028/);
    expect(removed).toMatch(/12/);
    // each side rebuilds its version's text (the diff library shares whitespace between the sides)
    const side = (skip: '+' | '-') =>
      parts
        .filter((p) => p.op !== skip)
        .map((p) => p.text)
        .join('')
        .replace(/\s+/g, '');
    expect(side('+')).toContain(PAGE3_V1.replace(/\s+/g, ''));
    expect(side('-')).toContain(PAGE3_V2.replace(/\s+/g, ''));
    // a member may not see the changes of a draft version
    expect((await d1.get(`/api/documents/${v2.id}/changes`)).statusCode).toBe(404);
  });

  it("published, version 2 takes version 1's place on the agenda; the member's marks stay on version 1", async () => {
    expect((await chair.post(`/api/documents/${v2.id}/publish`)).statusCode).toBe(200);
    const m = await detail(d1);
    expect(m.agenda[0]!.documentIds).toContain(v2.id);
    expect(m.agenda[0]!.documentIds).not.toContain(draftId);
    expect(m.documents.find((d) => d.id === draftId)!.nextVersionId).toBe(v2.id);
    expect((await d1.get(`/api/documents/${v2.id}/changes`)).json().pages).toHaveLength(1);
    const marks = (await d1.get(`/api/documents/${draftId}/annotations`)).json() as DocumentAnnotations;
    expect(marks.strokes.map((s) => s.text)).toContain('Hỏi lại: 12 tỷ?');
    if (markId) expect(marks.strokes.map((s) => s.strokeId)).toContain(markId);
    const onV2 = (await d1.get(`/api/documents/${v2.id}/annotations`)).json() as DocumentAnnotations;
    expect(onV2.strokes).toHaveLength(0);
  });
});

describe('read tracking from real sockets', () => {
  let docId: string;
  let s1: LiveSocket;
  let pageCount: number;

  beforeAll(async () => {
    const d = (await docs(d1)).find((x) => x.pageCount >= 3 && x.nextVersionId === null)!;
    docId = d.id;
    pageCount = d.pageCount;
    s1 = await connect(t.url, { cookie: await httpLogin(t.url, 'delegate1') });
    await join(s1, meetingId);
  });
  afterAll(() => {
    s1.close();
  });

  const reads = async () => (await secretary.get(`/api/documents/${docId}/reads`)).json() as DocumentReads;
  const mine = (r: DocumentReads, userId: string) => r.readers.find((x) => x.userId === userId)!;

  it('the secretary sees the pages a member viewed at once, and they are written in one batch, not per page', async () => {
    const flushesBefore = t.app.reads.stats.flushes;
    for (const page of [1, 2, 3, 2, 1]) s1.emit('presence.update', { meetingId, following: false, documentId: docId, page });
    // a page the document does not have, a draft, another meeting: not counted
    s1.emit('presence.update', { meetingId, following: false, documentId: docId, page: pageCount + 1 });
    await barrier(s1);
    const r = await reads();
    expect(mine(r, d1.userId)).toMatchObject({ pages: [1, 2, 3], pagesViewed: 3 });
    expect(mine(r, d2.userId)).toMatchObject({ pagesViewed: 0, firstOpenedAt: null });
    // nothing written yet: gathered in memory
    expect(await count('select count(*) n from document_reads where document_id = ?', docId)).toBe(0);
    expect(t.app.reads.stats.flushes).toBe(flushesBefore);
    await t.app.reads.flush();
    expect(t.app.reads.stats.flushes).toBe(flushesBefore + 1);
    expect(await count('select count(*) n from document_reads where document_id = ? and pages_viewed = 3', docId)).toBe(1);
    // more pages merge with what was stored
    s1.emit('presence.update', { meetingId, following: false, documentId: docId, page: 3 });
    if (pageCount >= 4) s1.emit('presence.update', { meetingId, following: false, documentId: docId, page: 4 });
    await barrier(s1);
    await t.app.reads.flush();
    expect(mine(await reads(), d1.userId).pagesViewed).toBe(Math.min(4, pageCount));
  });

  it('a draft is not counted for a member who may not see it, nor can they mark it', async () => {
    const draft = (
      await upload(chair, await versionPdf(1), `/api/meetings/${meetingId}/documents`, 'nhap.pdf')
    ).json() as DocumentInfo;
    const mark = await command(s1, meetingId, 'stroke.add', {
      documentId: draft.id,
      page: 1,
      layer: 'private',
      tool: 'pen',
      color: '#d62828',
      width: 2,
      points: [
        [10, 10, 0.5],
        [20, 20, 0.5],
      ],
    });
    expect(mark).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await count('select count(*) n from annotation_strokes where document_id = ?', draft.id)).toBe(0);
    s1.emit('presence.update', { meetingId, following: false, documentId: draft.id, page: 1 });
    await barrier(s1);
    await t.app.reads.flush();
    expect(await count('select count(*) n from document_reads where document_id = ?', draft.id)).toBe(0);
  });

  it('a draft is counted once published; page turns of a published document then ask the database nothing', async () => {
    const draft = (
      await upload(chair, await versionPdf(2), `/api/meetings/${meetingId}/documents`, 'nhap-2.pdf')
    ).json() as DocumentInfo;
    const readsOf = async (id: string) =>
      mine((await secretary.get(`/api/documents/${id}/reads`)).json() as DocumentReads, d1.userId);
    // every lookup of a document for reading (server/realtime/socket-server.ts readableDoc) in this
    // process, on any connection (the store reads on its read-only one), by get or all
    const lookups = await countStatements(
      t.app,
      'select "meeting_id", "published_at", "page_count", "confidentiality" from "documents" where "documents"."id" = ?',
    );
    let base = 0;
    try {
      s1.emit('presence.update', { meetingId, following: false, documentId: draft.id, page: 1 });
      await barrier(s1);
      expect((await readsOf(draft.id)).pagesViewed).toBe(0);
      expect((await chair.post(`/api/documents/${draft.id}/publish`)).statusCode).toBe(200);
      base = lookups.count();
      s1.emit('presence.update', { meetingId, following: false, documentId: draft.id, page: 1 });
      await barrier(s1);
      // a draft is never kept: asked again, and now published, so counted
      expect(lookups.count() - base).toBe(1);
      expect((await readsOf(draft.id)).pages).toEqual([1]);
      base = lookups.count();
      for (let i = 0; i < 20; i++)
        s1.emit('presence.update', { meetingId, following: false, documentId: draft.id, page: (i % 2) + 1 });
      s1.emit('presence.update', { meetingId, following: false, documentId: draft.id, page: draft.pageCount + 1 });
      await barrier(s1);
      expect(lookups.count() - base).toBe(0);
      expect((await readsOf(draft.id)).pages).toEqual([1, 2]);
      // another document: looked up once, then kept in its place
      base = lookups.count();
      s1.emit('presence.update', { meetingId, following: false, documentId: docId, page: 1 });
      s1.emit('presence.update', { meetingId, following: false, documentId: docId, page: 2 });
      await barrier(s1);
      expect(lookups.count() - base).toBe(1);
    } finally {
      lookups.stop();
    }
  });

  it('only officers see progress and remind; a reminder goes to those who have not opened it', async () => {
    expect((await d1.get(`/api/documents/${docId}/reads`)).statusCode).toBe(403);
    expect((await d1.post(`/api/documents/${docId}/remind`)).statusCode).toBe(403);
    const r = await secretary.post(`/api/documents/${docId}/remind`);
    expect(r.statusCode).toBe(200);
    const reminded = r.json().reminded as string[];
    expect(reminded).toContain(d2.userId);
    expect(reminded).not.toContain(d1.userId);
    expect(reminded).not.toContain(secretary.userId);
    const bell = (await d2.get('/api/me/notifications')).json();
    expect(bell.items.some((n: { kind: string }) => n.kind === 'document.reminder')).toBe(true);
    const d1bell = (await d1.get('/api/me/notifications')).json();
    expect(d1bell.items.some((n: { kind: string }) => n.kind === 'document.reminder')).toBe(false);
    // a document of a meeting the member is not in: not found
    expect((await d1.get(`/api/meetings/${otherMeetingId}/documents`)).statusCode).toBe(404);
  });
});
