// The internal certification authority: on first use it creates a CA key and self-signed certificate
// under the directory the caller gives (e.g. DATA_DIR/ca), then issues one signing certificate per
// user, kept and reused. Names are UTF8String, as Vietnamese CAs issue them ("Nguyễn Thị Thư Ký").
// Private keys are written with mode 0600 and loaded as non-extractable WebCrypto keys; no method
// returns a private key, only Signers that use one.
//
// Layout:  <dir>/ca.key.pem  <dir>/ca.cert.pem  <dir>/users/<userId>/{key.pem,cert.pem}
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { randomBytes, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LocalKeySigner } from './signer';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const subtle = webcrypto.subtle;

export type KeyAlgorithm = 'rsa' | 'ecdsa';

export interface InternalCaOptions {
  /** the CA's organisation name, shown as O= in every certificate */
  organization?: string;
  /** key type of newly created keys (existing keys keep theirs) */
  keyAlgorithm?: KeyAlgorithm;
  now?: () => Date;
}

export interface IssuedCertificate {
  certificatePem: string;
  certificateDer: Uint8Array;
  serialNumber: string;
  subjectCommonName: string;
  /** false when an existing certificate was reused */
  created: boolean;
}

export interface UserIdentity {
  userId: string;
  fullName: string;
}

const YEAR_MS = 365 * 24 * 3600_000;

function keyParams(alg: KeyAlgorithm): RsaHashedKeyGenParams | EcKeyGenParams {
  return alg === 'rsa'
    ? { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }
    : { name: 'ECDSA', namedCurve: 'P-256' };
}

function importParams(alg: webcrypto.KeyAlgorithm | null): RsaHashedImportParams | EcKeyImportParams {
  if (alg?.name === 'ECDSA') return { name: 'ECDSA', namedCurve: 'P-256' };
  return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

function pemEncode(label: string, der: ArrayBuffer | Uint8Array): string {
  const b64 = Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der)).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

function pemDecode(pem: string): Uint8Array {
  return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}

/** Writes through a temporary file so a crash never leaves half a key; private files get 0600. */
function writeFileAtomic(file: string, data: string, mode: number): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, data, { mode, flag: 'wx' });
  fs.chmodSync(tmp, mode); // the umask may have narrowed or (for 0644) kept it; be explicit
  fs.renameSync(tmp, file);
}

/** Serial numbers: 16 random bytes, first bit clear so the INTEGER is positive (RFC 5280 §4.1.2.2). */
function newSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
}

/** A user id becomes a directory name: keep it readable when safe, else hash it. */
function userDirName(userId: string): string {
  if (/^[A-Za-z0-9_-]{1,64}$/.test(userId)) return userId;
  return `u-${Buffer.from(userId, 'utf8').toString('base64url').slice(0, 60)}`;
}

/** CN and O as UTF8String whatever the text (RFC 5280 §4.1.2.4 recommends it), C as PrintableString. */
function utf8Name(cn: string, organization: string): x509.Name {
  return new x509.Name([{ CN: [{ utf8String: cn }] }, { O: [{ utf8String: organization }] }, { C: [{ printableString: 'VN' }] }]);
}

function commonName(cert: x509.X509Certificate): string {
  return cert.subjectName.getField('CN')[0] ?? '';
}

async function importPrivateKey(pem: string, certificate: x509.X509Certificate): Promise<webcrypto.CryptoKey> {
  const alg = certificate.publicKey.algorithm as webcrypto.KeyAlgorithm;
  return subtle.importKey('pkcs8', pemDecode(pem), importParams(alg), false, ['sign']);
}

export class InternalCa {
  private readonly pending = new Map<string, Promise<IssuedCertificate>>();

  private constructor(
    readonly dir: string,
    private readonly caKey: webcrypto.CryptoKey,
    readonly certificate: x509.X509Certificate,
    private readonly options: Required<Pick<InternalCaOptions, 'organization' | 'keyAlgorithm' | 'now'>>,
  ) {}

