// pkijs runs over Node's WebCrypto; set once, shared by signing and verification.
import { webcrypto } from 'node:crypto';
import * as pkijs from 'pkijs';

let installed = false;
export function usePkijs(): typeof pkijs {
  if (!installed) {
    pkijs.setEngine('node-webcrypto', new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: webcrypto as unknown as Crypto }));
    installed = true;
  }
  return pkijs;
}

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
  ecdsaWithSHA512: '1.2.840.10045.4.3.4',
  commonName: '2.5.4.3',
  ecPublicKey: '1.2.840.10045.2.1',
  /** RFC 5035 signing-certificate-v2 (PAdES baseline) */
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  /** RFC 3161 signature-time-stamp, an unsigned attribute */
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
} as const;
