// The watermark worker when the server runs from its TypeScript source (tsx, vitest): loads
// watermark-task.ts through tsx in the worker thread. The build (scripts/build-server.mjs) writes a
// compiled dist/server/pdf/watermark-worker.mjs in its place, so production loads no TypeScript.
import { tsImport } from 'tsx/esm/api';

const task = await tsImport('./watermark-task.ts', import.meta.url);
export default task.default;
