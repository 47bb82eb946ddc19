// npm run backup [-- DEST]: a consistent copy of DATA_DIR (database + documents + keys), safe
// while the server runs; with DATABASE_URL, the PostgreSQL database through pg_dump. Restore:
// stop the server, point DATA_DIR at the copy (or copy it back); on PostgreSQL also
// `pg_restore --clean --if-exists --no-owner -d "$DATABASE_URL" DEST/hopso.pgdump` (docs/deployment.md).
import path from 'node:path';
import { backup } from '../server/ops/backup';
import { loadConfig } from '../server/config';

const config = loadConfig();
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const dest = path.resolve(process.argv[2] ?? path.join('backups', `hopso-${stamp}`));
const r = await backup(config.dataDir, dest, { databaseUrl: config.databaseUrl });
console.log(`Backup written to ${r.dir}: database ${(r.databaseBytes / 1024).toFixed(0)} KiB, ${r.files} document files.`);
