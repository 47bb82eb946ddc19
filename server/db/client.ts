// Opens the SQLite file, sets pragmas, and applies drizzle-kit migrations from migrations/.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema';
import { scrubWalUntilDone } from './scrub';
import { migrationsFolder } from '../locate';
import { installSearch } from '../search/sqlite-fts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export function openDb(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const sqlite = new Database(path.join(dataDir, 'hopso.db'));
  sqlite.pragma('busy_timeout = 5000');
  // WAL: readers never block the writer. synchronous=NORMAL in WAL survives a process crash
  // (only an OS crash/power loss can lose the last commits): ~16x the throughput measured here (docs/design-notes.md, Stack traps).
  // Switching a new, empty file to WAL is done under the migration lock (below): two processes
  // converting together each hold a shared lock and want the exclusive one, a deadlock SQLite
  // breaks at once with SQLITE_BUSY, whatever the busy timeout (seen in CI with 4 processes).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Deleted or overwritten content is zeroed in the page, and freed pages are zeroed: a closed
  // secret vote's key and sealed ballots must not survive as stale bytes (server/live/vote-ballot-box.ts).
  sqlite.pragma('secure_delete = ON');
  const db = drizzle(sqlite, { schema }) as Db;
  withMigrationLock(dataDir, () => {
    sqlite.pragma('journal_mode = WAL');
    migrate(db, { migrationsFolder });
    // the search index lives beside the Drizzle schema (server/search/sqlite-fts.ts says why)
    installSearch(db);
  });
  // a crash may have come between a secret vote's close and the scrub of the WAL that followed it
  scrubWalUntilDone(db);
  return db;
}

/**
 * Several processes on one DATA_DIR start together (systemd, after an upgrade): Drizzle reads the
 * last applied migration before its BEGIN, so two of them would both apply the same migration and
 * the second would fail ("table already exists"). An exclusive transaction on a separate lock file
 * is a cross-process mutex that SQLite itself releases if the holder dies.
 */
function withMigrationLock(dataDir: string, fn: () => void): void {
  const lock = new Database(path.join(dataDir, 'hopso.migrate-lock'));
  try {
    lock.pragma('busy_timeout = 120000');
    lock.exec('BEGIN EXCLUSIVE');
    try {
      fn();
    } finally {
      lock.exec('COMMIT');
    }
  } finally {
    lock.close();
  }
}
