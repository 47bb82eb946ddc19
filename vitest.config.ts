import os from 'node:os';
import { defineConfig } from 'vitest/config';

// Three projects: fast unit tests, integration tests on a real SQLite file / real sockets, and
// end-to-end tests in Debian's Chromium against a real server (they need `npm run build` first).
// Workers for the unit and integration files. Vitest's default is one less than the cores, which on
// a 2-core CI machine is ONE: every file ran after the other while the second core idled (an
// integration file mostly waits on its own server, sockets, SQLite and child processes). Two at
// least; the e2e files still run one at a time after them (fileParallelism: false below puts them in
// their own single-worker group: Chromium is CPU-heavy). The PostgreSQL pass (scripts/test-pg.sh,
// TEST_DB=pg) keeps vitest's default: its files share one cluster and were not measured in pairs.
const maxWorkers = process.env.TEST_DB === 'pg' ? undefined : Math.max(2, os.availableParallelism() - 1);

export default defineConfig({
  test: {
    maxWorkers,
    projects: [
      // unit tests include RSA key generation and PDF rendering: generous timeouts for a loaded 2-core CI box
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node', testTimeout: 30_000 } },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          // the demo is seeded once per run and copied per test (tests/helpers/demo-template.ts)
          globalSetup: ['tests/helpers/demo-template.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/helpers/demo-template.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
