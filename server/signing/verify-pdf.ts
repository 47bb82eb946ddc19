// Verifies every signature of a PDF the way a reader does, without trusting anything but the bytes:
// for each /ByteRange, the bytes it covers hash to the CMS messageDigest, and the signature over the
// signed attributes verifies with the certificate embedded in the CMS. `intact` adds that the last
// signature covers the whole file, so nothing was appended after it. Trust in the certificate (chain
// to a CA) is a separate question: pdfsig with an NSS database answers it.
import * as asn1js from 'asn1js';
import { webcrypto } from 'node:crypto';
import { ecdsaDerToRaw } from './signer';
import { OID, usePkijs } from './pkijs-engine';

const pkijs = usePkijs();
type Certificate = InstanceType<typeof pkijs.Certificate>;

export interface VerifiedSignature {
  /** the signer certificate's common name */
  signerName: string;
  /** the CMS signingTime attribute, if any */
  signedAt: Date | null;
  /** digest of the covered bytes matches and the signature verifies with the embedded certificate */
  valid: boolean;
  /** the byte range runs from the start to the end of the file */
  coversWholeDocument: boolean;
  byteRange: [number, number, number, number];
  /** why `valid` is false */
  problem?: string;
}

export interface PdfVerification {
  signatures: VerifiedSignature[];
  /** at least one signature, all valid, and the last one covers the whole file */
  intact: boolean;
}

const HASHES: Record<string, string> = { [OID.sha256]: 'SHA-256', [OID.sha384]: 'SHA-384', [OID.sha512]: 'SHA-512' };

function toArrayBuffer(u8: Uint8Array): ArrayBuffer {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer;
}

/** Every `/ByteRange [a b c d]` with four integers, in file order (placeholders are skipped). */
function findByteRanges(pdf: Buffer): [number, number, number, number][] {
  const text = pdf.toString('latin1');
  const out: [number, number, number, number][] = [];
  const re = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push([Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])]);
  return out;
}

function commonName(cert: Certificate): string {
  for (const tv of cert.subject.typesAndValues) {
    if (tv.type === OID.commonName) return String(tv.value.valueBlock.value);
  }
  return '';
}

function attribute(signerInfo: InstanceType<typeof pkijs.SignerInfo>, oid: string) {
  return signerInfo.signedAttrs?.attributes.find((a) => a.type === oid)?.values[0];
}

async function verifyOne(pdf: Buffer, range: [number, number, number, number]): Promise<VerifiedSignature> {
  const [a, b, c, d] = range;
  const result: VerifiedSignature = { signerName: '', signedAt: null, valid: false, coversWholeDocument: a === 0 && c + d === pdf.length, byteRange: range };
  const fail = (problem: string) => ({ ...result, problem });
  if (a !== 0 || b <= 0 || c <= b || c + d > pdf.length) return fail('byte range outside the file');
  if (pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) return fail('byte range gap is not the /Contents string');
  const hex = pdf.subarray(b + 1, c - 1).toString('latin1').replace(/\s+/g, '');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2) return fail('/Contents is not hex');
  const der = new Uint8Array(Buffer.from(hex, 'hex'));

  let signedData: InstanceType<typeof pkijs.SignedData>;
  try {
    const asn = asn1js.fromBER(toArrayBuffer(der)); // trailing zero padding is ignored
    const info = new pkijs.ContentInfo({ schema: asn.result });
    if (info.contentType !== OID.signedData) return fail('not a CMS SignedData');
    signedData = new pkijs.SignedData({ schema: info.content });
  } catch (err) {
    return fail(`unparsable CMS: ${(err as Error).message}`);
  }
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) return fail('no SignerInfo');
  const certs = (signedData.certificates ?? []).filter((x): x is Certificate => x instanceof pkijs.Certificate);
  const sid = signerInfo.sid;
  const cert = certs.find((x) =>
    sid instanceof pkijs.IssuerAndSerialNumber ? x.issuer.isEqual(sid.issuer) && x.serialNumber.isEqual(sid.serialNumber) : false,
  );
  if (!cert) return fail('signer certificate not in the CMS');
  result.signerName = commonName(cert);
  const time = attribute(signerInfo, OID.signingTime);
  if (time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime) result.signedAt = time.toDate();

  const hash = HASHES[signerInfo.digestAlgorithm.algorithmId];
  if (!hash) return fail(`unsupported digest ${signerInfo.digestAlgorithm.algorithmId}`);
  const covered = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  const digest = Buffer.from(await webcrypto.subtle.digest(hash, covered));
  const md = attribute(signerInfo, OID.messageDigest);
  if (!(md instanceof asn1js.OctetString)) return fail('no messageDigest attribute');
  if (!digest.equals(Buffer.from(md.valueBlock.valueHexView))) return fail('digest mismatch');

  // signature over the signed attributes as received (pkijs keeps them with the SET tag)
  const signedAttrs = signerInfo.signedAttrs;
  if (!signedAttrs) return fail('no signed attributes');
  const spki = cert.subjectPublicKeyInfo.toSchema().toBER(false);
  const sigAlg = signerInfo.signatureAlgorithm.algorithmId;
  const sig = new Uint8Array(signerInfo.signature.valueBlock.valueHexView);
  try {
    let ok: boolean;
    if (cert.subjectPublicKeyInfo.algorithm.algorithmId === OID.rsaEncryption) {
      const key = await webcrypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
      ok = await webcrypto.subtle.verify('RSASSA-PKCS1-v1_5', key, sig, signedAttrs.encodedValue);
    } else {
      const ecHash = sigAlg === OID.ecdsaWithSHA384 ? 'SHA-384' : sigAlg === OID.ecdsaWithSHA512 ? 'SHA-512' : 'SHA-256';
      const key = await webcrypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
      ok = await webcrypto.subtle.verify({ name: 'ECDSA', hash: ecHash }, key, ecdsaDerToRaw(sig), signedAttrs.encodedValue);
    }
    if (!ok) return fail('signature does not verify');
  } catch (err) {
    return fail(`signature check failed: ${(err as Error).message}`);
  }
  return { ...result, valid: true };
}

export async function verifySignedPdf(bytes: Uint8Array): Promise<PdfVerification> {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const signatures: VerifiedSignature[] = [];
  for (const range of findByteRanges(pdf)) signatures.push(await verifyOne(pdf, range));
  const last = signatures[signatures.length - 1];
  const intact = !!last && signatures.every((s) => s.valid) && last.coversWholeDocument;
  return { signatures, intact };
}