  /** Opens the CA in `dir`, creating its key and certificate on first use. */
  static async open(dir: string, options: InternalCaOptions = {}): Promise<InternalCa> {
    const opts = {
      organization: options.organization ?? 'Họp Số',
      keyAlgorithm: options.keyAlgorithm ?? 'rsa',
      now: options.now ?? (() => new Date()),
    };
    fs.mkdirSync(path.join(dir, 'users'), { recursive: true, mode: 0o700 });
    const keyFile = path.join(dir, 'ca.key.pem');
    const certFile = path.join(dir, 'ca.cert.pem');
    if (!fs.existsSync(keyFile) || !fs.existsSync(certFile)) {
      const keys = await subtle.generateKey(keyParams(opts.keyAlgorithm), true, ['sign', 'verify']);
      const notBefore = new Date(opts.now().getTime() - 3600_000);
      const cert = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: newSerial(),
        name: utf8Name(`${opts.organization} - CA nội bộ`, opts.organization),
        notBefore,
        notAfter: new Date(notBefore.getTime() + 20 * YEAR_MS),
        keys: keys as CryptoKeyPair,
        signingAlgorithm: keyParams(opts.keyAlgorithm),
        extensions: [
          new x509.BasicConstraintsExtension(true, 0, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as CryptoKey),
        ],
      });
      const pkcs8 = await subtle.exportKey('pkcs8', keys.privateKey);
      writeFileAtomic(keyFile, pemEncode('PRIVATE KEY', pkcs8), 0o600);
      writeFileAtomic(certFile, cert.toString('pem') + '\n', 0o644);
    }
    const certificate = new x509.X509Certificate(fs.readFileSync(certFile, 'utf8'));
    const caKey = await importPrivateKey(fs.readFileSync(keyFile, 'utf8'), certificate);
    return new InternalCa(dir, caKey, certificate, opts);
  }

  get certificatePem(): string {
    return this.certificate.toString('pem') + '\n';
  }
  get certificateDer(): Uint8Array {
    return new Uint8Array(this.certificate.rawData);
  }

  /**
   * The user's signing certificate, issued on first call and reused afterwards; reissued (with a new
   * key) when the full name changed or the certificate expired.
   */
  issueUserCertificate(identity: UserIdentity): Promise<IssuedCertificate> {
    const key = identity.userId;
    const running = this.pending.get(key);
    if (running) return running;
    const p = this.issue(identity).finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    return p;
  }

  /** A Signer for the user, holding their key (non-extractable) and the chain [user, CA]. */
  async signerFor(identity: UserIdentity): Promise<LocalKeySigner> {
    await this.issueUserCertificate(identity);
    const { keyFile, certFile } = this.userFiles(identity.userId);
    const cert = new x509.X509Certificate(fs.readFileSync(certFile, 'utf8'));
    const key = await importPrivateKey(fs.readFileSync(keyFile, 'utf8'), cert);
    return new LocalKeySigner(key, [new Uint8Array(cert.rawData), this.certificateDer]);
  }

  private userFiles(userId: string) {
    const dir = path.join(this.dir, 'users', userDirName(userId));
    return { dir, keyFile: path.join(dir, 'key.pem'), certFile: path.join(dir, 'cert.pem') };
  }

  private async issue({ userId, fullName }: UserIdentity): Promise<IssuedCertificate> {
    const name = fullName.normalize('NFC').trim();
    if (!name) throw new Error('a certificate needs the holder’s full name');
    const { dir, keyFile, certFile } = this.userFiles(userId);
    const now = this.options.now();
    if (fs.existsSync(keyFile) && fs.existsSync(certFile)) {
      const existing = new x509.X509Certificate(fs.readFileSync(certFile, 'utf8'));
      if (commonName(existing) === name && existing.notAfter > now) return this.describe(existing, false);
    }
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const keys = await subtle.generateKey(keyParams(this.options.keyAlgorithm), true, ['sign', 'verify']);
    const notBefore = new Date(now.getTime() - 3600_000);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: newSerial(),
      subject: utf8Name(name, this.options.organization),
      issuer: this.certificate.subjectName,
      notBefore,
      notAfter: new Date(notBefore.getTime() + 3 * YEAR_MS),
      publicKey: keys.publicKey as CryptoKey,
      signingKey: this.caKey as CryptoKey,
      signingAlgorithm:
        this.caKey.algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' },
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as CryptoKey),
        await x509.AuthorityKeyIdentifierExtension.create(this.certificate, false),
      ],
    });
    const pkcs8 = await subtle.exportKey('pkcs8', keys.privateKey);
    writeFileAtomic(keyFile, pemEncode('PRIVATE KEY', pkcs8), 0o600);
    writeFileAtomic(certFile, cert.toString('pem') + '\n', 0o644);
    return this.describe(cert, true);
  }

  private describe(cert: x509.X509Certificate, created: boolean): IssuedCertificate {
    return {
      certificatePem: cert.toString('pem') + '\n',
      certificateDer: new Uint8Array(cert.rawData),
      serialNumber: cert.serialNumber,
      subjectCommonName: commonName(cert),
      created,
    };
  }
}
