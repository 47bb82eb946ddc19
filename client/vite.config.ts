// Client build: root is client/, output client/dist (served by server/plugins/client-app.ts).
// pdf.js needs its cmaps, standard fonts and wasm decoders as plain files at runtime; they are
// served from node_modules in dev and copied into dist/pdfjs/ at build time (no extra plugin dep).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const clientDir = path.dirname(fileURLToPath(import.meta.url));
const pdfjsDir = path.resolve(clientDir, '../node_modules/pdfjs-dist');
const PDFJS_ASSET_DIRS = ['cmaps', 'standard_fonts', 'wasm', 'iccs'] as const;

function pdfjsAssets(): Plugin {
  let outDir = '';
  return {
    name: 'hopso:pdfjs-assets',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use('/pdfjs', (req, res, next) => {
        const rel = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
        const [dir] = rel.split('/').filter(Boolean);
        const file = path.resolve(pdfjsDir, `.${rel}`);
        if (!dir || !(PDFJS_ASSET_DIRS as readonly string[]).includes(dir) || !file.startsWith(pdfjsDir) || !fs.existsSync(file)) return next();
        fs.createReadStream(file).pipe(res);
      });
    },
    writeBundle() {
      for (const dir of PDFJS_ASSET_DIRS) {
        const from = path.join(pdfjsDir, dir);
        if (fs.existsSync(from)) fs.cpSync(from, path.join(outDir, 'pdfjs', dir), { recursive: true });
      }
    },
  };
}

export default defineConfig({
  root: clientDir,
  plugins: [react(), pdfjsAssets()],
  build: {
    outDir: path.join(clientDir, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
});
