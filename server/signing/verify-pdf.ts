// Verifies every signature of a PDF the way a reader does, without trusting anything but the bytes:
// for each /ByteRange, the bytes it covers hash to the CMS messageDigest, and the signature over the
// signed attributes verifies with the certificate embedded in the CMS. `intact` adds that the last
// signature covers the whole file, so nothing was appended after it. With `trustAnchors` it also
// answers the trust question: does the certificate chain to one of them at the signing time (the
// timestamp's time when there is one, else the /M the signer claims), and is the certificate itself
// valid then. A timestamp (PAdES B-T) is checked to cover this signature's value.
import * as asn1js from 'asn1js';
import { webcrypto } from 'node:crypto';
import { ecdsaDerToRaw } from './signer';
import { OID, usePkijs } from './pkijs-engine';
import { verifyTimestampToken, type CheckedTimestamp } from './timestamp';
import { checkChain, validAt } from './trust';

const pkijs = usePkijs();
type Certificate = InstanceType<typeof pkijs.Certificate>;

export interface VerifiedSignature {
  /** the signer certificate's common name */
  signerName: string;
  /** the time the signer claims: /M of the signature dictionary (PAdES), else a CMS signingTime */
  signedAt: Date | null;
  /** /SubFilter of the signature dictionary, e.g. ETSI.CAdES.detached */
  subFilter: string | null;
  /** the CMS carries a signing-certificate-v2 attribute naming the signer's certificate */
  signingCertificateV2: boolean;
  certificate: { subject: string; issuer: string; notBefore: string; notAfter: string } | null;
  /** RFC 3161 signature timestamp, if the signature carries one */
  timestamp: Omit<CheckedTimestamp, 'certificates'> | null;
  /** only with trust anchors: the chain check at the signing time */
  trust?: { chainTrusted: boolean; certificateValidAtSigningTime: boolean; checkedAt: string; problem?: string };
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

/** PDF date D:YYYYMMDDHHmmSS+HH'mm' (or Z) → Date */
function parsePdfDate(s: string): Date | null {
  const m = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([Z+-])(?:(\d{2})'?(\d{2})'?)?)?/.exec(s);
  if (!m) return null;
  const utc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const sign = m[7] === '-' ? -1 : m[7] === '+' ? 1 : 0;
  return new Date(utc - sign * (+(m[8] ?? 0) * 60 + +(m[9] ?? 0)) * 60_000);
}

