// The configuration schema (server/config-schema.ts): a bad value of each kind stops the start with
// the variable's name and what is wrong, never a silent default; empty means unset; a secret's value
// is not echoed; the documented list (docs/configuration.md) is the schema's; and the real entry
// point prints one line and exits 1.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';
import { renderConfigDoc, ungroupedVariables } from '../../server/config-doc';

const refusal = (env: Record<string, string>): string => {
  try {
    loadConfig({ NODE_ENV: 'test', ...env });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
};

describe('configuration schema', () => {
  it('keeps the defaults and reads good values', () => {
    const c = loadConfig({ NODE_ENV: 'test' });
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      seedDemo: true,
      textBackfill: true,
      maxUploadBytes: 100 * 1024 * 1024,
      logLevel: 'info',
      liveSessionRecheckMs: 5000,
      trustProxy: false,
      publicUrl: 'http://localhost:3000',
      minutesPlaceName: '',
      databaseUrl: undefined,
    });
    const d = loadConfig({
      NODE_ENV: 'test',
      PORT: '8080',
      SEED_DEMO: '0',
      TEXT_BACKFILL: '0',
      MAX_UPLOAD_MB: '2.5',
      LOG_LEVEL: 'warn',
      READ_FLUSH_SECONDS: '0.5',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PUBLIC_URL: 'https://hop.example.vn',
      MINUTES_PLACE_NAME: '  Hà Nội ',
      PKCS11_MODULE: '/x.so',
      PKCS11_PIN: '1234',
      PKCS11_SLOT_INDEX: '0',
    });
    expect(d).toMatchObject({
      port: 8080,
      seedDemo: false,
      textBackfill: false,
      maxUploadBytes: 2.5 * 1024 * 1024,
      logLevel: 'warn',
      readFlushMs: 500,
      redisUrl: 'redis://127.0.0.1:6379',
      publicUrl: 'https://hop.example.vn',
      minutesPlaceName: 'Hà Nội',
      signing: { pkcs11: { slotIndex: 0, keyLabel: '{username}' } },
    });
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemo).toBe(false);
  });

  it('an empty value is an unset one', () => {
    expect(loadConfig({ NODE_ENV: 'test', PORT: '', MAX_UPLOAD_MB: '', SEED_DEMO: '', REDIS_URL: '' })).toMatchObject({
      port: 3000,
      maxUploadBytes: 100 * 1024 * 1024,
      seedDemo: true,
      redisUrl: undefined,
    });
  });

  it('names the variable and what is wrong, for a bad value of each kind', () => {
    expect(refusal({ PORT: 'abc' })).toBe('invalid configuration: PORT must be a whole number (got "abc")');
    expect(refusal({ PORT: '80.5' })).toMatch(/PORT must be a whole number \(got "80.5"\)/);
    expect(refusal({ PORT: '70000' })).toMatch(/PORT must be <= 65535 \(got "70000"\)/);
    expect(refusal({ MAX_PDF_PAGES: '0' })).toMatch(/MAX_PDF_PAGES must be >= 1 \(got "0"\)/);
    expect(refusal({ MAX_UPLOAD_MB: 'lots' })).toMatch(/MAX_UPLOAD_MB must be a number \(got "lots"\)/);
    expect(refusal({ SESSION_TTL_HOURS: '0' })).toMatch(/SESSION_TTL_HOURS must be > 0 \(got "0"\)/);
    expect(refusal({ SEED_DEMO: 'yes' })).toMatch(/SEED_DEMO must be one of 0, 1 \(got "yes"\)/);
    expect(refusal({ LOG_LEVEL: 'loud' })).toMatch(
      /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)/,
    );
    expect(refusal({ TSA_URL: 'ftp://tsa.example' })).toMatch(/TSA_URL must start with http:\/\/ or https:\/\//);
    expect(refusal({ MINUTES_PLACE_NAME: 'x'.repeat(101) })).toMatch(/MINUTES_PLACE_NAME must NOT have more than 100 characters/);
  });

  it('lists every bad variable at once, without echoing secrets', () => {
    const m = refusal({
      PORT: '-1',
      LIVE_COMMAND_BURST: 'many',
      SMTP_URL: 'mail.example.vn:25',
      PKCS11_PIN: '',
      REDIS_URL: 'http://user:hunter2@redis',
    });
    expect(m).toMatch(/PORT must be >= 0 \(got "-1"\)/);
    expect(m).toMatch(/LIVE_COMMAND_BURST must be a whole number \(got "many"\)/);
    expect(m).toMatch(/SMTP_URL must start with smtp:\/\/ or smtps:\/\/$/);
    expect(m).toMatch(/REDIS_URL must start with redis:\/\/ or rediss:\/\/;/);
    expect(m).not.toContain('hunter2');
    expect(m).not.toContain('mail.example.vn');
  });

  it('docs/configuration.md is generated from the schema and lists every variable', () => {
    expect(ungroupedVariables()).toEqual([]);
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/configuration.md'), 'utf8');
    expect(doc, 'run npm run docs:config').toBe(renderConfigDoc());
  });

  it('the server refuses to start with one line and exit code 1', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-config-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        encoding: 'utf8',
        timeout: 60_000,
        env: { PATH: process.env.PATH, NODE_ENV: 'test', DATA_DIR: dataDir, PORT: '0', SEED_DEMO: 'no', MAX_UPLOAD_MB: '-5' },
      });
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toBe(
        'Họp Số cannot start: invalid configuration: SEED_DEMO must be one of 0, 1 (got "no"); MAX_UPLOAD_MB must be > 0 (got "-5")',
      );
      expect(fs.readdirSync(dataDir)).toEqual([]); // refused before anything was opened
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('README', () => {
  it('names only variables the schema knows', async () => {
    const { ConfigEnv } = await import('../../server/config-schema');
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('## Configuration'),
      readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5),
    );
    const named = [
      ...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)`/gm),
      ...section.matchAll(/ \/ `([A-Z][A-Z0-9_]+)`|, `([A-Z][A-Z0-9_]+)`/g),
    ]
      .map((m) => m[1] ?? m[2])
      .filter(Boolean);
    expect(named.length).toBeGreaterThan(40);
    // read by glibc, not by the server
    const notOurs = ['MALLOC_MMAP_THRESHOLD_'];
    expect(named.filter((n) => !(n! in ConfigEnv.properties) && !notOurs.includes(n!))).toEqual([]);
  });
});
