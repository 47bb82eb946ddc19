// Detached CMS SignedData (RFC 5652) for PDF signatures, built with pkijs, in the PAdES baseline
// profile (ETSI EN 319 142-1, CAdES EN 319 122-1): signed attributes contentType, messageDigest and
// signing-certificate-v2 (the hash of the signer's certificate, so the certificate cannot be swapped),
// and NO signingTime: PAdES puts the claimed time in the signature dictionary's /M. An RFC 3161
// timestamp over the signature value may follow as the unsigned attribute signature-time-stamp (B-T).
// This replaces @signpdf/signer-p12: node-forge re-encodes the certificate's issuer when it writes the
// SignerInfo, so certificates with UTF8String names (every Vietnamese CA's) no longer match and
// verifiers report an unknown failure (docs/design-notes.md, Stack traps). Here the issuer is copied
// byte for byte from the certificate.
//
// The steps are separate so a signature can be made elsewhere (deferred signing): the server builds
// the signed attributes, a USB token in the user's hands signs them, the server assembles the CMS.
import * as asn1js from 'asn1js';
import { createHash } from 'node:crypto';
import type { SignatureAlgorithm, Signer } from './signer';
import { OID, usePkijs } from './pkijs-engine';

const pkijs = usePkijs();
type Attribute = InstanceType<typeof pkijs.Attribute>;
type Certificate = InstanceType<typeof pkijs.Certificate>;

export function toArrayBuffer(u8: Uint8Array): ArrayBuffer {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer;
}

export function parseCertificate(der: Uint8Array): Certificate {
  return pkijs.Certificate.fromBER(toArrayBuffer(der));
}

/** Orders attributes as DER orders a SET OF (by their encodings), so re-encoding verifiers agree. */
function derSorted(attributes: Attribute[]) {
  const enc = (a: Attribute) => Buffer.from(a.toSchema().toBER(false));
  return [...attributes].sort((a, b) => Buffer.compare(enc(a), enc(b)));
}

/** The signature algorithm a certificate's key implies (the two the Signer interface knows). */
export function algorithmOfCertificate(der: Uint8Array): SignatureAlgorithm {
  const alg = parseCertificate(der).subjectPublicKeyInfo.algorithm.algorithmId;
  if (alg === OID.rsaEncryption) return 'RSASSA-PKCS1-v1_5-SHA256';
  if (alg === OID.ecPublicKey) return 'ECDSA-P256-SHA256';
  throw new Error(`unsupported certificate key ${alg}`);
}

/**
 * signing-certificate-v2 (RFC 5035): SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }, one ESSCertIDv2 =
 * SEQUENCE { certHash OCTET STRING (SHA-256, the default algorithm, so omitted), issuerSerial }.
 */
function signingCertificateV2(cert: Certificate, certDer: Uint8Array): Attribute {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })],
      }),
      cert.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: toArrayBuffer(createHash('sha256').update(certDer).digest()) }), issuerSerial],
  });
  return new pkijs.Attribute({
    type: OID.signingCertificateV2,
    values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })],
  });
}

export interface PreparedAttributes {
  attributes: InstanceType<typeof pkijs.SignedAndUnsignedAttributes>;
  /** the DER SET OF the attributes: exactly what the signer signs */
  toSign: Uint8Array;
}

/** The PAdES signed attributes for content with SHA-256 `contentDigest`, signed by `certificateDer`. */
export function padesSignedAttributes(contentDigest: Uint8Array, certificateDer: Uint8Array): PreparedAttributes {
  const cert = parseCertificate(certificateDer);
  const attributes = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: derSorted([
      new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
      new pkijs.Attribute({
        type: OID.messageDigest,
        values: [new asn1js.OctetString({ valueHex: toArrayBuffer(contentDigest) })],
      }),
      signingCertificateV2(cert, certificateDer),
    ]),
  });
  // The signature covers the attributes encoded as a SET (tag 0x31), not as the [0] they are stored as.
  const toSign = new Uint8Array(attributes.toSchema().toBER(false));
  toSign[0] = 0x31;
  return { attributes, toSign };
}

export interface AssembleInput {
  attributes: PreparedAttributes['attributes'];
  signature: Uint8Array;
  algorithm: SignatureAlgorithm;
  /** DER certificates, the signer's first */
  certificateChain: readonly Uint8Array[];
  /** an RFC 3161 TimeStampToken (a ContentInfo) over `signature`, added as an unsigned attribute */
  timestampToken?: Uint8Array;
}

/** The DER ContentInfo of the detached SignedData. */
export function assembleCms(input: AssembleInput): Uint8Array {
  const chain = input.certificateChain.map(parseCertificate);
  const own = chain[0];
  if (!own) throw new Error('signer has no certificate');
  const rsa = input.algorithm === 'RSASSA-PKCS1-v1_5-SHA256';
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: own.issuer, serialNumber: own.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1js.Null() }),
    signedAttrs: input.attributes,
    signatureAlgorithm: rsa
      ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() })
      : new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSHA256 }),
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(input.signature) }),
    ...(input.timestampToken
      ? {
          unsignedAttrs: new pkijs.SignedAndUnsignedAttributes({
            type: 1,
            attributes: [
              new pkijs.Attribute({
                type: OID.timeStampToken,
                values: [asn1js.fromBER(toArrayBuffer(input.timestampToken)).result],
              }),
            ],
          }),
        }
      : {}),
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

export interface CmsOptions {
  /** asks for an RFC 3161 timestamp over the signature value (PAdES B-T) */
  timestamp?: (signatureValue: Uint8Array) => Promise<Uint8Array>;
}

/** Signs the SHA-256 `contentDigest` with `signer`: the whole CMS, in one call. */
export async function buildCmsForDigest(
  contentDigest: Uint8Array,
  signer: Signer,
  options: CmsOptions = {},
): Promise<Uint8Array> {
  const own = signer.certificateChain[0];
  if (!own) throw new Error('signer has no certificate');
  const prepared = padesSignedAttributes(contentDigest, own);
  const signature = await signer.sign(prepared.toSign);
  const timestampToken = options.timestamp ? await options.timestamp(signature) : undefined;
  return assembleCms({
    attributes: prepared.attributes,
    signature,
    algorithm: signer.algorithm,
    certificateChain: signer.certificateChain,
    ...(timestampToken ? { timestampToken } : {}),
  });
}

/** Builds the DER ContentInfo for a detached signature over `content`. */
export async function buildDetachedCms(content: Uint8Array, signer: Signer, options: CmsOptions = {}): Promise<Uint8Array> {
  return buildCmsForDigest(new Uint8Array(createHash('sha256').update(content).digest()), signer, options);
}
