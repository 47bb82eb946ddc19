// Issue 14 item 1 (server RSS at start): the compiled server loads at start only what a request of
// any kind needs. Libraries that some requests need (certificates, mail, LDAP, calendars, version
// diffs, /metrics, Redis, PostgreSQL, PDF work) are loaded on first use. The server runs as in
// production (plain node on the build) with tests/helpers/module-probe.mjs, which records every
// module the process loads (ESM loader) and, on SIGUSR2, the CommonJS cache.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type ServerProcess } from '../helpers/server-process';

const probe = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../helpers/module-probe.mjs');

/** npm packages that must not be loaded before a request that needs them */
const LOADED_ON_FIRST_USE = [
  '@peculiar/x509',
  'reflect-metadata',
  'pkijs',
  'nodemailer',
  'ldapts',
  'ical-generator',
  'diff',
  'prom-client',
  'redis',
  '@redis/client',
  '@socket.io/redis-adapter',
  'pg',
  'pdfjs-dist',
  'pdf-lib',
  '@pdf-lib/fontkit',
  'piscina',
  // the OpenAPI document's builder (plugins/openapi.ts): only a request for /api/openapi.json loads it
  '@fastify/swagger',
  'yaml',
  'json-schema-resolver',
];

let dataDir: string;
let server: ServerProcess;
let probeFile: string;
let cookie = '';

/** The npm packages the server process has loaded so far (from the probe's file). */
async function loadedPackages(): Promise<Set<string>> {
  const before = fs.existsSync(probeFile) ? fs.readFileSync(probeFile, 'utf8').split('#cjs-done').length : 1;
  server.child.kill('SIGUSR2');
  const end = Date.now() + 10_000;
  while (fs.readFileSync(probeFile, 'utf8').split('#cjs-done').length === before) {
    if (Date.now() > end) throw new Error('the module probe did not answer');
    await new Promise((r) => setTimeout(r, 50));
  }
  const names = new Set<string>();
  for (const line of fs.readFileSync(probeFile, 'utf8').split('\n')) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-footprint-'));
  probeFile = path.join(dataDir, 'modules.txt');
  // the text backfill of the demo documents is pdf.js work a restarted server does not repeat
  const env = { TEXT_BACKFILL: '0' };
  // first start seeds the demo meeting (pdf-lib makes its documents); the server measured restarts on it
  await (await startServer(dataDir, await freePort(), env)).kill('SIGTERM');
  server = await startServer(
    dataDir,
    await freePort(),
    { ...env, MODULE_PROBE_FILE: probeFile },
    { nodeArgs: ['--import', probe] },
  );
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'chair', password: 'demo1234' }),
  });
  expect(login.status).toBe(200);
  cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0]!;
}, 120_000);

afterAll(async () => {
  await server?.kill();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('what the server loads at start', () => {
  it('holds what every request needs, and none of the libraries only some requests need', async () => {
    const loaded = await loadedPackages();
    // the probe sees packages loaded through import and through require (a probe that saw nothing
    // would pass the next check for nothing)
    for (const always of ['fastify', 'socket.io', 'better-sqlite3', 'engine.io', 'ws']) expect(loaded, always).toContain(always);
    expect(LOADED_ON_FIRST_USE.filter((p) => loaded.has(p))).toEqual([]);
  });

  it('loads such a library when a request needs it (a meeting calendar: ical-generator)', async () => {
    const meetings = (await (await fetch(`${server.url}/api/meetings`, { headers: { cookie } })).json()) as { id: string }[];
    const ics = await fetch(`${server.url}/api/meetings/${meetings[0]!.id}/calendar.ics`, { headers: { cookie } });
    expect(ics.status).toBe(200);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
    expect(await loadedPackages()).toContain('ical-generator');
  });

  it('builds the OpenAPI document on its first request (and loads @fastify/swagger then)', async () => {
    const doc = await fetch(`${server.url}/api/openapi.json`);
    expect(doc.status).toBe(200);
    const body = (await doc.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(body.openapi).toMatch(/^3/);
    expect(Object.keys(body.paths)).toContain('/api/auth/login');
    expect(await loadedPackages()).toContain('@fastify/swagger');
  });
});
