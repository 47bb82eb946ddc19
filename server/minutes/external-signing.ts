// Deferred (external) signing of the minutes: the flow a USB token in the signer's own hands takes,
// or a remote-signing service. Step 1 (prepare) adds this signer's placeholder to the current bytes,
// stores the prepared file by hash and a request row, and hands out the digest of the covered bytes
// (CMS mode) or, given the signer's certificate, the PAdES signed attributes to sign (raw mode).
// Step 2 (complete) takes the CMS (or raw signature, assembled here into a CMS, timestamped when a
// TSA is configured), embeds it, and verifies the result exactly as any reader would: the signature
// covers the prepared digest, verifies, and its certificate chains to a trusted CA and is valid at
// the signing time. Anything else is refused with a stable code and the minutes stay as they were.
// Loaded on the first deferred signature (pkijs and pdf-lib are large), like the other signing parts.
import { createHash, webcrypto } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { minutesSigningRequests } from '../db/schema';
import type { Store } from '../db/store';
import { AppError } from '../errors';
import { newId } from '../ids';
import type { MeetingAccess } from '../policies/meeting-policy';
import type { DocumentStore } from '../services/document-store';
import { algorithmOfCertificate, assembleCms, padesSignedAttributes, parseCertificate } from '../signing/cms';
import { Pkcs11Error } from '../signing/pkcs11-signer';
import { CmsTooLarge, embedCms, preparePdfSignature } from '../signing/sign-pdf';
import { ecdsaDerToRaw, ecdsaRawToDer } from '../signing/signer';
import { TimestampError } from '../signing/timestamp';
import { checkChain, validAt } from '../signing/trust';
import { verifySignedPdf } from '../signing/verify-pdf';
import type { ExternalSigningRequest } from '../../shared/minutes-api';
import type { SigningContext } from './minutes-service';

/** Room for a CMS from someone else's signing app: a chain of a few RSA-4096 certificates and a timestamp. */
const EXTERNAL_SIGNATURE_BYTES = 16384;

/** A failure while signing, as the stable code the client shows. */
export function signingFailure(err: unknown): unknown {
  if (err instanceof TimestampError)
    return new AppError('TSA_UNAVAILABLE', `No timestamp: ${err.message}. Nothing was signed; try again later.`);
  if (err instanceof Pkcs11Error) return new AppError('SIGNING_UNAVAILABLE', `The signing token could not sign: ${err.message}`);
  if (err instanceof CmsTooLarge) return new AppError('SIGNATURE_INVALID', err.message);
  return err;
}

function parseChain(chain: readonly Uint8Array[]): void {
  for (const der of chain) {
    try {
      parseCertificate(der);
    } catch {
      throw new AppError('BAD_CERTIFICATE', 'A certificate of the chain cannot be read (X.509 DER expected)');
    }
  }
  try {
    algorithmOfCertificate(chain[0]!);
  } catch {
    throw new AppError('BAD_CERTIFICATE', 'The signer’s key must be RSA or ECDSA P-256');
  }
}

async function requireTrusted(chain: readonly Uint8Array[], anchors: readonly Uint8Array[], at: Date): Promise<void> {
  if (!validAt(chain[0]!, at))
    throw new AppError('CERTIFICATE_NOT_VALID', 'The signer’s certificate is expired or not yet valid at the signing time');
  const check = await checkChain(chain, anchors, at);
  if (!check.trusted)
    throw new AppError(
      'CERTIFICATE_UNTRUSTED',
      `The signer’s certificate is not from a CA the administrator trusts (${check.problem ?? 'no chain'})`,
    );
}

