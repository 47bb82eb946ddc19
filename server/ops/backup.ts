// Consistent online backup: SQLite's backup API copies the database while the server keeps
// writing (WAL) — on PostgreSQL, pg_dump (one snapshot, custom format) — then the
// content-addressed files are copied. Files are immutable once written, so copying them after the
// database snapshot can only add files the snapshot does not name yet — never miss one it does.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';

const run = promisify(execFile);

/** The PostgreSQL dump's name inside a backup (restore: restorePg below, or pg_restore by hand). */
export const PG_DUMP_FILE = 'hopso.pgdump';

export interface BackupResult {
  dir: string;
  databaseBytes: number;
  files: number;
}

export async function backup(dataDir: string, destDir: string, opts: { databaseUrl?: string } = {}): Promise<BackupResult> {
  const dbFile = path.join(dataDir, 'hopso.db');
  if (fs.existsSync(destDir) && fs.readdirSync(destDir).length > 0) throw new Error(`${destDir} is not empty`);
  if (!opts.databaseUrl && !fs.existsSync(dbFile)) throw new Error(`No database at ${dbFile}`);
  fs.mkdirSync(destDir, { recursive: true });

  let dbOut: string;
  if (opts.databaseUrl) {
    dbOut = path.join(destDir, PG_DUMP_FILE);
    // the URL (with its password) is an argument of the child only, never printed
    await pgTool('pg_dump', ['--format=custom', '--no-owner', `--file=${dbOut}`, `--dbname=${opts.databaseUrl}`]);
  } else {
    dbOut = path.join(destDir, 'hopso.db');
    const src = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      await src.backup(dbOut);
    } finally {
      src.close();
    }
  }

  let files = 0;
  for (const sub of ['files', 'ca', 'keys']) {
    const from = path.join(dataDir, sub);
    if (!fs.existsSync(from)) continue;
    fs.cpSync(from, path.join(destDir, sub), { recursive: true, preserveTimestamps: true });
    if (sub === 'files') files = countFiles(path.join(destDir, sub));
  }
  for (const f of fs.readdirSync(dataDir)) {
    // small secrets kept beside the database (e.g. HMAC keys): copied with their modes
    if (f.endsWith('.key')) fs.copyFileSync(path.join(dataDir, f), path.join(destDir, f));
  }
  return { dir: destDir, databaseBytes: fs.statSync(dbOut).size, files };
}

/**
 * Restores a backup's PostgreSQL dump into the (empty or older) database at `databaseUrl`:
 * pg_restore replacing every object it holds. The files are restored by copying the backup's
 * folder into DATA_DIR, as for SQLite.
 */
export async function restorePg(backupDir: string, databaseUrl: string): Promise<void> {
  await pgTool('pg_restore', [
    '--clean',
    '--if-exists',
    '--no-owner',
    '--exit-on-error',
    `--dbname=${databaseUrl}`,
    path.join(backupDir, PG_DUMP_FILE),
  ]);
}

/** Debian's PostgreSQL client tools (postgresql-client); a failure says which, without the URL. */
async function pgTool(tool: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
  try {
    await run(tool, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { code?: unknown; stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${tool} not found: install Debian's postgresql-client`);
    throw new Error(
      `${tool} failed: ${String(e.stderr ?? err)
        .replace(/postgres(ql)?:\/\/[^\s"']*/g, 'postgres://…')
        .trim()}`,
    );
  }
}

function countFiles(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1;
  return n;
}
