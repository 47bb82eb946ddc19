// Several processes opening one empty DATA_DIR at the same moment (systemd starts every instance
// together, also right after an upgrade that brought migrations): every one opens the database,
// each migration is applied once. Real processes, released together by a shared start time.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A process that waits (busy) until `at`, opens the database, and reports. */
function opener(dataDir: string, at: number): Promise<{ code: number | null; err: string }> {
  const script = `
    const { openDb } = await import(${JSON.stringify(path.join(root, 'server/db/client.ts'))});
    while (Date.now() < ${at}) {}
    openDb(${JSON.stringify(dataDir)}).$client.close();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, err: err.slice(-400) })));
}

describe('processes migrating together', () => {
  it('all open the database and each migration is applied once', async () => {
    const journal = JSON.parse(fs.readFileSync(path.join(root, 'migrations/meta/_journal.json'), 'utf8')) as {
      entries: unknown[];
    };
    // a few rounds: the window is milliseconds wide
    for (let round = 0; round < 3; round++) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-migrate-'));
      dirs.push(dataDir);
      const at = Date.now() + 4000; // after every process has loaded its modules
      const results = await Promise.all([1, 2, 3, 4].map(() => opener(dataDir, at)));
      expect(results.filter((r) => r.code !== 0).map((r) => r.err)).toEqual([]);
      const db = new Database(path.join(dataDir, 'hopso.db'), { readonly: true });
      try {
        expect((db.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBe(
          journal.entries.length,
        );
      } finally {
        db.close();
      }
    }
  });
});
