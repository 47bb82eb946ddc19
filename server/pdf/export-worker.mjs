// The export worker when the server runs from its TypeScript source (tsx, vitest): loads
// export-task.ts through tsx in the worker thread. The build (scripts/build-server.mjs) writes a
// compiled dist/server/pdf/export-worker.mjs in its place, so production loads no TypeScript.
import { tsImport } from 'tsx/esm/api';

const task = await tsImport('./export-task.ts', import.meta.url);
export default task.default;
