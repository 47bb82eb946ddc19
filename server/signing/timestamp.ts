// RFC 3161 timestamps: asks a Time-Stamp Authority (HTTP POST application/timestamp-query) to
// timestamp the SHA-256 of a signature value, and reads a token back out of a CMS. The token goes in
// the SignerInfo's unsigned attributes (signature-time-stamp): that makes a PAdES B-T signature, whose
// time a third party vouches for, unlike /M which the signer claims.
import * as asn1js from 'asn1js';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { toArrayBuffer } from './cms';
import { OID, usePkijs } from './pkijs-engine';

const pkijs = usePkijs();

export class TimestampError extends Error {}

export interface TsaOptions {
  url: string;
  /** per request; a TSA that does not answer in time fails the signature (the minutes stay unsigned) */
  timeoutMs?: number;
}

/** A connection closed under a request before any answer (undici's socket errors, a reset). */
function isStaleConnection(err: unknown): boolean {
  const code = (err as { cause?: { code?: string } })?.cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

/** Returns the TimeStampToken (a DER ContentInfo) for SHA-256(`data`). */
export async function requestTimestamp(data: Uint8Array, options: TsaOptions): Promise<Uint8Array> {
  const imprint = createHash('sha256').update(data).digest();
  const nonce = randomBytes(8);
  nonce[0]! &= 0x7f; // a positive INTEGER
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(imprint) }),
    }),
    nonce: new asn1js.Integer({ valueHex: toArrayBuffer(nonce) }),
    certReq: true,
  });
  const der = Buffer.from(req.toSchema().toBER(false));
  const signal = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  const post = () =>
    fetch(options.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply' },
      body: der,
      signal,
    });
  let body: Uint8Array;
  try {
    let res: Response;
    try {
      res = await post();
    } catch (err) {
      // fetch reuses an idle keep-alive connection; a TSA that closed it at the same moment gives a
      // reset before any answer. A timestamp request is safe to send again (each answer is a token of
      // its own), so once, within the same deadline.
      if (!isStaleConnection(err)) throw err;
      res = await post();
    }
    if (!res.ok) throw new TimestampError(`the TSA answered HTTP ${res.status}`);
    body = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    if (err instanceof TimestampError) throw err;
    throw new TimestampError(`the TSA could not be reached: ${(err as Error).message}`);
  }
  let resp: InstanceType<typeof pkijs.TimeStampResp>;
  try {
    resp = pkijs.TimeStampResp.fromBER(toArrayBuffer(body));
  } catch {
    throw new TimestampError('the TSA answer is not a TimeStampResp');
  }
  const status = resp.status.status;
  if ((status !== 0 && status !== 1) || !resp.timeStampToken) throw new TimestampError(`the TSA refused (status ${status})`);
  const token = new Uint8Array(resp.timeStampToken.toSchema().toBER(false));
  const info = readTimestampToken(token);
  if (!Buffer.from(info.imprint).equals(imprint)) throw new TimestampError('the TSA timestamped something else');
  if (!info.nonce || !Buffer.from(info.nonce).equals(stripZeros(nonce)))
    throw new TimestampError('the TSA answer does not carry our nonce');
  return token;
}

function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

export interface TimestampInfo {
  time: Date;
  imprint: Uint8Array;
  imprintAlgorithm: string;
  nonce: Uint8Array | null;
  /** the TSA's name: the common name of the certificate that signed the token, if it is included */
  tsaName: string | null;
}

/** Parses a TimeStampToken's TSTInfo (no signature check: see verifyTimestampToken). */
export function readTimestampToken(token: Uint8Array): TimestampInfo {
  const info = pkijs.ContentInfo.fromBER(toArrayBuffer(token));
  const sd = new pkijs.SignedData({ schema: info.content });
  if (sd.encapContentInfo.eContentType !== OID.tstInfo || !sd.encapContentInfo.eContent)
    throw new TimestampError('not a timestamp token');
  const tst = pkijs.TSTInfo.fromBER(sd.encapContentInfo.eContent.getValue());
  const signer = certificateOf(sd);
  let tsaName: string | null = null;
  for (const tv of signer?.subject.typesAndValues ?? [])
    if (tv.type === OID.commonName) tsaName = String(tv.value.valueBlock.value);
  return {
    time: tst.genTime,
    imprint: new Uint8Array(tst.messageImprint.hashedMessage.valueBlock.valueHexView),
    imprintAlgorithm: tst.messageImprint.hashAlgorithm.algorithmId,
    nonce: tst.nonce ? stripZeros(new Uint8Array(tst.nonce.valueBlock.valueHexView)) : null,
    tsaName,
  };
}

function certificateOf(sd: InstanceType<typeof pkijs.SignedData>) {
  const si = sd.signerInfos[0];
  const certs = (sd.certificates ?? []).filter(
    (c): c is InstanceType<typeof pkijs.Certificate> => c instanceof pkijs.Certificate,
  );
  const sid = si?.sid;
  return (
    certs.find(
      (c) =>
        sid instanceof pkijs.IssuerAndSerialNumber && c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber),
    ) ?? certs[0]
  );
}

const HASHES: Record<string, string> = { [OID.sha256]: 'SHA-256', [OID.sha384]: 'SHA-384', [OID.sha512]: 'SHA-512' };

export interface CheckedTimestamp {
  time: string;
  tsaName: string | null;
  /** the token's signature verifies and its imprint is the hash of this signature value */
  valid: boolean;
  /** with trust anchors: the TSA's certificate chains to one of them */
  trusted?: boolean;
  problem?: string;
  /** DER certificates the token carries (the TSA's first), for a trust check */
  certificates: Uint8Array[];
}

/** Checks a token found on a signature: it covers `signatureValue` and the TSA's signature verifies. */
export async function verifyTimestampToken(token: Uint8Array, signatureValue: Uint8Array): Promise<CheckedTimestamp> {
  const info = readTimestampToken(token);
  const ci = pkijs.ContentInfo.fromBER(toArrayBuffer(token));
  const sd = new pkijs.SignedData({ schema: ci.content });
  const certificates = (sd.certificates ?? [])
    .filter((c): c is InstanceType<typeof pkijs.Certificate> => c instanceof pkijs.Certificate)
    .map((c) => new Uint8Array(c.toSchema().toBER(false)));
  const base = { time: info.time.toISOString(), tsaName: info.tsaName, certificates };
  const hash = HASHES[info.imprintAlgorithm];
  if (!hash) return { ...base, valid: false, problem: `unsupported imprint hash ${info.imprintAlgorithm}` };
  const expected = new Uint8Array(await webcrypto.subtle.digest(hash, signatureValue));
  if (!Buffer.from(expected).equals(Buffer.from(info.imprint)))
    return { ...base, valid: false, problem: 'the timestamp does not cover this signature' };
  try {
    // for a TSTInfo pkijs checks the imprint against `data` too, then the TSA's signature
    const ok = await sd.verify({ signer: 0, checkChain: false, data: toArrayBuffer(signatureValue), extendedMode: false });
    if (!ok) return { ...base, valid: false, problem: 'the timestamp signature does not verify' };
  } catch (err) {
    return { ...base, valid: false, problem: `the timestamp signature does not verify: ${(err as Error).message ?? err}` };
  }
  return { ...base, valid: true };
}
