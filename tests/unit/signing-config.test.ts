// Signing configuration from the environment: PKCS#11 module, PIN (env or file), key label, TSA.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';

describe('signing configuration', () => {
  it('defaults: the internal CA, no TSA, 15 minutes for a deferred signature', () => {
    const c = loadConfig({});
    expect(c.signing).toEqual({ tsaTimeoutMs: 15_000, externalSigningTtlMs: 15 * 60_000 });
  });

  it('PKCS#11: the PIN from a file (first line), the key label template, the TSA', () => {
    const pinFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hop-so-pin-')), 'pin');
    fs.writeFileSync(pinFile, '246813\nignored\n', { mode: 0o600 });
    const c = loadConfig({
      PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so',
      PKCS11_TOKEN_LABEL: 'hopso',
      PKCS11_PIN_FILE: pinFile,
      TSA_URL: 'http://tsa.example/tsr',
      EXTERNAL_SIGNING_TTL_MINUTES: '5',
    });
    expect(c.signing).toEqual({
      pkcs11: { modulePath: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: 'hopso', pin: '246813', keyLabel: '{username}' },
      tsaUrl: 'http://tsa.example/tsr',
      tsaTimeoutMs: 15_000,
      externalSigningTtlMs: 5 * 60_000,
    });
  });

  it('a module without a PIN is a configuration error at start', () => {
    expect(() => loadConfig({ PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so' })).toThrow(/PKCS11_PIN/);
  });
});