/** /SubFilter and /M of the signature dictionary holding this byte range (written around /Contents). */
function dictionaryEntries(pdf: Buffer, range: [number, number, number, number]) {
  const start = pdf.lastIndexOf('<<', range[1], 'latin1');
  const endAt = pdf.indexOf('>>', range[2], 'latin1');
  const text = pdf
    .subarray(Math.max(0, start), endAt < 0 ? range[2] + 4096 : endAt)
    .toString('latin1')
    .replace(/\/Contents\s*<[0-9a-fA-F\s]*>/, '');
  const sub = /\/SubFilter\s*\/([A-Za-z0-9.#_-]+)/.exec(text);
  const m = /\/M\s*\(([^)]*)\)/.exec(text);
  return { subFilter: sub ? sub[1]! : null, m: m ? parsePdfDate(m[1]!) : null };
}

function cn(name: InstanceType<typeof pkijs.RelativeDistinguishedNames>): string {
  for (const tv of name.typesAndValues) if (tv.type === OID.commonName) return String(tv.value.valueBlock.value);
  return '';
}

export interface VerifyOptions {
  /** DER CA certificates to check each signer's chain against (and each timestamp's) */
  trustAnchors?: readonly Uint8Array[];
}

async function verifyOne(
  pdf: Buffer,
  range: [number, number, number, number],
  options: VerifyOptions,
): Promise<VerifiedSignature> {
  const [a, b, c, d] = range;
  const entries = dictionaryEntries(pdf, range);
  const result: VerifiedSignature = {
    signerName: '',
    signedAt: entries.m,
    subFilter: entries.subFilter,
    signingCertificateV2: false,
    certificate: null,
    timestamp: null,
    valid: false,
    coversWholeDocument: a === 0 && c + d === pdf.length,
    byteRange: range,
  };
  const fail = (problem: string) => ({ ...result, problem });
  if (a !== 0 || b <= 0 || c <= b || c + d > pdf.length) return fail('byte range outside the file');
  if (pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) return fail('byte range gap is not the /Contents string');
  const hex = pdf
    .subarray(b + 1, c - 1)
    .toString('latin1')
    .replace(/\s+/g, '');
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
  result.certificate = {
    subject: commonName(cert),
    issuer: cn(cert.issuer),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
  };
  const time = attribute(signerInfo, OID.signingTime);
  if (!result.signedAt && (time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime))
    result.signedAt = time.toDate();
  const certDer = new Uint8Array(cert.toSchema().toBER(false));
  const scv2 = attribute(signerInfo, OID.signingCertificateV2);
  if (scv2) {
    // SEQUENCE { SEQUENCE OF ESSCertIDv2 { [hashAlgorithm] certHash ... } }: the first names the signer
    const first = (scv2 as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence | undefined;
    const id = first?.valueBlock.value[0] as asn1js.Sequence | undefined;
    const parts = id?.valueBlock.value ?? [];
    const hashAlg =
      parts[0] instanceof asn1js.Sequence
        ? String((parts[0].valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString())
        : OID.sha256;
    const hashVal = parts.find((p): p is asn1js.OctetString => p instanceof asn1js.OctetString);
    const h = HASHES[hashAlg];
    if (!h || !hashVal) return fail('unreadable signing-certificate-v2');
    const actual = Buffer.from(await webcrypto.subtle.digest(h, certDer));
    if (!actual.equals(Buffer.from(hashVal.valueBlock.valueHexView)))
      return fail('signing-certificate-v2 names another certificate');
    result.signingCertificateV2 = true;
  }

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

  let tsaCertificates: Uint8Array[] = [];
  const token = signerInfo.unsignedAttrs?.attributes.find((x) => x.type === OID.timeStampToken)?.values[0];
  if (token) {
    try {
      const checked = await verifyTimestampToken(new Uint8Array(token.toBER(false)), sig);
      const { certificates, ...rest } = checked;
      tsaCertificates = certificates;
      result.timestamp = rest;
    } catch (err) {
      result.timestamp = { time: '', tsaName: null, valid: false, problem: `unreadable timestamp: ${(err as Error).message}` };
    }
  }
  if (options.trustAnchors) {
    // the timestamp's time when it is valid (a third party vouches for it), else what the signer claims
    const at = result.timestamp?.valid ? new Date(result.timestamp.time) : (result.signedAt ?? new Date());
    const chain = [certDer, ...certs.filter((x) => x !== cert).map((x) => new Uint8Array(x.toSchema().toBER(false)))];
    const check = await checkChain(chain, options.trustAnchors, at);
    result.trust = {
      chainTrusted: check.trusted,
      certificateValidAtSigningTime: validAt(certDer, at),
      checkedAt: at.toISOString(),
      ...(check.problem ? { problem: check.problem } : {}),
    };
    if (result.timestamp?.valid && tsaCertificates.length) {
      const tsa = await checkChain(tsaCertificates, options.trustAnchors, at);
      result.timestamp = { ...result.timestamp, trusted: tsa.trusted };
    }
  }
  return { ...result, valid: true };
}

export async function verifySignedPdf(bytes: Uint8Array, options: VerifyOptions = {}): Promise<PdfVerification> {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const signatures: VerifiedSignature[] = [];
  for (const range of findByteRanges(pdf)) signatures.push(await verifyOne(pdf, range, options));
  const last = signatures[signatures.length - 1];
  const intact = !!last && signatures.every((s) => s.valid) && last.coversWholeDocument;
  return { signatures, intact };
}
