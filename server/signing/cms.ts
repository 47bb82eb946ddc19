// Detached CMS SignedData (RFC 5652) for PDF signatures, built with pkijs. This replaces
// @signpdf/signer-p12: node-forge re-encodes the certificate's issuer when it writes the SignerInfo,
// so certificates with UTF8String names (every Vietnamese CA's) no longer match and verifiers report
// an unknown failure (docs/design-notes.md, Stack traps). Here the issuer is copied byte for byte from the certificate.
import * as asn1js from 'asn1js';
import { webcrypto } from 'node:crypto';
import { Signer as SignPdfSigner } from '@signpdf/utils';
import type { Signer } from './signer';
import { OID, usePkijs } from './pkijs-engine';

const pkijs = usePkijs();

function toArrayBuffer(u8: Uint8Array): ArrayBuffer {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer;
}

/** Orders attributes as DER orders a SET OF (by their encodings), so re-encoding verifiers agree. */
function derSorted(attributes: InstanceType<typeof pkijs.Attribute>[]) {
  const enc = (a: InstanceType<typeof pkijs.Attribute>) => Buffer.from(a.toSchema().toBER(false));
  return [...attributes].sort((a, b) => Buffer.compare(enc(a), enc(b)));
}

export interface CmsOptions {
  /** what the signature claims as signing time (signingTime attribute); defaults to now */
  signingTime?: Date;
}

/** Builds the DER ContentInfo for a detached signature over `content`. */
export async function buildDetachedCms(content: Uint8Array, signer: Signer, options: CmsOptions = {}): Promise<Uint8Array> {
  const chain = signer.certificateChain.map((der) => pkijs.Certificate.fromBER(toArrayBuffer(der)));
  const own = chain[0];
  if (!own) throw new Error('signer has no certificate');
  const digest = await webcrypto.subtle.digest('SHA-256', content);

  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: derSorted([
      new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
      new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: options.signingTime ?? new Date() })] }),
      new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: digest })] }),
    ]),
  });
  // The signature covers the attributes encoded as a SET (tag 0x31), not as the [0] they are stored as.
  const toSign = new Uint8Array(signedAttrs.toSchema().toBER(false));
  toSign[0] = 0x31;
  const signature = await signer.sign(toSign);

  const rsa = signer.algorithm === 'RSASSA-PKCS1-v1_5-SHA256';
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: own.issuer, serialNumber: own.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1js.Null() }),
    signedAttrs,
    signatureAlgorithm: rsa
      ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() })
      : new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSHA256 }),
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }), // detached: no eContent
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1js.Null() })],
    certificates: chain,
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}

/** Adapter for @signpdf/signpdf: SignPdf hands it the bytes of the ByteRange. */
export class CmsSigner extends SignPdfSigner {
  constructor(private readonly signer: Signer) {
    super();
  }

  override async sign(pdfBuffer: Buffer, signingTime?: Date): Promise<Buffer> {
    const cms = await buildDetachedCms(pdfBuffer, this.signer, { signingTime });
    return Buffer.from(cms);
  }
}
