import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { multipartFile, session } from '../helpers/http';
import { fixture } from '../helpers/fixtures';
import { backup, PG_DUMP_FILE, restorePg } from '../../server/ops/backup';
import { openPg } from '../../server/db/client-pg';
import { PgStore } from '../../server/db/store-pg';
import { postgresAvailable, startPostgres } from '../helpers/postgres';
import { databaseFromTemplate, PG_TEMPLATES } from '../helpers/test-db';

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
    const r = await backup(t.dataDir, out, { databaseUrl: t.config.databaseUrl });
    expect(r.files).toBeGreaterThanOrEqual(4); // three demo documents + tracemonkey

    // the source keeps working after the backup
    expect((await admin.get(`/api/meetings/${meeting.id}`)).statusCode).toBe(200);

    // TEST_DB=pg: the dump restored into a database of its own
    const pgCopy = t.config.databaseUrl ? await databaseFromTemplate(PG_TEMPLATES.empty) : undefined;
    if (pgCopy) await restorePg(out, pgCopy.url);
    const restored = await buildTestApp({
      dataDir: out,
      seed: true,
      config: pgCopy ? { databaseUrl: pgCopy.url } : {},
    });
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
      await pgCopy?.drop();
    }
  });

  it('refuses a non-empty destination', async () => {
    const busy = path.join(dest, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'x'), 'x');
    await expect(backup(t.dataDir, busy)).rejects.toThrow(/not empty/);
  });
});

describe.skipIf(!postgresAvailable())('backup on PostgreSQL (DATABASE_URL)', () => {
  it('pg_dump while the store writes, then pg_restore into another database: the rows and the files', async () => {
    const cluster = await startPostgres();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-pgbackup-'));
    try {
      const store = new PgStore(await openPg(cluster.url));
      const dataDir = path.join(work, 'data');
      fs.mkdirSync(path.join(dataDir, 'files', 'ab'), { recursive: true });
      fs.writeFileSync(path.join(dataDir, 'files', 'ab', 'abcdef'), 'a stored document');
      const row = (i: number) => ({
        id: `u${i}`,
        username: `nguoi-dung-${i}`,
        fullName: `Người dùng ${i}`,
        passwordHash: 'x',
        createdAt: new Date().toISOString(),
      });
      await store.write(null, (tx, t) => tx.insert(t.users).values([1, 2, 3].map(row)));
      // writes keep landing while the dump runs: the dump is one snapshot, whole either way
      let writing = true;
      const writer = (async () => {
        for (let i = 100; writing; i++) await store.write(null, (tx, t) => tx.insert(t.users).values(row(i)));
      })();
      const out = path.join(work, 'backup');
      const r = await backup(dataDir, out, { databaseUrl: cluster.url.replace('//hop@', '//hop:not-printed@') });
      writing = false;
      await writer;
      await store.close();
      expect(fs.existsSync(path.join(out, PG_DUMP_FILE))).toBe(true);
      expect(r.files).toBe(1);
      expect(fs.readFileSync(path.join(out, 'files', 'ab', 'abcdef'), 'utf8')).toBe('a stored document');

      const restoredUrl = cluster.createDatabase('restored');
      await restorePg(out, restoredUrl);
      const restored = new PgStore(await openPg(restoredUrl));
      try {
        const names = await restored.read((q, t) => q.select({ name: t.users.fullName }).from(t.users));
        expect(names.map((n) => n.name)).toEqual(expect.arrayContaining(['Người dùng 1', 'Người dùng 2', 'Người dùng 3']));
        // the migrations journal came along: opening the restored database migrated nothing twice
        expect(names.length).toBeGreaterThanOrEqual(3);
      } finally {
        await restored.close();
      }
      // a failure names the tool, never the URL's password
      await expect(
        backup(dataDir, path.join(work, 'bad'), { databaseUrl: 'postgres://hop:s3cret@127.0.0.1:1/none' }),
      ).rejects.toThrow(/^pg_dump failed/);
      await expect(
        backup(dataDir, path.join(work, 'bad2'), { databaseUrl: 'postgres://hop:s3cret@127.0.0.1:1/none' }),
      ).rejects.not.toThrow(/s3cret/);
    } finally {
      cluster.stop();
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
