// tsconfig.server.json checks the server without the DOM library; the Web Crypto names the signing
// code uses are the DOM's there, so here they come from Node's own webcrypto types instead. Only that
// config includes this file (the editor-wide tsconfig.json has the DOM and excludes it).
import type { webcrypto } from 'node:crypto';

declare global {
  type Crypto = webcrypto.Crypto;
  type CryptoKey = webcrypto.CryptoKey;
  type CryptoKeyPair = webcrypto.CryptoKeyPair;
  type RsaHashedKeyGenParams = webcrypto.RsaHashedKeyGenParams;
  type EcKeyGenParams = webcrypto.EcKeyGenParams;
  type RsaHashedImportParams = webcrypto.RsaHashedImportParams;
  type EcKeyImportParams = webcrypto.EcKeyImportParams;
}
export {};
