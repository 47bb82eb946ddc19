// Signed minutes as pdfsig (poppler + NSS) sees them, and agreement with verifySignedPdf.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderMinutes } from '../../server/pdf/render-minutes';
import { InternalCa } from '../../server/signing/internal-ca';
import { signPdf } from '../../server/signing/sign-pdf';
import { verifySignedPdf } from '../../server/signing/verify-pdf';
import { buildLongMinutes } from '../helpers/minutes-fixture';
import { CHAIR, SECRETARY, flipByteInSignedRange, renderAndSign, tempDir, type SignedMinutes } from '../helpers/minutes-signing';
import { pdfsig, run, writeTemp } from '../helpers/poppler';
import { signaturePng } from '../helpers/signature-png';

let signed: SignedMinutes;
let file: string;
beforeAll(async () => {
  signed = await renderAndSign({ secretaryImage: signaturePng() });
  file = writeTemp(signed.twice, 'signed.pdf');
});

function blocks(report: string): string[] {
  return report.split(/Signature #\d+:/).slice(1);
}

describe('signed minutes (pdfsig)', () => {
  it('secretary then chair: both valid, Vietnamese names, the last covers the whole document', () => {
    const report = pdfsig(file);
    const [first, second] = blocks(report);
    expect(blocks(report)).toHaveLength(2);
    expect(first).toContain('Signer Certificate Common Name: Nguyễn Thị Thư Ký');
    expect(first).toContain('Signature Validation: Signature is Valid.');
    expect(first).toContain('Not total document signed');
    expect(second).toContain('Signer Certificate Common Name: Trần Văn Chủ Trì');
    expect(second).toContain('Signature Validation: Signature is Valid.');
    expect(second).toContain('Total document signed');
    expect(second).toContain('Signing Hash Algorithm: SHA-256');
  });

  it('chains to the internal CA once the CA is in an NSS database', () => {
    const nss = tempDir('hop-so-nss-');
    const caPem = path.join(nss, 'ca.pem');
    fs.writeFileSync(caPem, signed.ca.certificatePem);
    run('certutil', ['-N', '--empty-password', '-d', `sql:${nss}`]);
    run('certutil', ['-A', '-n', 'hop-so-ca', '-t', 'CT,C,C', '-d', `sql:${nss}`, '-i', caPem]);
    const report = pdfsig(file, nss);
    expect(report.match(/Certificate Validation: Certificate is Trusted\./g)).toHaveLength(2);
    expect(pdfsig(file)).toContain("Certificate issuer isn't Trusted");
  });

  it('reports a flipped byte as a digest mismatch, and so does verifySignedPdf', async () => {
    const tampered = flipByteInSignedRange(signed.twice);
    const report = pdfsig(writeTemp(tampered, 'tampered.pdf'));
    expect(report.match(/Digest Mismatch/g)?.length).toBe(2);
    expect(report).not.toContain('Signature is Valid');
    const v = await verifySignedPdf(tampered);
    expect(v.intact).toBe(false);
    expect(v.signatures.map((s) => s.valid)).toEqual([false, false]);
  });

  it('agrees with verifySignedPdf on the untouched file', async () => {
    const v = await verifySignedPdf(signed.twice);
    expect(v.intact).toBe(true);
    expect(v.signatures.map((s) => s.signerName)).toEqual([SECRETARY.fullName, CHAIR.fullName]);
    // the secretary-only revision, too
    const once = blocks(pdfsig(writeTemp(signed.once, 'once.pdf')));
    expect(once).toHaveLength(1);
    expect(once[0]).toContain('Total document signed');
    expect(once[0]).toContain('Signature is Valid.');
  });

  it('keeps the text readable after signing (the appearance adds the signing time)', () => {
    const text = run('pdftotext', [file, '-']);
    expect(text).toContain('BIÊN BẢN HỌP');
  });

  it('ECDSA P-256 signatures are accepted by pdfsig too', async () => {
    const ec = await renderAndSign({ keyAlgorithm: 'ecdsa' });
    const report = pdfsig(writeTemp(ec.twice, 'ecdsa.pdf'));
    expect(report.match(/Signature is Valid\./g)).toHaveLength(2);
  });

  it('measures render + two signatures for a 20-page minutes (reported, not asserted)', async () => {
    const ca = await InternalCa.open(path.join(tempDir(), 'ca'));
    const secretary = await ca.signerFor(SECRETARY);
    const chair = await ca.signerFor(CHAIR);
    const doc = buildLongMinutes(140);
    await renderMinutes(doc); // warm-up: module and font loading are a one-off cost
    const runs: { render: number; sign: number; pages: number }[] = [];
    const signed: Uint8Array[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await renderMinutes(doc);
      const t1 = performance.now();
      const once = await signPdf(r.bytes, {
        signer: secretary,
        box: r.signatureBoxes.secretary,
        reason: 'Thư ký ký',
        location: 'Hà Giang',
        name: SECRETARY.fullName,
        signedAt: new Date(),
      });
      const twice = await signPdf(once, {
        signer: chair,
        box: r.signatureBoxes.chair,
        reason: 'Chủ trì ký',
        location: 'Hà Giang',
        name: CHAIR.fullName,
        signedAt: new Date(),
      });
      const t2 = performance.now();
      runs.push({ render: t1 - t0, sign: t2 - t1, pages: r.pageCount });
      signed.push(twice);
    }
    expect(blocks(pdfsig(writeTemp(signed[0]!, 'long-signed.pdf'))).every((b) => b.includes('Signature is Valid.'))).toBe(true);
    const fmt = (n: number) => `${n.toFixed(0)} ms`;
    for (const r of runs)
      console.log(
        `[minutes timing] ${r.pages} pages: render ${fmt(r.render)}, sign ×2 ${fmt(r.sign)}, total ${fmt(r.render + r.sign)}`,
      );
    expect(runs[0]!.pages).toBeGreaterThanOrEqual(20);
  });
});
