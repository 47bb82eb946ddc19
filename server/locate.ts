// Where the files the server reads at run time are: next to the running code, so the same lines
// work from the source (tsx: this file is server/locate.ts) and from the build (esbuild bundles it
// into dist/server/main.js, with the workers in dist/server/pdf/ and migrations in dist/migrations;
// scripts/build-server.mjs). Every other module asks here instead of using its own import.meta.url,
// which in the bundle would be main.js's.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Set to true by scripts/build-server.mjs (esbuild `define`); undefined when running the source. */
declare const __HOPSO_BUILD__: boolean | undefined;
const built = typeof __HOPSO_BUILD__ !== 'undefined' && __HOPSO_BUILD__;

const serverDirUrl = new URL('./', import.meta.url);
const serverDir = fileURLToPath(serverDirUrl);
/** The checkout: server/.. from the source, dist/server/../.. from the build. */
const appRoot = path.resolve(serverDir, built ? '../..' : '..');

/** A worker script under server/pdf/ (source) or dist/server/pdf/ (build). */
export const pdfWorkerUrl = (file: string): URL => new URL(`pdf/${file}`, serverDirUrl);

/** drizzle-kit's SQL: migrations/ beside server/, or its copy dist/migrations beside dist/server/. */
export const migrationsFolder = path.resolve(serverDir, '../migrations');

/** The client's Vite build (client/dist in the checkout), whichever way the server runs. */
export const defaultClientDist = path.join(appRoot, 'client/dist');
