// Client build: root is client/, output client/dist (served by server/plugins/client-app.ts).
// pdf.js needs its cmaps, standard fonts and wasm decoders as plain files at runtime; they are
// served from node_modules in dev and copied into dist/pdfjs/ at build time (no extra plugin dep).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

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
        if (!dir || !(PDFJS_ASSET_DIRS as readonly string[]).includes(dir) || !file.startsWith(pdfjsDir) || !fs.existsSync(file))
          return next();
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
  plugins: [
    react(),
    pdfjsAssets(),
    // The installable app (client/src/offline): Workbox precaches the shell (HTML, JS, CSS, icons,
    // the pdf.js worker); the new service worker waits ('prompt') until the user reloads from the
    // "new version" banner, so an open meeting is never swapped under the reader. Nothing under
    // /api or /socket.io is ever cached by the worker: a member's meetings, documents and marks are
    // kept per account in IndexedDB (client/src/offline/offline-db.ts), which logging out deletes.
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icons/*.png'],
      manifest: {
        name: 'Họp Số',
        short_name: 'Họp Số',
        description: 'Phòng họp không giấy · Paperless meetings',
        lang: 'vi',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#1d4f91',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{html,js,mjs,css,png,svg,ico,woff2}'],
        // pdf.js's cmaps/fonts/wasm are many files a document may never need: cached when first used
        globIgnores: ['pdfjs/**'],
        maximumFileSizeToCacheInBytes: 6 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/socket\.io\//, /^\/metrics/],
        cleanupOutdatedCaches: true,
        runtimeCaching: [
          {
            urlPattern: ({ url }) => url.pathname.startsWith('/pdfjs/'),
            handler: 'CacheFirst',
            options: { cacheName: 'pdfjs-assets', expiration: { maxEntries: 400 } },
          },
        ],
      },
    }),
  ],
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
