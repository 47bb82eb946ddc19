import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { multipartFile, session } from '../helpers/http';
import { fixture } from '../helpers/fixtures';
import { backup } from '../../server/ops/backup';

let t: TestApp;
const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-backup-'));
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dest, { recursive: true, force: true });
});

describe('backup', () => {
  it("copies a running server's data; a server started on the copy has the meeting whole", async () => {
    const admin = await session(t.app, 'admin');
    const meeting = (await admin.post('/api/meetings', { title: 'Họp cần sao lưu' })).json();
    await admin.post(`/api/meetings/${meeting.id}/members`, { username: 'delegate3', role: 'participant' });
    const mp = multipartFile(fixture('tracemonkey.pdf'), 'tracemonkey.pdf');
    const doc = (
      await admin.request({
        method: 'POST',
        url: `/api/meetings/${meeting.id}/documents`,
        payload: mp.payload,
        headers: mp.headers,
      })
    ).json();
    expect((await admin.post(`/api/documents/${doc.id}/publish`)).statusCode).toBe(200); // a draft until sent (issue 15); delegate3 reads it

    const out = path.join(dest, 'copy');
    const r = await backup(t.dataDir, out);
    expect(r.files).toBeGreaterThanOrEqual(4); // three demo documents + tracemonkey

    // the source keeps working after the backup
    expect((await admin.get(`/api/meetings/${meeting.id}`)).statusCode).toBe(200);

    const restored = await buildTestApp({ dataDir: out, seed: true });
    try {
      const d3 = await session(restored.app, 'delegate3');
      const detail = await d3.get(`/api/meetings/${meeting.id}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.json().meeting.title).toBe('Họp cần sao lưu');
      const file = await d3.get(`/api/documents/${doc.id}/file`);
      expect(file.statusCode).toBe(200);
      expect(Buffer.compare(file.rawPayload, fixture('tracemonkey.pdf'))).toBe(0);
      // the seed did not run again on the restored copy: one demo meeting only
      const demos = (await (await session(restored.app, 'admin')).get('/api/meetings'))
        .json()
        .filter((m: { title: string }) => m.title === 'Họp giao ban tháng 11');
      expect(demos).toHaveLength(1);
    } finally {
      await restored.close();
    }
  });

  it('refuses a non-empty destination', async () => {
    const busy = path.join(dest, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'x'), 'x');
    await expect(backup(t.dataDir, busy)).rejects.toThrow(/not empty/);
  });
});
