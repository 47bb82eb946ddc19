// Does a signer's certificate chain to a CA the administrator trusts, at a given time? Built on
// pkijs's chain validation engine (path building, signatures, validity periods, basic constraints).
// Revocation (CRL/OCSP) is not checked here: deployments that need it fetch CRLs beside this check
// (docs/design-notes.md, Official signing keys).
import { parseCertificate } from './cms';
import { usePkijs } from './pkijs-engine';

const pkijs = usePkijs();

export interface ChainCheck {
  trusted: boolean;
  problem?: string;
}

/**
 * `chain`: the signer's certificate first, then any intermediates the signature carries;
 * `anchors`: trusted CA certificates (DER); `at`: the time the chain must hold at.
 */
export async function checkChain(chain: readonly Uint8Array[], anchors: readonly Uint8Array[], at: Date): Promise<ChainCheck> {
  if (!chain.length) return { trusted: false, problem: 'no certificate' };
  if (!anchors.length) return { trusted: false, problem: 'no trusted certificate authority is configured' };
  try {
    const engine = new pkijs.CertificateChainValidationEngine({
      certs: chain.map(parseCertificate),
      trustedCerts: anchors.map(parseCertificate),
      checkDate: at,
    });
    const r = await engine.verify({ passedWhenNotRevValues: true });
    return r.result
      ? { trusted: true }
      : { trusted: false, problem: r.resultMessage || 'the certificate does not chain to a trusted authority' };
  } catch (err) {
    const e = err as { resultMessage?: string; message?: string };
    return { trusted: false, problem: e.resultMessage || e.message || 'the certificate does not chain to a trusted authority' };
  }
}

/** The certificate's own validity period contains `at`. */
export function validAt(certificateDer: Uint8Array, at: Date): boolean {
  const c = parseCertificate(certificateDer);
  return c.notBefore.value.getTime() <= at.getTime() && at.getTime() <= c.notAfter.value.getTime();
}
