// A PDF that opens but whose first page paints nothing (empty.pdf renders blank; a recovered damaged
// file looks the same) is accepted with a warning the Prepare panel shows (issue 21), never silently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { multipartFile, session, type Session } from '../helpers/http';
import { fixture } from '../helpers/fixtures';
import { rawPdf } from '../helpers/raw-pdf';

let t: TestApp;
let chair: Session;
let mid = '';
beforeAll(async () => {
  t = await buildTestApp();
  chair = await session(t.app, 'chair');
  mid = (await chair.get('/api/meetings')).json()[0].id;
});
afterAll(async () => {
  await t.close();
});

const upload = async (bytes: Uint8Array, name: string) => {
  const mp = multipartFile(bytes, name);
  return chair.request({ method: 'POST', url: `/api/meetings/${mid}/documents`, payload: mp.payload, headers: mp.headers });
};

describe('documents that render blank', () => {
  it('flags a fixture whose only page paints nothing, and the meeting detail carries the warning', async () => {
    const res = await upload(fixture('empty.pdf'), 'empty.pdf');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ pageCount: 1, warning: 'blank-first-page' });
    const listed = (await chair.get(`/api/meetings/${mid}`)).json().documents.find((d: { id: string }) => d.id === res.json().id);
    expect(listed.warning).toBe('blank-first-page');
    expect((await chair.get(`/api/documents/${res.json().id}`)).json().warning).toBe('blank-first-page');
  });

  it('flags a page with no content stream at all', async () => {
    const blank = rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
    ]);
    expect((await upload(blank, 'trang-trang.pdf')).json().warning).toBe('blank-first-page');
  });

  it('does not flag ordinary documents (text, images, vector drawing)', async () => {
    for (const name of ['sizes.pdf', 'tracemonkey.pdf', 'alphatrans.pdf', 'scan-bad.pdf']) {
      const res = await upload(fixture(name), name);
      expect(res.statusCode, name).toBe(201);
      expect(res.json().warning, name).toBeNull();
    }
  });
});
