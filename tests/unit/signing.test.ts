import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { PDFDocument } from 'pdf-lib';
import { InternalCa } from '../../server/signing/internal-ca';
import { verifySignedPdf } from '../../server/signing/verify-pdf';
import { ecdsaDerToRaw, ecdsaRawToDer } from '../../server/signing/signer';
import { CHAIR, SECRETARY, flipByteInSignedRange, renderAndSign, tempDir } from '../helpers/minutes-signing';
import { signaturePng } from '../helpers/signature-png';

describe('internal CA', () => {
  it('creates the CA on first use, keys 0600, and reuses user certificates', async () => {
    const dir = path.join(tempDir(), 'ca');
    const ca = await InternalCa.open(dir);
    expect(fs.statSync(path.join(dir, 'ca.key.pem')).mode & 0o777).toBe(0o600);
    const first = await ca.issueUserCertificate(SECRETARY);
    expect(first.created).toBe(true);
    expect(first.subjectCommonName).toBe('Nguyễn Thị Thư Ký');
    const keyFile = fs.readdirSync(path.join(dir, 'users')).map((d) => path.join(dir, 'users', d, 'key.pem'))[0]!;
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);

    const reopened = await InternalCa.open(dir);
    expect(reopened.certificatePem).toBe(ca.certificatePem);
    const again = await reopened.issueUserCertificate(SECRETARY);
    expect(again.created).toBe(false);
    expect(again.serialNumber).toBe(first.serialNumber);
    // a new name means a new certificate
    const renamed = await reopened.issueUserCertificate({ ...SECRETARY, fullName: 'Nguyễn Thị Thư Ký Mới' });
    expect(renamed.created).toBe(true);
  });

  it('writes the Vietnamese name as UTF8String, the issuer byte-identical to the CA subject, with signing key usage', async () => {
    const ca = await InternalCa.open(path.join(tempDir(), 'ca'));
    const issued = await ca.issueUserCertificate(CHAIR);
    const der = Buffer.from(issued.certificateDer);
    const utf8 = Buffer.from('Trần Văn Chủ Trì', 'utf8');
    const at = der.indexOf(utf8);
    expect(at).toBeGreaterThan(0);
    expect(der[at - 2]).toBe(0x0c); // UTF8String tag
    const cert = new x509.X509Certificate(issued.certificatePem);
    expect(Buffer.from(ca.certificate.subjectName.toArrayBuffer()).equals(Buffer.from(cert.issuerName.toArrayBuffer()))).toBe(
      true,
    );
    const ku = cert.getExtension(x509.KeyUsagesExtension);
    expect(ku?.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation);
    expect(await cert.verify({ publicKey: ca.certificate.publicKey, signatureOnly: true })).toBe(true);
  });

  it('exposes no private key: signers hold non-extractable keys', async () => {
    const ca = await InternalCa.open(path.join(tempDir(), 'ca'));
    const signer = await ca.signerFor(SECRETARY);
    expect(Object.values(signer).some((v) => v instanceof CryptoKey && v.extractable)).toBe(false);
    expect(signer.certificateChain).toHaveLength(2);
  });
});

describe('signPdf + verifySignedPdf', () => {
  it('secretary then chair: two valid signatures, the last covering the whole file', async () => {
    const { once, twice } = await renderAndSign({ secretaryImage: signaturePng() });
    const v1 = await verifySignedPdf(once);
    expect(v1.intact).toBe(true);
    const v = await verifySignedPdf(twice);
    expect(v.intact).toBe(true);
    expect(v.signatures.map((s) => s.signerName)).toEqual(['Nguyễn Thị Thư Ký', 'Trần Văn Chủ Trì']);
    expect(v.signatures.map((s) => s.valid)).toEqual([true, true]);
    expect(v.signatures.map((s) => s.coversWholeDocument)).toEqual([false, true]);
    expect(v.signatures[0]!.signedAt?.toISOString()).toBe('2026-11-21T04:30:00.000Z');
    // the first revision is a byte-prefix of the second (incremental update)
    expect(Buffer.from(twice.subarray(0, once.length)).equals(Buffer.from(once))).toBe(true);
    // still a PDF pdf-lib reads, with two signature widgets on the last page
    const pdf = await PDFDocument.load(twice);
    expect(
      pdf
        .getPage(pdf.getPageCount() - 1)
        .node.Annots()
        ?.size(),
    ).toBe(2);
  });

  it('writes /Reason, /Location, /Name as UTF-16BE with BOM', async () => {
    const { twice } = await renderAndSign();
    const text = Buffer.from(twice).toString('latin1');
    const hex = Buffer.from('\ufeffChủ trì ký biên bản', 'utf16le').swap16().toString('hex').toUpperCase();
    expect(text).toContain(`/Reason <${hex}>`);
  });

  it('detects a flipped byte and bytes appended after the last signature', async () => {
    const { twice } = await renderAndSign();
    const tampered = await verifySignedPdf(flipByteInSignedRange(twice));
    expect(tampered.intact).toBe(false);
    expect(tampered.signatures.every((s) => !s.valid && s.problem === 'digest mismatch')).toBe(true);
    const appended = await verifySignedPdf(Buffer.concat([twice, Buffer.from('\n% more\n')]));
    expect(appended.signatures.every((s) => s.valid)).toBe(true);
    expect(appended.intact).toBe(false);
    expect((await verifySignedPdf(new Uint8Array(Buffer.from('%PDF-1.7\n%%EOF')))).intact).toBe(false);
  });

  it('also signs with ECDSA P-256 keys', async () => {
    const { twice } = await renderAndSign({ keyAlgorithm: 'ecdsa' });
    expect((await verifySignedPdf(twice)).intact).toBe(true);
  });

  it('converts ECDSA signatures between raw and DER', () => {
    const raw = new Uint8Array(64).map((_, i) => (i === 0 || i === 32 ? 0x80 : i));
    expect(ecdsaDerToRaw(ecdsaRawToDer(raw))).toEqual(raw);
  });
});
