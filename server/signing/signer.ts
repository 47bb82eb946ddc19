// Who signs. A Signer holds (or reaches) one private key and the certificate chain that names its
// owner; the CMS builder (cms.ts) asks it to sign the DER of the signed attributes and never sees the
// key. That is the seam for real PKI later: a USB token (PKCS#11) or a Vietnamese CA's remote signing
// service implements the same three members; LocalKeySigner is the in-memory one used with the
// internal CA for the demo and tests.
import { webcrypto } from 'node:crypto';

export type SignatureAlgorithm = 'RSASSA-PKCS1-v1_5-SHA256' | 'ECDSA-P256-SHA256';

export interface Signer {
  /** DER X.509 certificates: the signer's own first, then its issuers (the root may be omitted) */
  readonly certificateChain: readonly Uint8Array[];
  readonly algorithm: SignatureAlgorithm;
  /**
   * Signs `signedAttributes` (the DER SET OF the CMS signed attributes) with SHA-256 and returns the
   * signature value as CMS carries it: PKCS#1 v1.5 bytes for RSA, a DER ECDSA-Sig-Value for ECDSA.
   * A remote service that signs a hash gets SHA-256(signedAttributes).
   */
  sign(signedAttributes: Uint8Array): Promise<Uint8Array>;
}

const subtle = webcrypto.subtle;

/** A signer over a non-extractable WebCrypto key held in this process. */
export class LocalKeySigner implements Signer {
  readonly algorithm: SignatureAlgorithm;

  constructor(
    private readonly privateKey: webcrypto.CryptoKey,
    readonly certificateChain: readonly Uint8Array[],
  ) {
    if (!certificateChain.length) throw new Error('a signer needs its certificate');
    const name = privateKey.algorithm.name;
    if (name === 'RSASSA-PKCS1-v1_5') this.algorithm = 'RSASSA-PKCS1-v1_5-SHA256';
    else if (name === 'ECDSA') this.algorithm = 'ECDSA-P256-SHA256';
    else throw new Error(`unsupported key algorithm ${name}`);
  }

  async sign(signedAttributes: Uint8Array): Promise<Uint8Array> {
    if (this.algorithm === 'RSASSA-PKCS1-v1_5-SHA256') {
      return new Uint8Array(await subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, this.privateKey, signedAttributes));
    }
    const raw = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, this.privateKey, signedAttributes));
    return ecdsaRawToDer(raw);
  }
}

/** WebCrypto gives ECDSA signatures as r‖s (IEEE P1363); CMS wants SEQUENCE { INTEGER r, INTEGER s }. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const int = (bytes: Uint8Array) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    let v = bytes.subarray(i);
    if ((v[0] ?? 0) & 0x80) v = Uint8Array.of(0, ...v);
    return Uint8Array.of(0x02, v.length, ...v);
  };
  const r = int(raw.subarray(0, half));
  const s = int(raw.subarray(half));
  return Uint8Array.of(0x30, r.length + s.length, ...r, ...s);
}

/** The inverse, for verification with WebCrypto. */
export function ecdsaDerToRaw(der: Uint8Array, size = 32): Uint8Array {
  const out = new Uint8Array(size * 2);
  let p = 2;
  if ((der[1] ?? 0) & 0x80) p = 2 + ((der[1] ?? 0) & 0x7f);
  for (let k = 0; k < 2; k++) {
    if (der[p] !== 0x02) throw new Error('bad ECDSA signature');
    const len = der[p + 1] ?? 0;
    let v = der.subarray(p + 2, p + 2 + len);
    while (v.length > size && v[0] === 0) v = v.subarray(1);
    out.set(v, k * size + (size - v.length));
    p += 2 + len;
  }
  return out;
}
