// Confidential documents (tài liệu mật, DOMAIN.md): the three levels of the state-secrets law, in
// rising order. A document with a level is served to members only as a copy carrying their
// personal watermark (docs/confidential-documents.md).
import Type from 'typebox';

export const CONFIDENTIALITY_LEVELS = ['mat', 'toi-mat', 'tuyet-mat'] as const;
export type ConfidentialityLevel = (typeof CONFIDENTIALITY_LEVELS)[number];

export const ConfidentialitySchema = Type.Union(
  [Type.Literal('mat'), Type.Literal('toi-mat'), Type.Literal('tuyet-mat'), Type.Null()],
  { description: 'null: an ordinary document; else its level: mat (Mật), toi-mat (Tối mật), tuyet-mat (Tuyệt mật)' },
);

/** The level as printed on the watermark, in Vietnamese whatever the reader's UI language. */
export const CONFIDENTIALITY_STAMP: Record<ConfidentialityLevel, string> = {
  mat: 'MẬT',
  'toi-mat': 'TỐI MẬT',
  'tuyet-mat': 'TUYỆT MẬT',
};

export const SetConfidentialityBody = Type.Object({ level: ConfidentialitySchema }, { additionalProperties: false });
export type SetConfidentialityBody = Type.Static<typeof SetConfidentialityBody>;

/** PUT /api/documents/:id/offline: may members keep this confidential document on their device (organisers) */
export const SetOfflineAllowedBody = Type.Object({ allowed: Type.Boolean() }, { additionalProperties: false });
export type SetOfflineAllowedBody = Type.Static<typeof SetOfflineAllowedBody>;
