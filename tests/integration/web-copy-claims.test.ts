// Several processes on one database (two apps on one DATA_DIR: the same SQLite file, or with
// TEST_DB=pg the same PostgreSQL database) each run the pending web-copy queue at start
// (server/services/web-copy-jobs.ts). A copy is claimed before it is made, so each pending copy is
// built by one process only; a claim whose process died (it never settles) expires and is taken over.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session, uploadDocument } from '../helpers/http';
import { scannedLikePdf } from '../helpers/scanned-pdf';
import { sqlAll, sqlRun } from '../helpers/raw-sql';
import { until } from '../helpers/live-client';

// small files get a copy too (any page count above 1): the copies are quick to make
const config = { textBackfill: false, pdfWebCopyMinPages: 1, pdfWebCopyMinBytes: 0 };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-webclaim-'));
const ids: string[] = [];
let claimedElsewhere = '';
let claimedToo = '';

beforeAll(async () => {
  // a process that records four pending copies and never makes them
  const first = await buildTestApp({ dataDir: dir, config });
  try {
    first.app.webCopies.stop();
    const a = await session(first.app, 'admin');
    const mid = (await a.get('/api/meetings')).json()[0].id;
    for (let i = 0; i < 5; i++) {
      const res = await uploadDocument(
        a,
        mid,
        await scannedLikePdf(6, { label: (p) => `Document ${i}, page ${p}` }),
        `d${i}.pdf`,
      );
      expect(res.statusCode).toBe(201);
      expect(res.json().webCopy).toBe('pending');
      ids.push(res.json().id);
    }
    // the last two are being made by a third process right now (fresh claims)
    [claimedElsewhere, claimedToo] = [ids[3]!, ids[4]!];
    for (const id of [claimedElsewhere, claimedToo])
      await sqlRun(
        first.app,
        'UPDATE documents SET web_claimed_by = ?, web_claimed_at = ? WHERE id = ?',
        'another-process',
        new Date().toISOString(),
        id,
      );
  } finally {
    await first.close();
  }
}, 120_000);
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const states = async (t: TestApp) =>
  Object.fromEntries(
    (
      await sqlAll<{ id: string; web_state: string; web_claimed_by: string | null }>(
        t.app,
        'SELECT id, web_state, web_claimed_by FROM documents',
      )
    )
      .filter((r) => ids.includes(r.id))
      .map((r) => [r.id, r]),
  );

describe('two processes on one database and the pending web copies', () => {
  it('each pending copy is built exactly once; a fresh claim of a third process is left alone, a stale one taken over', async () => {
    // both start together: each resumes the pending queue on ready
    const [a, b] = await Promise.all([buildTestApp({ dataDir: dir, config }), buildTestApp({ dataDir: dir, config })]);
    try {
      await Promise.all([a.app.webCopies.idle(), b.app.webCopies.idle()]);
      const made = () => a.app.webCopies.stats.made + b.app.webCopies.stats.made;
      expect(
        made(),
        `copies built: ${a.app.webCopies.stats.made} by one process, ${b.app.webCopies.stats.made} by the other`,
      ).toBe(3);
      expect(a.app.webCopies.stats.failed + b.app.webCopies.stats.failed).toBe(0);
      let s = await states(a);
      for (const id of ids.slice(0, 3)) expect(s[id], id).toMatchObject({ web_state: 'ready', web_claimed_by: null });
      // the third process's claim is fresh: nobody makes that copy behind its back
      expect(s[claimedElsewhere]).toMatchObject({ web_state: 'pending', web_claimed_by: 'another-process' });
      b.app.webCopies.kick();
      await b.app.webCopies.idle();
      expect(made()).toBe(3);

      // that process died: its claim grows old, and the next pass takes the copy over
      await sqlRun(
        a.app,
        'UPDATE documents SET web_claimed_at = ? WHERE id = ?',
        new Date(Date.now() - 3_600_000).toISOString(),
        claimedElsewhere,
      );
      a.app.webCopies.kick();
      b.app.webCopies.kick();
      await Promise.all([a.app.webCopies.idle(), b.app.webCopies.idle()]);
      expect(made()).toBe(4);
      s = await states(b);
      expect(s[claimedElsewhere]).toMatchObject({ web_state: 'ready', web_claimed_by: null });

      // with no upload and no restart to start a pass: a process that saw only others' claims passes
      // again when the oldest expires. The other claim now expires ten seconds from now.
      expect(s[claimedToo]).toMatchObject({ web_state: 'pending', web_claimed_by: 'another-process' });
      const ttl = a.app.webCopies.claimTtlMs;
      await sqlRun(
        a.app,
        'UPDATE documents SET web_claimed_at = ? WHERE id = ?',
        new Date(Date.now() - ttl + 10_000).toISOString(),
        claimedToo,
      );
      a.app.webCopies.kick(); // a pass that finds only that claim
      await a.app.webCopies.idle();
      expect((await states(a))[claimedToo]!.web_state).toBe('pending');
      await until(() => made() === 5, 60_000); // nobody kicks again
      await Promise.all([a.app.webCopies.idle(), b.app.webCopies.idle()]);
      expect((await states(a))[claimedToo]).toMatchObject({ web_state: 'ready', web_claimed_by: null });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 180_000);
});
