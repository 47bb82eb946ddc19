// `npm run dev`: the API server (tsx watch, port 3000) and Vite's dev server (port 5173, with
// hot reload) which proxies /api and /socket.io to it. Open http://localhost:5173.
import { spawn } from 'node:child_process';

const children = [
  spawn('npx', ['tsx', 'watch', 'server/main.ts', '--dev'], { stdio: 'inherit' }),
  spawn('npx', ['vite', '--config', 'client/vite.config.ts'], { stdio: 'inherit' }),
];
let exiting = false;
const stop = (code) => {
  if (exiting) return;
  exiting = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  process.exitCode = code;
};
for (const c of children) c.on('exit', (code) => stop(code ?? 1));
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => stop(0));
