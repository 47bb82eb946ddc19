// A SoftHSM token in a temp dir (Debian softhsm2; OpenSC's pkcs11-tool to make keys on it), standing
// in for an HSM or a USB token. SOFTHSM2_CONF is set in this process, so a Pkcs11Token opened here
// (and a server started from here) finds the token.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './minutes-signing';
import type { TestCa } from './official-pki';

export const SOFTHSM_MODULE =
  ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((f) => fs.existsSync(f)) ??
  '/usr/lib/softhsm/libsofthsm2.so';

export interface SoftHsm {
  dir: string;
  conf: string;
  modulePath: string;
  tokenLabel: string;
  pin: string;
}

export function createSoftHsm(tokenLabel = 'hopso-test', pin = '246813'): SoftHsm {
  const dir = tempDir('hop-so-softhsm-');
  fs.mkdirSync(path.join(dir, 'tokens'));
  const conf = path.join(dir, 'softhsm2.conf');
  fs.writeFileSync(conf, `directories.tokendir = ${dir}/tokens\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', tokenLabel, '--pin', pin, '--so-pin', '13572468'], {
    stdio: 'pipe',
    env: process.env,
  });
  return { dir, conf, modulePath: SOFTHSM_MODULE, tokenLabel, pin };
}

function tool(hsm: SoftHsm, args: string[]): string {
  return execFileSync('pkcs11-tool', ['--module', hsm.modulePath, '--token-label', hsm.tokenLabel, ...args], {
    encoding: 'utf8',
    stdio: 'pipe',
    env: { ...process.env, SOFTHSM2_CONF: hsm.conf },
  });
}

/**
 * Generates a key pair on the token (label `label`, CKA_ID `id` as hex), has `ca` certify its public
 * key for `fullName`, and stores the certificate on the token beside the key. Returns the certificate.
 */
export async function keyOnToken(
  hsm: SoftHsm,
  ca: TestCa,
  o: { label: string; id: string; fullName: string; keyType?: 'rsa:2048' | 'EC:prime256v1'; notBefore?: Date; notAfter?: Date },
): Promise<Uint8Array> {
  tool(hsm, [
    '--login',
    '--pin',
    hsm.pin,
    '--keypairgen',
    '--key-type',
    o.keyType ?? 'rsa:2048',
    '--id',
    o.id,
    '--label',
    o.label,
  ]);
  const pub = path.join(hsm.dir, `${o.id}.pub.der`);
  tool(hsm, ['--read-object', '--type', 'pubkey', '--id', o.id, '-o', pub]);
  const certDer = await ca.issue(new Uint8Array(fs.readFileSync(pub)), o.fullName, {
    ...(o.notBefore ? { notBefore: o.notBefore } : {}),
    ...(o.notAfter ? { notAfter: o.notAfter } : {}),
  });
  const certFile = path.join(hsm.dir, `${o.id}.cert.der`);
  fs.writeFileSync(certFile, certDer);
  tool(hsm, ['--login', '--pin', hsm.pin, '--write-object', certFile, '--type', 'cert', '--id', o.id, '--label', o.label]);
  return certDer;
}
