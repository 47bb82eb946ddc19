import os from 'node:os';
import { defineConfig } from 'vitest/config';

// Three projects: fast unit tests, integration tests on a real SQLite file / real sockets, and
// end-to-end tests in Debian's Chromium against a real server (they need `npm run build` first).
export default defineConfig({
  test: {
    // vitest's default is one worker per core minus one: a single worker on a 2-core CI box, which
    // leaves a core idle while a file waits on its server or browser. Two workers there measured
    // unit+integration 318 s against ≈ 400 s and e2e 273 s against ≈ 320 s (under load 3–9), the
    // PostgreSQL pass 92 s against 118–123 s, with every file passing.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
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
        },
      },
    ],
  },
});
