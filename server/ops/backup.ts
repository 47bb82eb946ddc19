// Consistent online backup: SQLite's backup API copies the database while the server keeps
// writing (WAL), then the content-addressed files are copied. Files are immutable once written,
// so copying them after the database snapshot can only add files the snapshot does not name yet —
// never miss one it does.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface BackupResult {
  dir: string;
  databaseBytes: number;
  files: number;
}

export async function backup(dataDir: string, destDir: string): Promise<BackupResult> {
  const dbFile = path.join(dataDir, 'hopso.db');
  if (!fs.existsSync(dbFile)) throw new Error(`No database at ${dbFile}`);
  if (fs.existsSync(destDir) && fs.readdirSync(destDir).length > 0) throw new Error(`${destDir} is not empty`);
  fs.mkdirSync(destDir, { recursive: true });

  const src = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    await src.backup(path.join(destDir, 'hopso.db'));
  } finally {
    src.close();
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
  return { dir: destDir, databaseBytes: fs.statSync(path.join(destDir, 'hopso.db')).size, files };
}

function countFiles(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1;
  return n;
}
