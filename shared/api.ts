// HTTP request/response schemas, shared by the Fastify routes (validation, serialisation, OpenAPI)
// and the client (types). TypeBox schemas are plain JSON Schema, so Fastify uses them as they are.
import Type from 'typebox';
import { MEETING_KINDS, MEETING_ROLES, MEETING_STATUSES } from './roles';

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const IdParams = Type.Object({ id: Id });
export const ItemParams = Type.Object({ id: Id, itemId: Id });
export const MemberParams = Type.Object({ id: Id, userId: Id });
export const DocParams = Type.Object({ id: Id, documentId: Id });

export const ErrorResponse = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
});

export const MeetingRoleSchema = Type.Enum(MEETING_ROLES);
export const MeetingKindSchema = Type.Enum(MEETING_KINDS);
export const MeetingStatusSchema = Type.Enum(MEETING_STATUSES);

// ---- auth
export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  fullName: Type.String(),
  isAdmin: Type.Boolean(),
  /** may create meetings (granted by an administrator); an admin may anyway */
  isOrganiser: Type.Boolean(),
});
export type User = Type.Static<typeof UserSchema>;
export const UserList = Type.Array(UserSchema);
const Username = Type.String({ minLength: 2, maxLength: 64, pattern: '^[a-zA-Z0-9._-]+$' });
const Password = Type.String({ minLength: 8, maxLength: 256 });
const FullName = Type.String({ minLength: 1, maxLength: 200 });
/** where e-mail notifications go; null clears it */
const Email = Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]);
export const CreateUserBody = Type.Object(
  { username: Username, fullName: FullName, password: Password, isAdmin: Type.Optional(Type.Boolean()), isOrganiser: Type.Optional(Type.Boolean()),
    email: Type.Optional(Email) },
  { additionalProperties: false },
);
export const UpdateUserBody = Type.Object(
  {
    fullName: Type.Optional(FullName), password: Type.Optional(Password), isAdmin: Type.Optional(Type.Boolean()),
    isOrganiser: Type.Optional(Type.Boolean()), email: Type.Optional(Email),
  },
  { additionalProperties: false, minProperties: 1 },
);

// ---- meetings
const IsoDate = Type.String({ format: 'date-time', maxLength: 40 });
export const MeetingSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  kind: MeetingKindSchema,
  status: MeetingStatusSchema,
  startsAt: Type.Union([Type.String(), Type.Null()]),
  location: Type.Union([Type.String(), Type.Null()]),
  organization: Type.Union([Type.String(), Type.Null()]),
  /** the caller's role in this meeting; null for an admin who is not a member */
  role: Type.Union([MeetingRoleSchema, Type.Null()]),
  createdAt: Type.String(),
});
export type Meeting = Type.Static<typeof MeetingSchema>;
export const MeetingList = Type.Array(MeetingSchema);

export const CreateMeetingBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 300 }),
    kind: Type.Optional(MeetingKindSchema),
    startsAt: Type.Optional(IsoDate),
    location: Type.Optional(Type.String({ maxLength: 300 })),
    organization: Type.Optional(Type.String({ maxLength: 300 })),
    /** the creator's own role in the new meeting; an organiser who is not an admin always gets one (default secretary) */
    creatorRole: Type.Optional(Type.Enum(['chair', 'secretary'] as const)),
  },
  { additionalProperties: false },
);
export const UpdateMeetingBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    kind: Type.Optional(MeetingKindSchema),
    startsAt: Type.Optional(Type.Union([IsoDate, Type.Null()])),
    location: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()])),
    organization: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

// ---- members
export const MemberSchema = Type.Object({
  userId: Type.String(),
  username: Type.String(),
  fullName: Type.String(),
  role: MeetingRoleSchema,
});
export type Member = Type.Static<typeof MemberSchema>;
export const AddMemberBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), role: MeetingRoleSchema },
  { additionalProperties: false },
);

// ---- documents
export const DocumentSchema = Type.Object({
  id: Type.String(),
  meetingId: Type.String(),
  sha256: Type.String(),
  filename: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  pageCount: Type.Integer(),
  size: Type.Integer(),
  createdAt: Type.String(),
  /** accepted but suspicious: 'blank-first-page' = page 1 paints nothing (a damaged file, or an empty page) */
  warning: Type.Union([Type.Literal('blank-first-page'), Type.Null()]),
});
export type DocumentInfo = Type.Static<typeof DocumentSchema>;

// ---- agenda
export const AgendaItemSchema = Type.Object({
  id: Type.String(),
  meetingId: Type.String(),
  position: Type.Integer(),
  title: Type.String(),
  presenterId: Type.Union([Type.String(), Type.Null()]),
  durationMinutes: Type.Union([Type.Integer(), Type.Null()]),
  documentIds: Type.Array(Type.String()),
});
export type AgendaItem = Type.Static<typeof AgendaItemSchema>;
export const CreateAgendaItemBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 500 }),
    presenterId: Type.Optional(Type.Union([Id, Type.Null()])),
    durationMinutes: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1440 }), Type.Null()])),
  },
  { additionalProperties: false },
);
/** PATCH /api/documents/:id: the organiser renames a document (the title people see). */
export const MAX_DOCUMENT_TITLE = 200;
export const RenameDocumentBody = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: MAX_DOCUMENT_TITLE }) },
  { additionalProperties: false },
);
export type RenameDocumentBody = Type.Static<typeof RenameDocumentBody>;

export const UpdateAgendaItemBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    presenterId: Type.Optional(Type.Union([Id, Type.Null()])),
    durationMinutes: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1440 }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const ReorderAgendaBody = Type.Object(
  { itemIds: Type.Array(Id, { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
);
export const AttachDocumentBody = Type.Object({ documentId: Id }, { additionalProperties: false });

/**
 * What the caller may do in this meeting, as the server decides it (server/policies/meeting-policy.ts):
 * the client shows these controls without re-deriving roles.
 */
export const MeetingAbilitiesSchema = Type.Object({
  update: Type.Boolean(),
  manageMembers: Type.Boolean(),
  editAgenda: Type.Boolean(),
  uploadDocument: Type.Boolean(),
  /** create accounts for new members (administrators only) */
  createAccounts: Type.Boolean(),
});
export type MeetingAbilities = Type.Static<typeof MeetingAbilitiesSchema>;

/** An account an organiser may add to a meeting: no more than the name the members list shows. */
export const MemberCandidateSchema = Type.Object({ id: Type.String(), username: Type.String(), fullName: Type.String() });
export type MemberCandidate = Type.Static<typeof MemberCandidateSchema>;

/** Everything the meeting page needs in one request. */
export const MeetingDetailSchema = Type.Object({
  meeting: MeetingSchema,
  abilities: MeetingAbilitiesSchema,
  agenda: Type.Array(AgendaItemSchema),
  documents: Type.Array(DocumentSchema),
  members: Type.Array(MemberSchema),
});
export type MeetingDetail = Type.Static<typeof MeetingDetailSchema>;

/** The caller's display settings (GET/PUT /api/me/settings), kept per user on the server. */
export const DisplaySettingsSchema = Type.Object({
  largeText: Type.Boolean(),
  highContrast: Type.Boolean(),
}, { additionalProperties: false });
export type DisplaySettings = Type.Static<typeof DisplaySettingsSchema>;
