// HTTP schemas of the minutes (biên bản) endpoints, shared by the routes and the client.
import Type from 'typebox';
import { MinutesDocumentSchema } from './minutes';

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const MinutesStatusSchema = Type.Union([Type.Literal('draft'), Type.Literal('final'), Type.Literal('signed_secretary'), Type.Literal('signed_all')]);
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
  items: Type.Array(Type.Object({
    itemId: Type.String(),
    speakers: Type.Array(Type.Object({
      requestId: Type.String(), userId: Type.String(), fullName: Type.String(),
      kind: Type.Union([Type.Literal('speak'), Type.Literal('question')]), at: Type.String(),
    })),
  })),
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
    edit: Type.Boolean(), editConclusions: Type.Boolean(), preview: Type.Boolean(),
    finalize: Type.Boolean(), sign: Type.Boolean(), revise: Type.Boolean(),
  }),
});
export type MinutesDraft = Type.Static<typeof MinutesDraftSchema>;

export const SignatureCheckSchema = Type.Object({
  signerName: Type.String(),
  signedAt: Nullable(Type.String()),
  valid: Type.Boolean(),
  coversWholeDocument: Type.Boolean(),
  problem: Type.Optional(Type.String()),
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
  knownVersion: Nullable(Type.Object({ meetingId: Type.String(), version: Type.Integer(), status: Type.String(), headHash: Type.String() })),
});

export const SignatureImageInfoSchema = Type.Object({ width: Type.Integer(), height: Type.Integer(), updatedAt: Type.String() });
