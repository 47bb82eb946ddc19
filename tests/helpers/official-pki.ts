// An "official" PKI for the signing tests, separate from the server's internal CA: a root like a
// licensed Vietnamese CA's, user certificates it issues for keys made elsewhere (on SoftHSM), a TSA
// certificate, and a Time-Stamp Authority played by `openssl ts -reply` behind a tiny HTTP server.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { spawnSync } from 'node:child_process';
import { randomBytes, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { tempDir } from './minutes-signing';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const subtle = webcrypto.subtle;
const DAY = 24 * 3600_000;
const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };

const serial = () => {
  const b = randomBytes(12);
  b[0] = (b[0]! & 0x7f) | 1;
  return b.toString('hex');
};
const name = (cn: string, o: string) =>
  new x509.Name([{ CN: [{ utf8String: cn }] }, { O: [{ utf8String: o }] }, { C: [{ printableString: 'VN' }] }]);
export const pem = (label: string, der: ArrayBuffer | Uint8Array) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der))
    .toString('base64')
    .replace(/.{64}/g, '$&\n')
    .replace(/\n$/, '')}\n-----END ${label}-----\n`;

export interface TestCa {
  certificate: x509.X509Certificate;
  der: Uint8Array;
  pem: string;
  /** a certificate for a public key (SPKI DER) held elsewhere */
  issue(
    spki: Uint8Array,
    fullName: string,
    options?: { notBefore?: Date; notAfter?: Date; timeStamping?: boolean },
  ): Promise<Uint8Array>;
  /** a fresh RSA key in this process and its certificate (the key exportable, for openssl) */
  issueWithKey(
    fullName: string,
    options?: { timeStamping?: boolean },
  ): Promise<{ certDer: Uint8Array; key: CryptoKey; keyPem: string }>;
}

export async function createTestCa(cn = 'Test Official Root CA - Tổ chức chứng thực'): Promise<TestCa> {
  const keys = (await subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: name(cn, 'Ban Cơ yếu (thử nghiệm)'),
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    keys,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const issue: TestCa['issue'] = async (spki, fullName, options = {}) => {
    const alg = Buffer.from(spki).includes(Buffer.from('2a8648ce3d0201', 'hex'))
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const publicKey = await subtle.importKey('spki', spki, alg, true, ['verify']);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: name(fullName, 'UBND tỉnh Hà Giang'),
      issuer: certificate.subjectName,
      notBefore: options.notBefore ?? new Date(now - DAY),
      notAfter: options.notAfter ?? new Date(now + 365 * DAY),
      publicKey,
      signingKey: keys.privateKey,
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5' },
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        options.timeStamping
          ? new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)
          : new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
        ...(options.timeStamping ? [new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.8'], true)] : []),
        await x509.SubjectKeyIdentifierExtension.create(publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(certificate, false),
      ],
    });
    return new Uint8Array(cert.rawData);
  };
  return {
    certificate,
    der: new Uint8Array(certificate.rawData),
    pem: certificate.toString('pem') + '\n',
    issue,
    async issueWithKey(fullName, options) {
      const k = (await subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
      const spki = new Uint8Array(await subtle.exportKey('spki', k.publicKey));
      const certDer = await issue(spki, fullName, options);
      return { certDer, key: k.privateKey, keyPem: pem('PRIVATE KEY', await subtle.exportKey('pkcs8', k.privateKey)) };
    },
  };
}

export interface TestTsa {
  url: string;
  /** requests answered so far */
  requests: number;
  certDer: Uint8Array;
  close(): Promise<void>;
}

/** A TSA on loopback: each POSTed TimeStampReq is answered by `openssl ts -reply`. */
export async function startOpensslTsa(ca: TestCa): Promise<TestTsa> {
  const dir = tempDir('hop-so-tsa-');
  const { certDer, keyPem } = await ca.issueWithKey('Test TSA - Dịch vụ cấp dấu thời gian', { timeStamping: true });
  fs.writeFileSync(path.join(dir, 'tsa.pem'), pem('CERTIFICATE', certDer));
  fs.writeFileSync(path.join(dir, 'tsa.key'), keyPem, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'serial'), '01\n');
  const cnf = path.join(dir, 'tsa.cnf');
  fs.writeFileSync(
    cnf,
    [
      '[ tsa ]',
      'default_tsa = tsa1',
      '[ tsa1 ]',
      `serial = ${dir}/serial`,
      'crypto_device = builtin',
      `signer_cert = ${dir}/tsa.pem`,
      `signer_key = ${dir}/tsa.key`,
      'signer_digest = sha256',
      'default_policy = 1.2.3.4.1',
      'digests = sha256, sha384, sha512',
      'accuracy = secs:1',
      'ordering = yes',
      'tsa_name = yes',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  const tsa: TestTsa = { url: '', requests: 0, certDer, close: async () => {} };
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const q = path.join(dir, `q${++n}.tsq`);
      const r = path.join(dir, `r${n}.tsr`);
      fs.writeFileSync(q, Buffer.concat(chunks));
      const out = spawnSync('openssl', ['ts', '-reply', '-config', cnf, '-queryfile', q, '-out', r], { encoding: 'utf8' });
      if (out.status !== 0) {
        res.writeHead(500).end(out.stderr);
        return;
      }
      tsa.requests++;
      res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(fs.readFileSync(r));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tsa.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
  tsa.close = () => new Promise((resolve) => server.close(() => resolve()));
  return tsa;
}
