// Official signing keys, with real parts: a key on SoftHSM (PKCS#11) signs the minutes, a TSA played
// by `openssl ts -reply` timestamps the signature (PAdES B-T), and pdfsig (poppler + NSS) checks them.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMinutes, type RenderedMinutes } from '../../server/pdf/render-minutes';
import { Pkcs11Token } from '../../server/signing/pkcs11-signer';
import { signPdf } from '../../server/signing/sign-pdf';
import { requestTimestamp } from '../../server/signing/timestamp';
import { verifySignedPdf } from '../../server/signing/verify-pdf';
import { buildMinutes } from '../helpers/minutes-fixture';
import { CHAIR, SECRETARY, tempDir } from '../helpers/minutes-signing';
import { createTestCa, startOpensslTsa, type TestCa, type TestTsa } from '../helpers/official-pki';
import { pdfsig, run, writeTemp } from '../helpers/poppler';
import { createSoftHsm, keyOnToken, type SoftHsm } from '../helpers/softhsm';

let hsm: SoftHsm;
let ca: TestCa;
let tsa: TestTsa;
let token: Pkcs11Token;
let rendered: RenderedMinutes;
let nss: string;
let wrongPin: Error | null;

beforeAll(async () => {
  hsm = createSoftHsm();
  ca = await createTestCa();
  await keyOnToken(hsm, ca, { label: 'thuky', id: '01', fullName: SECRETARY.fullName });
  await keyOnToken(hsm, ca, { label: 'chutri', id: '02', fullName: CHAIR.fullName, keyType: 'EC:prime256v1' });
  tsa = await startOpensslTsa(ca);
  // before any good login: a PKCS#11 login is per token, a second session would share it
  wrongPin = await Pkcs11Token.open({ modulePath: hsm.modulePath, tokenLabel: hsm.tokenLabel, pin: '000000' }).then(
    () => null,
    (err: Error) => err,
  );
  token = await Pkcs11Token.open({ modulePath: hsm.modulePath, tokenLabel: hsm.tokenLabel, pin: hsm.pin });
  rendered = await renderMinutes(buildMinutes());
  nss = tempDir('hop-so-nss-');
  fs.writeFileSync(path.join(nss, 'ca.pem'), ca.pem);
  run('certutil', ['-N', '--empty-password', '-d', `sql:${nss}`]);
  run('certutil', ['-A', '-n', 'official-root', '-t', 'CT,C,C', '-d', `sql:${nss}`, '-i', path.join(nss, 'ca.pem')]);
}, 120_000);

afterAll(async () => {
  await token?.close();
  await tsa?.close();
});

/**
 * The signature's CMS as pdfsig dumps it; the timestamp token (the unsigned attribute) cut out of it by
 * `openssl cms -cmsout -print`'s offsets via asn1parse, then read and verified by `openssl ts`.
 */
function timestampSeenByOpenssl(file: string): string {
  const dir = path.dirname(file);
  execFileSync('pdfsig', ['-nocert', '-dump', file], { cwd: dir, stdio: 'pipe' });
  const sig = fs.readdirSync(dir).find((f) => f.endsWith('.sig0'));
  if (!sig) throw new Error('pdfsig -dump wrote no signature');
  const der = path.join(dir, sig);
  // asn1parse lists the OID of the timestamp attribute, then its SET, then the token's SEQUENCE
  const parse = execFileSync('openssl', ['asn1parse', '-inform', 'DER', '-in', der], { encoding: 'utf8' }).split('\n');
  const at = parse.findIndex((l) => l.includes('id-smime-aa-timeStampToken'));
  const tokenLine = parse.slice(at + 1).find((l) => /cons: SEQUENCE/.test(l));
  const offset = tokenLine ? /^\s*(\d+):/.exec(tokenLine)?.[1] : undefined;
  if (at < 0 || !offset) return 'no timestamp token in the CMS';
  const token = path.join(dir, 'token.der');
  execFileSync('openssl', ['asn1parse', '-inform', 'DER', '-in', der, '-strparse', offset, '-noout', '-out', token]);
  const text = execFileSync('openssl', ['ts', '-reply', '-token_in', '-in', token, '-text'], { encoding: 'utf8' });
  const caFile = path.join(dir, 'root.pem');
  fs.writeFileSync(caFile, ca.pem);
  // -digest: the imprint the token claims; -verify then checks the TSA's signature and its chain to the root
  const verify = spawnSync(
    'openssl',
    ['ts', '-verify', '-token_in', '-in', token, '-digest', tokenDigest(text), '-CAfile', caFile],
    { encoding: 'utf8' },
  );
  return `${text}Verification: ${`${verify.stdout}${verify.stderr}`.trim()}`;
}

