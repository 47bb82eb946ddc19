// Structured logs carry who/what/when, never passwords, session tokens or room tokens.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { loggerOptions } from '../../server/logger-options';
import { asCookie } from '../helpers/http';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-logs-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('logs', () => {
  it('hold no password, cookie or token', async () => {
    let text = '';
    const stream = new Writable({
      write(chunk, _enc, cb) {
        text += chunk.toString();
        cb();
      },
    });
    const config = loadConfig(
      { NODE_ENV: 'test' },
      { dataDir, seedDemo: true, loginRateLimitPerMinute: 1000, logLevel: 'debug' },
    );
    // the options the server runs with (server/logger-options.ts), only written to this stream
    const app = await buildApp(config, { logger: { ...loggerOptions(config), stream } });
    try {
      const secret = 'mat-khau-rat-bi-mat-42';
      await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'chair', password: secret } });
      const ok = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'chair', password: 'demo1234' },
      });
      const cookie = asCookie(ok);
      const token = cookie.split('=')[1]!;
      const meetings = (await app.inject({ method: 'GET', url: '/api/meetings', headers: { cookie } })).json();
      const room = await app.inject({ method: 'POST', url: `/api/meetings/${meetings[0].id}/room-token`, headers: { cookie } });
      const roomToken = room.json().token as string;
      await app.inject({ method: 'POST', url: '/api/room/session', payload: { token: roomToken } });
      // the personal calendar feed: its secret is the URL's path
      const feedUrl = (await app.inject({ method: 'POST', url: '/api/me/calendar-feed', headers: { cookie } })).json()
        .url as string;
      const feedPath = new URL(feedUrl).pathname;
      expect((await app.inject({ method: 'GET', url: feedPath })).statusCode).toBe(200);
      expect(text).toContain('/api/calendar/[Redacted].ics');
      expect(text).not.toContain(feedPath.slice('/api/calendar/'.length, -4));
      expect(text.length).toBeGreaterThan(500); // the requests were logged
      expect(text).toContain('"userId"');
      expect(text).not.toContain(secret);
      expect(text).not.toContain(token);
      expect(text).not.toContain(roomToken);
      expect(text).not.toMatch(/scrypt\$/);
    } finally {
      await app.close();
    }
  });
});
