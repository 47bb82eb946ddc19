// Version comparison with inserted and removed pages (issue 15), on real PDFs made with pdf-lib and
// read by pdf.js at upload: pages are aligned by their text, so a page put in before page 3 is one
// new page, and the reworded page 3 (page 4 now) is the one changed page — not every later page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { multipartFile, session, type Session } from '../helpers/http';
import { INSERTED_PAGE, PAGE3_V1, PAGE3_V2, versionPdf, withInsertedPage, withoutPage } from '../helpers/version-pdfs';
import type { DocumentInfo, VersionChanges } from '../../shared/api';

let t: TestApp;
let chair: Session;
let meetingId: string;

const upload = async (bytes: Uint8Array, url: string) => {
  const mp = multipartFile(bytes, 'ke-hoach.pdf');
  const r = await chair.request({ method: 'POST', url, payload: mp.payload, headers: mp.headers });
  expect(r.statusCode).toBe(201);
  return r.json() as DocumentInfo;
};
const changes = async (id: string) => {
  const r = await chair.get(`/api/documents/${id}/changes`);
  expect(r.statusCode).toBe(200);
  const c = r.json() as VersionChanges;
  expect(c.comparable).toBe(true);
  return c;
};
const squeeze = (s: string) => s.replace(/\s+/g, '');

beforeAll(async () => {
  t = await buildTestApp({ config: { textBackfill: false } });
  chair = await session(t.app, 'chair');
  meetingId = (await chair.get('/api/meetings')).json()[0].id;
});
afterAll(async () => {
  await t.close();
});

describe('comparing versions whose pages were inserted or removed', () => {
  let v1: DocumentInfo, v2: DocumentInfo;

  it('a page inserted before the reworded page 3: one new page 2, and page 4 changed (page 3 before)', async () => {
    v1 = await upload(await versionPdf(1), `/api/meetings/${meetingId}/documents`);
    expect(v1.pageCount).toBe(5);
    v2 = await upload(await withInsertedPage(await versionPdf(2), 1), `/api/documents/${v1.id}/versions`);
    expect(v2.pageCount).toBe(6);
    const c = await changes(v2.id);
    expect(c.pages.map((p) => [p.page, p.previousPage, p.status])).toEqual([
      [2, null, 'added'],
      [4, 3, 'changed'],
    ]);
    expect(squeeze(c.pages[0]!.parts.map((p) => p.text).join(''))).toContain(squeeze(INSERTED_PAGE));
    const parts = c.pages[1]!.parts;
    const side = (skip: '+' | '-') =>
      squeeze(
        parts
          .filter((p) => p.op !== skip)
          .map((p) => p.text)
          .join(''),
      );
    expect(side('+')).toContain(squeeze(PAGE3_V1));
    expect(side('-')).toContain(squeeze(PAGE3_V2));
  });

  it('the inserted page taken out again: one removed page (page 2 of the version before)', async () => {
    const v3 = await upload(
      await withoutPage(await withInsertedPage(await versionPdf(2), 1), 1),
      `/api/documents/${v2.id}/versions`,
    );
    expect(v3.pageCount).toBe(5);
    const c = await changes(v3.id);
    expect(c.pages.map((p) => [p.page, p.previousPage, p.status])).toEqual([[2, 2, 'removed']]);
    expect(
      squeeze(
        c.pages[0]!.parts.filter((p) => p.op === '-')
          .map((p) => p.text)
          .join(''),
      ),
    ).toContain(squeeze(INSERTED_PAGE));
  });
});
