// `node --import ./tests/helpers/module-probe.mjs server/main.js`: records which modules a process
// has loaded, for tests/integration/start-footprint.test.ts. Two sources, because Node 20's module
// hooks see only the ESM loader: every URL the ESM loader loads (hooks thread, appended to
// MODULE_PROBE_FILE as it happens), and on SIGUSR2 the CommonJS cache (require() calls made
// inside CommonJS packages), appended to the same file followed by a line `#cjs-done`.
import fs from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.MODULE_PROBE_FILE;
if (file) {
  register('./module-probe-hooks.mjs', import.meta.url, { data: { file } });
  const require = createRequire(import.meta.url);
  process.on('SIGUSR2', () => {
    const lines = Object.keys(require.cache).map((p) => `cjs ${p}`);
    fs.appendFileSync(file, `${lines.join('\n')}\n#cjs-done\n`);
  });
}