export async function prepareExternal(o: {
  database: Store;
  store: DocumentStore;
  access: MeetingAccess;
  ctx: SigningContext;
  now: Date;
  certificateChain?: Uint8Array[];
  anchors: Uint8Array[];
  ttlMs: number;
}): Promise<ExternalSigningRequest> {
  const { database, access, ctx, now } = o;
  const chain = o.certificateChain;
  if (chain) {
    parseChain(chain);
    // refused before the signer is asked to sign anything
    await requireTrusted(chain, o.anchors, now);
  }
  const prepared = await preparePdfSignature(ctx.before, {
    ...ctx.placement,
    signedAt: now,
    signatureLength: EXTERNAL_SIGNATURE_BYTES,
  });
  const { sha256: preparedSha256 } = await o.store.putBytes(prepared.pdf);
  const attrs = chain ? padesSignedAttributes(prepared.digest, chain[0]!) : null;
  const id = newId();
  const expiresAt = new Date(now.getTime() + o.ttlMs).toISOString();
  await database.write(access.meetingId, async (tx, t) => {
    const minutesSigningRequests = t.minutesSigningRequests;
    // one open request per signer and version: an earlier one is superseded
    await tx
      .update(minutesSigningRequests)
      .set({ status: 'cancelled' })
      .where(
        and(
          eq(minutesSigningRequests.meetingId, access.meetingId),
          eq(minutesSigningRequests.userId, access.userId),
          eq(minutesSigningRequests.status, 'pending'),
        ),
      );
    await tx.insert(minutesSigningRequests).values({
      id,
      meetingId: access.meetingId,
      version: ctx.row.version,
      role: ctx.role,
      userId: access.userId,
      baseSha256: ctx.row.currentSha256,
      preparedSha256,
      byteRange: JSON.stringify(prepared.byteRange),
      digest: Buffer.from(prepared.digest).toString('hex'),
      signedAttributes: attrs ? Buffer.from(attrs.toSign).toString('base64') : null,
      certificateChain: chain ? JSON.stringify(chain.map((c) => Buffer.from(c).toString('base64'))) : null,
      signedAt: now.toISOString(),
      expiresAt,
      status: 'pending',
      problem: null,
    });
  });
  return {
    requestId: id,
    mode: chain ? 'raw' : 'cms',
    role: ctx.role,
    version: ctx.row.version,
    digestHex: Buffer.from(prepared.digest).toString('hex'),
    digestBase64: Buffer.from(prepared.digest).toString('base64'),
    ...(attrs
      ? {
          signedAttributesBase64: Buffer.from(attrs.toSign).toString('base64'),
          signedAttributesSha256Hex: createHash('sha256').update(attrs.toSign).digest('hex'),
          algorithm: algorithmOfCertificate(chain![0]!),
        }
      : {}),
    signedAt: now.toISOString(),
    expiresAt,
  };
}

/** r‖s (what WebCrypto and many tokens give) or DER: CMS wants DER. */
function ecdsaSignatureDer(sig: Uint8Array): Uint8Array {
  return sig[0] === 0x30 && sig.length !== 64 ? sig : sig.length === 64 ? ecdsaRawToDer(sig) : sig;
}

async function rawSignatureVerifies(
  certDer: Uint8Array,
  data: Uint8Array,
  sigDer: Uint8Array,
  algorithm: string,
): Promise<boolean> {
  const spki = parseCertificate(certDer).subjectPublicKeyInfo.toSchema().toBER(false);
  try {
    if (algorithm === 'RSASSA-PKCS1-v1_5-SHA256') {
      const key = await webcrypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, [
        'verify',
      ]);
      return await webcrypto.subtle.verify('RSASSA-PKCS1-v1_5', key, sigDer, data);
    }
    const key = await webcrypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    return await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, ecdsaDerToRaw(sigDer), data);
  } catch {
    return false;
  }
}

