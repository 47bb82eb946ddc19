// Issue 20 item 5: what an upload may carry that the people reading it should not get. File names
// and PDF titles lose control and bidi-formatting characters (an override makes "x\u202Efdp.exe"
// read as "xexe.pdf"); JavaScript and launch actions are removed from the stored file, so no
// download (viewer copy or ?original=1) carries them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { multipartFile, session, type Session } from '../helpers/http';
import { fixture } from '../helpers/fixtures';
import { hostilePdfs, rawPdf } from '../helpers/raw-pdf';

let t: TestApp;
let admin: Session;
let meetingId: string;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await session(t.app, 'admin');
  meetingId = (await admin.get('/api/meetings')).json()[0].id;
});
afterAll(async () => {
  await t.close();
});

const upload = (bytes: Uint8Array, name: string) => {
  const mp = multipartFile(bytes, name);
  return admin.request({ method: 'POST', url: `/api/meetings/${meetingId}/documents`, ...mp });
};

/** Every object of the file written out uncompressed (qpdf QDF), so nothing hides in an object stream. */
function expanded(bytes: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-qdf-'));
  try {
    fs.writeFileSync(path.join(dir, 'in.pdf'), bytes);
    try {
      execFileSync('qpdf', ['--qdf', '--object-streams=disable', path.join(dir, 'in.pdf'), path.join(dir, 'out.pdf')], {
        stdio: 'ignore',
      });
    } catch (e) {
      if ((e as { status?: number }).status !== 3) throw e; // 3: warnings, file written
    }
    return fs.readFileSync(path.join(dir, 'out.pdf'), 'latin1');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ACTIVE = /\/(JavaScript|JS|Launch|AA)\b/;

describe('uploaded names and titles', () => {
  it('strips bidi overrides, isolates, marks and C0/C1 controls from the file name', async () => {
    const name = 'Bao\u0007cao\u0085 \u2067x\u2069\u200f invoice\u202Efdp.exe';
    const res = await upload(fixture('tracemonkey.pdf'), name);
    expect(res.statusCode).toBe(201);
    expect(res.json().filename).toBe('Baocao x invoicefdp.exe');
    const listed = (await admin.get(`/api/meetings/${meetingId}/documents`)).json() as { id: string; filename: string }[];
    expect(listed.find((d) => d.id === res.json().id)?.filename).toBe('Baocao x invoicefdp.exe');
  });

  it('strips them from a title the organiser writes too, and keeps Vietnamese', async () => {
    // an upload is titled after its file name (issue 23: PDF Title metadata is what the authoring
    // tool left); the title an organiser writes later goes through the same cleaning
    const res = await upload(fixture('tracemonkey.pdf'), 'title.pdf');
    expect(res.statusCode).toBe(201);
    const renamed = await admin.request({
      method: 'PATCH',
      url: `/api/documents/${res.json().id}`,
      payload: { title: 'Bi\u00ean b\u1ea3n \u202Eh\u1ecdp\u202C\u200F' },
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().title).toBe('Biên bản họp');
  });
});

describe('active content', () => {
  it('a PDF with an OpenAction script, a Launch action and /AA: stored and served without any', async () => {
    const hostile = hostilePdfs.withJavaScript();
    expect(expanded(hostile)).toMatch(ACTIVE); // the check sees them in the upload
    const res = await upload(hostile, 'js.pdf');
    expect(res.statusCode).toBe(201);
    expect(res.json().pageCount).toBe(1);
    for (const url of [`/api/documents/${res.json().id}/file`, `/api/documents/${res.json().id}/file?original=1`]) {
      const file = await admin.get(url);
      expect(file.statusCode).toBe(200);
      const text = expanded(file.rawPayload);
      expect(text, url).not.toMatch(ACTIVE);
      expect(text, url).not.toContain('app.alert');
      expect(text, url).not.toContain('cmd.exe');
    }
  });

  it('an action hidden in a link annotation and in a compressed object stream is removed too', async () => {
    // the same actions, written by qpdf into object streams (nothing readable in the raw bytes)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-objstm-'));
    try {
      const plain = rawPdf([
        '<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript << /Names [(x) 5 0 R] >> >> >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>',
        '<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /JavaScript /JS (app.alert\\(1\\)) >> >>',
        '<< /S /JavaScript /JS (app.alert\\(2\\)) >>',
      ]);
      fs.writeFileSync(path.join(dir, 'in.pdf'), plain);
      execFileSync('qpdf', [
        '--object-streams=generate',
        '--compress-streams=y',
        path.join(dir, 'in.pdf'),
        path.join(dir, 'out.pdf'),
      ]);
      const packed = fs.readFileSync(path.join(dir, 'out.pdf'));
      expect(packed.toString('latin1')).not.toContain('/JavaScript');
      const res = await upload(packed, 'packed.pdf');
      expect(res.statusCode).toBe(201);
      const text = expanded((await admin.get(`/api/documents/${res.json().id}/file?original=1`)).rawPayload);
      expect(text).not.toMatch(ACTIVE);
      expect(text).not.toContain('app.alert');
      expect(text).toContain('/Link'); // the annotation stays, without its action
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a PDF without active content is stored byte for byte', async () => {
    const tm = fixture('tracemonkey.pdf');
    const res = await upload(tm, 'tm.pdf');
    const file = await admin.get(`/api/documents/${res.json().id}/file?original=1`);
    expect(Buffer.compare(file.rawPayload, tm)).toBe(0);
  });
});
