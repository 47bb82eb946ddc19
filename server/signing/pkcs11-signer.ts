// Signing keys on a PKCS#11 device attached to the server: an HSM, or a USB token plugged into it
// (pkcs11js over the vendor's module, e.g. /usr/lib/softhsm/libsofthsm2.so in the tests). The private
// key never leaves the device: sign() hands it the signed attributes (RSA: CKM_SHA256_RSA_PKCS) or
// their SHA-256 (ECDSA: CKM_ECDSA, the hash done here). The certificate is read from the token (the
// CKO_CERTIFICATE with the key's CKA_ID), its issuers from a PEM file when the token does not hold them.
//
// One session per module, logged in once; a PKCS#11 session is used by one call at a time, so signs
// run in a queue. pkcs11js is a native addon loaded only when a deployment configures a module.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type * as Pkcs11Module from 'pkcs11js';
import { algorithmOfCertificate } from './cms';
import { ecdsaRawToDer, type SignatureAlgorithm, type Signer } from './signer';

export interface Pkcs11Options {
  /** the vendor's PKCS#11 module (.so) */
  modulePath: string;
  /** which token: its label, or a slot index into the list of slots with a token */
  tokenLabel?: string;
  slotIndex?: number;
  pin: string;
  /** PEM file with the issuing CA certificates, when the token holds only the signer's own */
  chainFile?: string;
}

export class Pkcs11Error extends Error {}

/**
 * A module is initialised once per process (C_Initialize twice is an error) and finalised when its
 * last token closes; a PKCS#11 login is per token and application, so a second session on a token
 * already logged in is logged in too.
 */
const modules = new Map<string, { p11: Pkcs11Module.PKCS11; refs: number }>();

async function acquireModule(modulePath: string): Promise<{ lib: typeof Pkcs11Module; p11: Pkcs11Module.PKCS11 }> {
  const lib = (await import('pkcs11js')).default as unknown as typeof Pkcs11Module;
  let entry = modules.get(modulePath);
  if (!entry) {
    const p11 = new lib.PKCS11();
    p11.load(modulePath);
    p11.C_Initialize();
    entry = { p11, refs: 0 };
    modules.set(modulePath, entry);
  }
  entry.refs++;
  return { lib, p11: entry.p11 };
}

function releaseModule(modulePath: string): void {
  const entry = modules.get(modulePath);
  if (!entry || --entry.refs > 0) return;
  modules.delete(modulePath);
  try {
    entry.p11.C_Finalize();
  } catch {
    /* already gone */
  }
}

/** CK_ULONG attribute values come as native-endian bytes of the platform's unsigned long. */
function ulong(b: Buffer | undefined): number | undefined {
  if (!b?.length) return undefined;
  return b.length === 8 ? Number(b.readBigUInt64LE(0)) : b.readUInt32LE(0);
}

