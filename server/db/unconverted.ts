// On PostgreSQL there is no synchronous SQLite connection. While the last modules move to the
// asynchronous Store (docs/scale-out.md), `app.db` there is this stand-in: holding it is harmless,
// using it throws a message naming what was used, so a module still on the old handle fails at
// once (a 500 in the TEST_DB=pg pass) instead of writing to a database nobody reads.
import type { Db } from './client';

export class UnconvertedDbError extends Error {}

export function noSyncDb(): Db {
  return new Proxy(
    {},
    {
      get(_target, prop) {
        // asked by Fastify's decorate, Promise resolution and inspection: not a use
        if (typeof prop === 'symbol' || prop === 'getter' || prop === 'setter' || prop === 'then' || prop === 'toJSON')
          return undefined;
        throw new UnconvertedDbError(
          `the synchronous SQLite handle (db.${prop}) was used on PostgreSQL: this code is not on the asynchronous Store yet`,
        );
      },
    },
  ) as Db;
}
