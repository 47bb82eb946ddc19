// `npm run build:server` (or `node scripts/build-server.mjs OUT_DIR`, default dist/): compiles the server to plain JavaScript for `node dist/server/main.js`
// (production runs no TypeScript loader: less memory, faster start). One bundle for the server
// and one per worker script, npm packages left as imports (resolved from node_modules as in the
// source), and the files read at run time copied beside the build (server/locate.ts finds them).
import { build } from 'esbuild';
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(root, process.argv[2] ?? 'dist');
const rel = (p) => path.join(out, p);

// npm packages stay imports resolved from node_modules, except these pure-JavaScript ones loaded
// at start, which are bundled in: Node keeps a module record per file (~35 KB each), and typebox
// alone is 500+ files (bundled: 18 MB less RSS at start, measured with tests/helpers/module-probe.mjs)
const BUNDLED = new Set(['typebox', 'drizzle-orm']);
const packageName = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');
const bundleSome = {
  name: 'bundle-some-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      BUNDLED.has(packageName(args.path)) ? undefined : { path: args.path, external: true },
    );
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [bundleSome],
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  define: { __HOPSO_BUILD__: 'true' },
};

await rm(path.join(out, 'server'), { recursive: true, force: true });
await rm(path.join(out, 'migrations'), { recursive: true, force: true });
// splitting: what the server imports on first use (minutes PDFs, signing) stays in chunks loaded then,
// not at start; chunks sit beside main.js so that import.meta.url means dist/server/ in any of them
await build({
  ...common,
  entryPoints: ['server/main.ts'],
  outdir: rel('server'),
  splitting: true,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
});
// Workers: each its own file, found by server/locate.ts under dist/server/pdf/ with the source's name.
const workers = {
  'inspect-worker.mjs': 'server/pdf/inspect-worker.mjs',
  'web-copy-worker.mjs': 'server/pdf/web-copy-worker.mjs',
  'sanitize-worker.mjs': 'server/pdf/sanitize-worker.mjs',
  'text-worker.mjs': 'server/pdf/text-worker.mjs',
  'export-worker.mjs': 'server/pdf/export-task.ts',
  'watermark-worker.mjs': 'server/pdf/watermark-task.ts',
};
for (const [name, entry] of Object.entries(workers)) {
  await build({ ...common, entryPoints: [entry], outfile: rel(`server/pdf/${name}`) });
}
await cp(path.join(root, 'migrations'), path.join(out, 'migrations'), { recursive: true });
