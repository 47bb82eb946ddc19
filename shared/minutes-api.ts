// HTTP schemas of the minutes (biên bản) endpoints, shared by the routes and the client.
import Type from 'typebox';
import { MinutesDocumentSchema } from './minutes';

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const MinutesStatusSchema = Type.Union([
  Type.Literal('draft'),
  Type.Literal('final'),
  Type.Literal('signed_secretary'),
  Type.Literal('signed_all'),
]);
export const MinutesVersionStatusSchema = Type.Union([MinutesStatusSchema, Type.Literal('superseded')]);

export const MinutesVersionSchema = Type.Object({
  version: Type.Integer(),
  status: MinutesVersionStatusSchema,
  pageCount: Type.Integer(),
  headHash: Type.String(),
  sha256: Type.String(),
  finalizedAt: Type.String(),
  secretarySignedAt: Nullable(Type.String()),
  chairSignedAt: Nullable(Type.String()),
});
export type MinutesVersion = Type.Static<typeof MinutesVersionSchema>;

export const MinutesOutlineSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      itemId: Type.String(),
      speakers: Type.Array(
        Type.Object({
          requestId: Type.String(),
          userId: Type.String(),
          fullName: Type.String(),
          kind: Type.Union([Type.Literal('speak'), Type.Literal('question')]),
          at: Type.String(),
        }),
      ),
    }),
  ),
});

export const MinutesDraftSchema = Type.Object({
  meetingId: Type.String(),
  meetingStatus: Type.String(),
  status: MinutesStatusSchema,
  version: Type.Integer(),
  fields: Type.Record(Type.String(), Type.Object({ text: Type.String(), version: Type.Integer() })),
  document: MinutesDocumentSchema,
  outline: MinutesOutlineSchema,
  versions: Type.Array(MinutesVersionSchema),
  can: Type.Object({
    edit: Type.Boolean(),
    editConclusions: Type.Boolean(),
    preview: Type.Boolean(),
    finalize: Type.Boolean(),
    sign: Type.Boolean(),
    revise: Type.Boolean(),
  }),
});
export type MinutesDraft = Type.Static<typeof MinutesDraftSchema>;

export const SignatureCheckSchema = Type.Object({
  signerName: Type.String(),
  /** the time the signer claims (/M of the signature dictionary) */
  signedAt: Nullable(Type.String()),
  valid: Type.Boolean(),
  coversWholeDocument: Type.Boolean(),
  problem: Type.Optional(Type.String()),
  /** e.g. ETSI.CAdES.detached (PAdES baseline) */
  subFilter: Type.Optional(Nullable(Type.String())),
  /** the certificate that signed: subject and issuer common names, validity */
  certificate: Type.Optional(
    Nullable(Type.Object({ subject: Type.String(), issuer: Type.String(), notBefore: Type.String(), notAfter: Type.String() })),
  ),
  /** an RFC 3161 timestamp on the signature (PAdES B-T) */
  timestamp: Type.Optional(
    Nullable(
      Type.Object({
        time: Type.String(),
        tsaName: Nullable(Type.String()),
        valid: Type.Boolean(),
        trusted: Type.Optional(Type.Boolean()),
        problem: Type.Optional(Type.String()),
      }),
    ),
  ),
  /** against the CAs the administrator trusts, at the signing time (the timestamp's if valid) */
  trust: Type.Optional(
    Type.Object({
      chainTrusted: Type.Boolean(),
      certificateValidAtSigningTime: Type.Boolean(),
      checkedAt: Type.String(),
      problem: Type.Optional(Type.String()),
    }),
  ),
});

export const MinutesVerificationSchema = Type.Object({
  version: Type.Integer(),
  status: MinutesVersionStatusSchema,
  signatures: Type.Array(SignatureCheckSchema),
  intact: Type.Boolean(),
  storedBytesIntact: Type.Boolean(),
  headHash: Type.String(),
  headSeq: Type.Integer(),
  matchesLog: Type.Boolean(),
});
export type MinutesVerification = Type.Static<typeof MinutesVerificationSchema>;

export const FileVerificationSchema = Type.Object({
  signatures: Type.Array(SignatureCheckSchema),
  intact: Type.Boolean(),
  knownVersion: Nullable(
    Type.Object({ meetingId: Type.String(), version: Type.Integer(), status: Type.String(), headHash: Type.String() }),
  ),
});

export const SignatureImageInfoSchema = Type.Object({ width: Type.Integer(), height: Type.Integer(), updatedAt: Type.String() });

// ---- deferred (external) signing: the signer's own signing app or remote-signing service signs

const Base64 = Type.String({ minLength: 1, maxLength: 200_000, pattern: '^[A-Za-z0-9+/\\s]+={0,2}\\s*$' });

/** Prepare: no certificate → the app returns a whole CMS over `digest`; with the certificate chain → the app signs `signedAttributes` and returns the raw signature. */
export const ExternalPrepareBody = Type.Object(
  {
    /** base64 DER (or PEM) certificates, the signer's first */
    certificateChain: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 20_000 }), { minItems: 1, maxItems: 6 })),
  },
  { additionalProperties: false },
);

export const ExternalSigningRequestSchema = Type.Object({
  requestId: Type.String(),
  mode: Type.Union([Type.Literal('cms'), Type.Literal('raw')]),
  role: Type.Union([Type.Literal('secretary'), Type.Literal('chair')]),
  version: Type.Integer(),
  /** SHA-256 of the PDF bytes the signature covers (the CMS messageDigest), hex and base64 */
  digestHex: Type.String(),
  digestBase64: Type.String(),
  /** raw mode: the DER signed attributes to sign with SHA-256, base64; and their SHA-256 for services that sign a hash */
  signedAttributesBase64: Type.Optional(Type.String()),
  signedAttributesSha256Hex: Type.Optional(Type.String()),
  /** raw mode: what the signature must be (RSA PKCS#1 v1.5 or ECDSA P-256, both with SHA-256) */
  algorithm: Type.Optional(Type.String()),
  signedAt: Type.String(),
  expiresAt: Type.String(),
});
export type ExternalSigningRequest = Type.Static<typeof ExternalSigningRequestSchema>;

export const ExternalCompleteBody = Type.Object(
  {
    /** CMS mode: the DER ContentInfo (SignedData, detached), base64 */
    cms: Type.Optional(Base64),
    /** raw mode: the signature value, base64 (PKCS#1 v1.5 bytes for RSA; DER or r||s for ECDSA) */
    signature: Type.Optional(Base64),
  },
  { additionalProperties: false },
);

export const ExternalRequestParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  requestId: Type.String({ minLength: 1, maxLength: 64 }),
});