export async function completeExternal(o: {
  database: Store;
  access: MeetingAccess;
  ctx: SigningContext;
  now: Date;
  requestId: string;
  input: { cms?: Uint8Array; signature?: Uint8Array };
  anchors: Uint8Array[];
  timestamp?: (signatureValue: Uint8Array) => Promise<Uint8Array>;
  readBytes: (hash: string) => Promise<Buffer>;
}): Promise<{ signed: Uint8Array; request: typeof minutesSigningRequests.$inferSelect }> {
  const { database, access, ctx, now } = o;
  const [request] = await database.read((q, t) =>
    q
      .select()
      .from(t.minutesSigningRequests)
      .where(and(eq(t.minutesSigningRequests.id, o.requestId), eq(t.minutesSigningRequests.meetingId, access.meetingId))),
  );
  // another user's request is as unknown as a missing one
  if (!request || request.userId !== access.userId) throw new AppError('NOT_FOUND', 'No such signing request');
  if (request.status !== 'pending')
    throw new AppError('CONFLICT', `This signing request is ${request.status}; prepare a new one`);
  if (now.toISOString() > request.expiresAt)
    throw new AppError('SIGNING_REQUEST_EXPIRED', 'This signing request has expired; prepare a new one');
  if (request.baseSha256 !== ctx.row.currentSha256 || request.version !== ctx.row.version || request.role !== ctx.role) {
    throw new AppError('CONFLICT', 'The minutes changed since this signature was prepared; prepare again');
  }
  // the request keeps its last problem (the signer's app shows it); then the refusal
  const refuse = async (
    code: 'SIGNATURE_INVALID' | 'SIGNATURE_DIGEST_MISMATCH' | 'CERTIFICATE_UNTRUSTED' | 'CERTIFICATE_NOT_VALID' | 'INVALID',
    message: string,
  ): Promise<never> => {
    await database.write(access.meetingId, (tx, t) =>
      tx.update(t.minutesSigningRequests).set({ problem: code }).where(eq(t.minutesSigningRequests.id, request.id)),
    );
    throw new AppError(code, message);
  };

  const byteRange = JSON.parse(request.byteRange) as [number, number, number, number];
  let cms: Uint8Array;
  if (request.signedAttributes && request.certificateChain) {
    if (!o.input.signature || o.input.cms)
      return refuse('INVALID', 'This request was prepared for a raw signature: send `signature`');
    const chain = (JSON.parse(request.certificateChain) as string[]).map((b) => new Uint8Array(Buffer.from(b, 'base64')));
    const algorithm = algorithmOfCertificate(chain[0]!);
    // the attributes are a function of the digest and the certificate: rebuilt, they are the ones handed out
    const attrs = padesSignedAttributes(new Uint8Array(Buffer.from(request.digest, 'hex')), chain[0]!);
    if (Buffer.from(attrs.toSign).toString('base64') !== request.signedAttributes)
      throw new AppError('INTERNAL', 'The prepared signed attributes cannot be rebuilt');
    const sig = algorithm === 'ECDSA-P256-SHA256' ? ecdsaSignatureDer(o.input.signature!) : o.input.signature!;
    if (!(await rawSignatureVerifies(chain[0]!, attrs.toSign, sig, algorithm)))
      return refuse('SIGNATURE_INVALID', 'The signature does not verify with the certificate over the prepared attributes');
    let token: Uint8Array | undefined;
    try {
      token = o.timestamp ? await o.timestamp(sig) : undefined;
    } catch (err) {
      throw signingFailure(err);
    }
    cms = assembleCms({
      attributes: attrs.attributes,
      signature: sig,
      algorithm,
      certificateChain: chain,
      ...(token ? { timestampToken: token } : {}),
    });
  } else {
    if (!o.input.cms || o.input.signature) return refuse('INVALID', 'This request was prepared for a CMS: send `cms`');
    cms = o.input.cms!;
  }

  const prepared = await o.readBytes(request.preparedSha256);
  if (createHash('sha256').update(prepared).digest('hex') !== request.preparedSha256)
    throw new AppError('INTERNAL', 'The prepared minutes do not match their recorded hash');
  let signed: Uint8Array;
  try {
    signed = embedCms({ pdf: new Uint8Array(prepared), byteRange }, cms);
  } catch (err) {
    if (err instanceof CmsTooLarge) return refuse('SIGNATURE_INVALID', err.message);
    throw err;
  }
  // checked as any reader checks it: the last signature is this one, over exactly the prepared range
  const result = await verifySignedPdf(signed, { trustAnchors: o.anchors });
  const mine = result.signatures.at(-1);
  if (!mine || mine.byteRange.join() !== byteRange.join() || !mine.coversWholeDocument)
    return refuse('SIGNATURE_INVALID', 'The signature does not cover the prepared minutes');
  if (!mine.valid) {
    if (mine.problem === 'digest mismatch')
      return refuse('SIGNATURE_DIGEST_MISMATCH', 'The signature covers something else than the prepared minutes');
    return refuse('SIGNATURE_INVALID', `The signature does not verify: ${mine.problem ?? 'unknown problem'}`);
  }
  if (!result.signatures.every((s) => s.valid)) return refuse('SIGNATURE_INVALID', 'An earlier signature no longer verifies');
  // an expired certificate fails the chain check too: name the more precise reason first
  if (!mine.trust?.certificateValidAtSigningTime)
    return refuse('CERTIFICATE_NOT_VALID', 'The signer’s certificate is expired or not yet valid at the signing time');
  if (!mine.trust.chainTrusted)
    return refuse(
      'CERTIFICATE_UNTRUSTED',
      `The signer’s certificate is not from a CA the administrator trusts (${mine.trust.problem ?? 'no chain'})`,
    );
  return { signed, request };
}