export class Pkcs11Token {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly lib: typeof Pkcs11Module,
    private readonly p11: Pkcs11Module.PKCS11,
    private readonly session: Pkcs11Module.Handle,
    private readonly extraChain: Uint8Array[],
    private readonly modulePath: string,
  ) {}

  static async open(options: Pkcs11Options): Promise<Pkcs11Token> {
    const { lib, p11 } = await acquireModule(options.modulePath);
    try {
      const slots = p11.C_GetSlotList(true);
      let slot: Pkcs11Module.Handle | undefined;
      if (options.tokenLabel !== undefined) {
        slot = slots.find((s) => p11.C_GetTokenInfo(s).label.trim() === options.tokenLabel);
        if (!slot) throw new Pkcs11Error(`no token labelled "${options.tokenLabel}"`);
      } else {
        slot = slots[options.slotIndex ?? 0];
        if (!slot) throw new Pkcs11Error(`no token in slot ${options.slotIndex ?? 0}`);
      }
      const session = p11.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
      try {
        p11.C_Login(session, lib.CKU_USER, options.pin);
      } catch (err) {
        // already logged in through another session of this process: the login is per token
        if (!/CKR_USER_ALREADY_LOGGED_IN/.test(String((err as Error).message))) {
          try {
            p11.C_CloseSession(session);
          } catch {
            /* closing anyway */
          }
          throw new Pkcs11Error(`token login failed: ${(err as Error).message}`);
        }
      }
      const extraChain = options.chainFile ? pemCertificates(fs.readFileSync(options.chainFile, 'utf8')) : [];
      return new Pkcs11Token(lib, p11, session, extraChain, options.modulePath);
    } catch (err) {
      releaseModule(options.modulePath);
      throw err;
    }
  }

  private find(template: Pkcs11Module.Template): Pkcs11Module.Handle[] {
    this.p11.C_FindObjectsInit(this.session, template);
    try {
      return this.p11.C_FindObjects(this.session, 16);
    } finally {
      this.p11.C_FindObjectsFinal(this.session);
    }
  }

  /** The key labelled `keyLabel` (CKA_LABEL) and its certificate, as a Signer; null if the token has no such key. */
  signerFor(keyLabel: string): Signer | null {
    if (this.closed) throw new Pkcs11Error('the token is closed');
    const { lib, p11, session } = this;
    const [key] = this.find([
      { type: lib.CKA_CLASS, value: lib.CKO_PRIVATE_KEY },
      { type: lib.CKA_LABEL, value: keyLabel },
    ]);
    if (!key) return null;
    const [idAttr, typeAttr] = p11.C_GetAttributeValue(session, key, [{ type: lib.CKA_ID }, { type: lib.CKA_KEY_TYPE }]);
    const id = idAttr?.value as Buffer | undefined;
    const byId = id?.length
      ? this.find([
          { type: lib.CKA_CLASS, value: lib.CKO_CERTIFICATE },
          { type: lib.CKA_ID, value: id },
        ])
      : [];
    const [certHandle] = byId.length
      ? byId
      : this.find([
          { type: lib.CKA_CLASS, value: lib.CKO_CERTIFICATE },
          { type: lib.CKA_LABEL, value: keyLabel },
        ]);
    if (!certHandle) throw new Pkcs11Error(`the token holds key "${keyLabel}" but no certificate for it`);
    const certDer = new Uint8Array(p11.C_GetAttributeValue(session, certHandle, [{ type: lib.CKA_VALUE }])[0]!.value as Buffer);
    const algorithm = algorithmOfCertificate(certDer);
    const keyType = ulong(typeAttr?.value as Buffer | undefined);
    const expected = algorithm === 'RSASSA-PKCS1-v1_5-SHA256' ? lib.CKK_RSA : lib.CKK_EC;
    if (keyType !== expected) throw new Pkcs11Error(`key "${keyLabel}" does not match its certificate's algorithm`);
    return new Pkcs11Signer(this, key, [certDer, ...this.extraChain], algorithm);
  }

  /** @internal one PKCS#11 operation at a time on the session */
  signWith(key: Pkcs11Module.Handle, algorithm: SignatureAlgorithm, data: Uint8Array): Promise<Uint8Array> {
    const run = this.queue.then(
      () =>
        new Promise<Uint8Array>((resolve, reject) => {
          if (this.closed) return reject(new Pkcs11Error('the token is closed'));
          const { lib, p11, session } = this;
          const rsa = algorithm === 'RSASSA-PKCS1-v1_5-SHA256';
          try {
            p11.C_SignInit(session, { mechanism: rsa ? lib.CKM_SHA256_RSA_PKCS : lib.CKM_ECDSA }, key);
            const input = rsa ? Buffer.from(data) : createHash('sha256').update(data).digest();
            // the callback form runs the device call off the event loop (an HSM may take a while)
            p11.C_Sign(session, input, Buffer.alloc(1024), (err, sig) => {
              if (err) return reject(new Pkcs11Error(`the token refused to sign: ${err.message}`));
              const out = new Uint8Array(sig);
              resolve(rsa ? out : ecdsaRawToDer(out));
            });
          } catch (err) {
            reject(new Pkcs11Error(`the token refused to sign: ${(err as Error).message}`));
          }
        }),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    this.closed = true;
    // no C_Logout: the login belongs to the token, other sessions of this process may still use it
    try {
      this.p11.C_CloseSession(this.session);
    } catch {
      /* gone */
    }
    releaseModule(this.modulePath);
  }
}

class Pkcs11Signer implements Signer {
  constructor(
    private readonly token: Pkcs11Token,
    private readonly key: Pkcs11Module.Handle,
    readonly certificateChain: readonly Uint8Array[],
    readonly algorithm: SignatureAlgorithm,
  ) {}

  sign(signedAttributes: Uint8Array): Promise<Uint8Array> {
    return this.token.signWith(this.key, this.algorithm, signedAttributes);
  }
}

/** The DER certificates of a PEM file, in order. */
export function pemCertificates(pem: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(pem); m; m = re.exec(pem)) out.push(new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
  return out;
}