/** the message imprint as openssl printed it (hex with colons and spaces) */
function tokenDigest(text: string): string {
  const m = /Message data:\s*([\s\S]*?)\nSerial number/.exec(text);
  return (m?.[1] ?? '')
    .split('\n')
    .map((l) => l.replace(/^\s*[0-9a-f]{4} - /, '').replace(/   .*$/, ''))
    .join('')
    .replace(/[^0-9a-f]/gi, '');
}

const blocks = (report: string) => report.split(/Signature #\d+:/).slice(1);

describe('PKCS#11 signer (SoftHSM)', () => {
  it('signs with an RSA key on the token, then an ECDSA one; pdfsig: valid, Vietnamese names, trusted with the root in NSS', async () => {
    const secretary = token.signerFor('thuky');
    const chair = token.signerFor('chutri');
    expect(secretary?.algorithm).toBe('RSASSA-PKCS1-v1_5-SHA256');
    expect(chair?.algorithm).toBe('ECDSA-P256-SHA256');
    const once = await signPdf(rendered.bytes, {
      signer: secretary!,
      box: rendered.signatureBoxes.secretary,
      reason: 'Thư ký ký biên bản',
      location: 'Hà Giang',
      name: SECRETARY.fullName,
      signedAt: new Date(),
    });
    const twice = await signPdf(once, {
      signer: chair!,
      box: rendered.signatureBoxes.chair,
      reason: 'Chủ trì ký biên bản',
      location: 'Hà Giang',
      name: CHAIR.fullName,
      signedAt: new Date(),
    });
    const file = writeTemp(twice, 'pkcs11-signed.pdf');
    const report = pdfsig(file, nss);
    console.log(`[pdfsig, PKCS#11 signer]\n${report}`);
    const [first, second] = blocks(report);
    expect(first).toContain('Signer Certificate Common Name: Nguyễn Thị Thư Ký');
    expect(first).toContain('Signature Type: ETSI.CAdES.detached');
    expect(first).toContain('Signature Validation: Signature is Valid.');
    expect(first).toContain('Certificate Validation: Certificate is Trusted.');
    expect(second).toContain('Signer Certificate Common Name: Trần Văn Chủ Trì');
    expect(second).toContain('Signature Validation: Signature is Valid.');
    expect(second).toContain('Total document signed');

    const v = await verifySignedPdf(twice, { trustAnchors: [ca.der] });
    expect(v.intact).toBe(true);
    for (const s of v.signatures) {
      expect(s).toMatchObject({ valid: true, subFilter: 'ETSI.CAdES.detached', signingCertificateV2: true, timestamp: null });
      expect(s.trust).toMatchObject({ chainTrusted: true, certificateValidAtSigningTime: true });
    }
    // the same file against another root: not trusted, still intact
    const other = await createTestCa('Another Root');
    const v2 = await verifySignedPdf(twice, { trustAnchors: [other.der] });
    expect(v2.intact).toBe(true);
    expect(v2.signatures.map((s) => s.trust?.chainTrusted)).toEqual([false, false]);
  });

  it('adds an RFC 3161 timestamp from the TSA (B-T): pdfsig shows the timestamp, verify checks it covers the signature', async () => {
    const before = tsa.requests;
    const signed = await signPdf(rendered.bytes, {
      signer: token.signerFor('thuky')!,
      box: rendered.signatureBoxes.secretary,
      reason: 'Thư ký ký biên bản',
      location: 'Hà Giang',
      name: SECRETARY.fullName,
      signedAt: new Date(),
      timestamp: (sig) => requestTimestamp(sig, { url: tsa.url }),
    });
    expect(tsa.requests).toBe(before + 1);
    const file = writeTemp(signed, 'pkcs11-tsa.pdf');
    const report = pdfsig(file, nss);
    console.log(`[pdfsig, PKCS#11 signer + RFC 3161 timestamp]\n${report}`);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    // pdfsig 22.12 does not print timestamps: its -dump hands the CMS to openssl, which shows the token
    const tsaReport = timestampSeenByOpenssl(file);
    console.log(`[pdfsig -dump | openssl: the signature's timestamp token]\n${tsaReport}`);
    expect(tsaReport).toContain('TSA: DirName:/CN=Test TSA');
    expect(tsaReport).toMatch(/Time stamp: .*20\d\d/);
    expect(tsaReport).toMatch(/Verification: (Verification: )?OK/);
    const v = await verifySignedPdf(signed, { trustAnchors: [ca.der] });
    expect(v.signatures[0]!.timestamp?.problem).toBeUndefined();
    expect(v.signatures[0]!.timestamp).toMatchObject({
      valid: true,
      trusted: true,
      tsaName: 'Test TSA - Dịch vụ cấp dấu thời gian',
    });
    expect(Math.abs(new Date(v.signatures[0]!.timestamp!.time).getTime() - Date.now())).toBeLessThan(10 * 60_000);
  });

  it('a TSA that is down fails the signature (nothing half-signed comes back)', async () => {
    await expect(
      signPdf(rendered.bytes, {
        signer: token.signerFor('thuky')!,
        box: rendered.signatureBoxes.secretary,
        reason: 'x',
        location: 'y',
        name: SECRETARY.fullName,
        signedAt: new Date(),
        timestamp: (sig) => requestTimestamp(sig, { url: 'http://127.0.0.1:9/tsa', timeoutMs: 2000 }),
      }),
    ).rejects.toThrow(/TSA could not be reached/);
  });

  it('a TSA that drops the connection under a request is asked once more, not twice more', async () => {
    // a loopback relay to the TSA that closes the first `drop` connections once the request is in,
    // as a TSA does when it closes an idle keep-alive connection fetch is about to reuse
    const relay = async (drop: number) => {
      const target = new URL(tsa.url);
      let connections = 0;
      const server = net.createServer((socket) => {
        if (++connections <= drop) {
          socket.once('data', () => socket.destroy());
          return;
        }
        const upstream = net.connect(Number(target.port), target.hostname);
        socket.pipe(upstream).pipe(socket);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as net.AddressInfo;
      return {
        url: `http://127.0.0.1:${port}/tsa`,
        connections: () => connections,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    };
    const once = await relay(1);
    try {
      const before = tsa.requests;
      const token = await requestTimestamp(Buffer.from('minutes'), { url: once.url, timeoutMs: 10_000 });
      expect(token.byteLength).toBeGreaterThan(100);
      expect(tsa.requests).toBe(before + 1);
      expect(once.connections()).toBe(2);
    } finally {
      await once.close();
    }
    const always = await relay(Infinity);
    try {
      await expect(requestTimestamp(Buffer.from('minutes'), { url: always.url, timeoutMs: 10_000 })).rejects.toThrow(
        /TSA could not be reached/,
      );
      expect(always.connections()).toBe(2);
    } finally {
      await always.close();
    }
  });

  it('has no signer for a label the token does not hold', () => {
    expect(token.signerFor('nobody')).toBeNull();
  });

  it('refuses a wrong PIN, and an unknown token label', async () => {
    expect(wrongPin?.message).toMatch(/token login failed: .*CKR_PIN_INCORRECT/);
    await expect(Pkcs11Token.open({ modulePath: hsm.modulePath, tokenLabel: 'no-such-token', pin: hsm.pin })).rejects.toThrow(
      /no token labelled/,
    );
  });
});
