// The PostgreSQL migrations (DATABASE_URL=postgres://…), generated from the pg mirror of the schema
// (server/db/schema-pg.ts) into their own folder; drizzle.config.ts keeps SQLite's in migrations/.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema-pg.ts',
  out: './migrations/pg',
});
