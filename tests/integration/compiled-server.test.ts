// Issue 14 item 1: the compiled server (scripts/build-server.mjs) runs under plain `node`, with no
// TypeScript loader, and finds what it reads at run time relative to the build: migrations (a fresh
// database), the PDF workers (an upload is inspected and cleaned, an annotated export is made in
// the export worker), the fonts (a flattened note).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type ServerProcess } from '../helpers/server-process';
import { hostilePdfs } from '../helpers/raw-pdf';
import { fixture } from '../helpers/fixtures';

let server: ServerProcess;
let dataDir: string;
let cookie = '';

const api = async (url: string, init: RequestInit = {}) =>
  fetch(`${server.url}${url}`, { ...init, headers: { cookie, ...init.headers } });

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-compiled-'));
  server = await startServer(dataDir, await freePort());
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

describe('the compiled server', () => {
  it('runs as plain node on the build, with no TypeScript loader', () => {
    const argv = fs.readFileSync(`/proc/${server.child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(argv.slice(1)).toEqual([expect.stringMatching(/server\/main\.js$/)]);
    const maps = fs.readFileSync(`/proc/${server.child.pid}/maps`, 'utf8');
    expect(maps).not.toContain('tsx');
  });

  it('inspects and cleans an upload in its built workers, and exports it annotated in the export worker', async () => {
    const meetings = (await (await api('/api/meetings')).json()) as { id: string }[];
    const mid = meetings[0]!.id;
    for (const [name, bytes] of [
      ['tm.pdf', fixture('tracemonkey.pdf')],
      ['js.pdf', hostilePdfs.withJavaScript()],
    ] as const) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), name);
      const up = await api(`/api/meetings/${mid}/documents`, { method: 'POST', body: form });
      expect(up.status, name).toBe(201);
      const doc = (await up.json()) as { id: string; pageCount: number };
      const file = Buffer.from(await (await api(`/api/documents/${doc.id}/file?original=1`)).arrayBuffer());
      if (name === 'js.pdf') expect(file.toString('latin1')).not.toContain('/JavaScript');
      else {
        expect(doc.pageCount).toBe(14);
        // each page's text was read in the built text worker before the 201 (issue 15)
        const db = new Database(path.join(dataDir, 'hopso.db'), { readonly: true });
        try {
          expect(db.prepare('select text_state s from documents where id = ?').get(doc.id)).toEqual({ s: 'done' });
          expect(db.prepare('select count(*) n from document_page_texts where document_id = ?').get(doc.id)).toEqual({ n: 14 });
        } finally {
          db.close();
        }
      }
      const exp = await api(`/api/documents/${doc.id}/annotated.pdf?flatten=1`);
      expect(exp.status, name).toBe(200);
      expect(
        Buffer.from(await exp.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    }
  });
});
