// HTTP request/response schemas, shared by the Fastify routes (validation, serialisation, OpenAPI)
// and the client (types). TypeBox schemas are plain JSON Schema, so Fastify uses them as they are.
import Type from 'typebox';
import { MEETING_KINDS, MEETING_ROLES, MEETING_STATUSES } from './roles';
import { ConfidentialitySchema } from './confidential';

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
/** where a password is checked: here ('local', the default) or by the configured LDAP directory */
export const PasswordProviderSchema = Type.Union([Type.Literal('local'), Type.Literal('ldap')]);
export type PasswordProvider = Type.Static<typeof PasswordProviderSchema>;
export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    provider: Type.Optional(PasswordProviderSchema),
  },
  { additionalProperties: false },
);
/** The sign-in choices the login page shows (GET /api/auth/providers): no secrets, no addresses. */
export const AuthProvidersSchema = Type.Object({
  local: Type.Literal(true),
  ldap: Type.Boolean(),
  /** OpenID Connect: the button "Đăng nhập bằng <label>" leads to GET /api/auth/oidc/start; null: not configured */
  oidc: Type.Union([Type.Object({ label: Type.String() }), Type.Null()]),
});
/** Logout of a session opened through an OIDC provider that has an end_session_endpoint: the client goes there next. */
export const LogoutResponseSchema = Type.Object({ endSessionUrl: Type.String() });
export type LogoutResponse = Type.Static<typeof LogoutResponseSchema>;
export type AuthProviders = Type.Static<typeof AuthProvidersSchema>;
export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  fullName: Type.String(),
  isAdmin: Type.Boolean(),
  /** may create meetings (granted by an administrator); an admin may anyway */
  isOrganiser: Type.Boolean(),
  /** where the account signs in; a directory account's name, unit, position and roles come from the directory */
  authSource: Type.Union([Type.Literal('local'), Type.Literal('ldap'), Type.Literal('oidc')]),
  /** đơn vị and chức vụ (minutes, signature blocks); null when unknown */
  unit: Type.Union([Type.String(), Type.Null()]),
  position: Type.Union([Type.String(), Type.Null()]),
});
export type User = Type.Static<typeof UserSchema>;
export const UserList = Type.Array(UserSchema);
/** An account as the administrators' accounts screen shows it: with its e-mail (notifications). */
export const AdminUserSchema = Type.Intersect([UserSchema, Type.Object({ email: Type.Union([Type.String(), Type.Null()]) })]);
export type AdminUser = Type.Static<typeof AdminUserSchema>;
export const AdminUserList = Type.Array(AdminUserSchema);
const Username = Type.String({ minLength: 2, maxLength: 64, pattern: '^[a-zA-Z0-9._-]+$' });
const Password = Type.String({ minLength: 8, maxLength: 256 });
const FullName = Type.String({ minLength: 1, maxLength: 200 });
const UnitOrPosition = Type.Union([Type.String({ maxLength: 200 }), Type.Null()]);
/** where e-mail notifications go; null clears it */
const Email = Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]);
export const CreateUserBody = Type.Object(
  {
    username: Username,
    fullName: FullName,
    password: Password,
    isAdmin: Type.Optional(Type.Boolean()),
    isOrganiser: Type.Optional(Type.Boolean()),
    unit: Type.Optional(UnitOrPosition),
    position: Type.Optional(UnitOrPosition),
    email: Type.Optional(Email),
  },
  { additionalProperties: false },
);
export const UpdateUserBody = Type.Object(
  {
    fullName: Type.Optional(FullName),
    password: Type.Optional(Password),
    isAdmin: Type.Optional(Type.Boolean()),
    isOrganiser: Type.Optional(Type.Boolean()),
    unit: Type.Optional(UnitOrPosition),
    position: Type.Optional(UnitOrPosition),
    email: Type.Optional(Email),
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
  /** đơn vị and chức vụ (from the directory, or set by an administrator); null when unknown */
  unit: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  position: Type.Optional(Type.Union([Type.String(), Type.Null()])),
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
  /** tài liệu mật: members read it only with their personal watermark; no download, print or copy */
  confidentiality: ConfidentialitySchema,
  /** a confidential document members may keep on their device for offline reading (as their watermarked copy); PUT …/offline */
  offlineAllowed: Type.Boolean(),
  /** when it was circulated to the members (ngày gửi); null: a draft, which only the officers see */
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  /** 1, 2, … (dự thảo lần 2); each version is a document of its own */
  version: Type.Integer({ minimum: 1 }),
  previousVersionId: Type.Union([Type.String(), Type.Null()]),
  /** the next version the caller may see, if any (a member does not see a draft version) */
  nextVersionId: Type.Union([Type.String(), Type.Null()]),
  /**
   * The web-optimized copy of a big file (made after the upload, in the background): 'pending' while
   * it is made (the original is served: "optimising for fast viewing"), 'ready' once it is served,
   * 'failed' (the original stays), null for a file small enough not to need one. The viewer asks
   * for `?variant=original` unless it is 'ready', so one reading never mixes the two files' bytes.
   */
  webCopy: Type.Union([Type.Literal('pending'), Type.Literal('ready'), Type.Literal('failed'), Type.Null()]),
});
export type DocumentInfo = Type.Static<typeof DocumentSchema>;

/** Who opened a document and how far they read (the officers' view; services/read-tracking.ts). */
export const DocumentReaderSchema = Type.Object({
  userId: Type.String(),
  fullName: Type.String(),
  role: Type.String(),
  /** 0: never opened */
  pagesViewed: Type.Integer({ minimum: 0 }),
  pages: Type.Array(Type.Integer({ minimum: 1 })),
  firstOpenedAt: Type.Union([Type.String(), Type.Null()]),
  lastReadAt: Type.Union([Type.String(), Type.Null()]),
});
export const DocumentReadsSchema = Type.Object({
  documentId: Type.String(),
  pageCount: Type.Integer(),
  readers: Type.Array(DocumentReaderSchema),
});
export type DocumentReads = Type.Static<typeof DocumentReadsSchema>;
export const RemindResultSchema = Type.Object({ reminded: Type.Array(Type.String()) });

/** What changed from the previous version: the pages whose text differs, with the differing words. */
export const DiffPartSchema = Type.Object({
  /** '=' same, '+' only in this version, '-' only in the previous one */
  op: Type.Union([Type.Literal('='), Type.Literal('+'), Type.Literal('-')]),
  text: Type.String(),
});
export const VersionChangesSchema = Type.Object({
  documentId: Type.String(),
  previousVersionId: Type.String(),
  version: Type.Integer(),
  previousVersion: Type.Integer(),
  /** false while either version's text is still being read (or could not be) */
  comparable: Type.Boolean(),
  pages: Type.Array(
    Type.Object({
      /** the page number in this version (for a removed page: its number in the previous version) */
      page: Type.Integer({ minimum: 1 }),
      /** the page it was in the previous version (pages are aligned by their text); null for a new page */
      previousPage: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
      status: Type.Union([Type.Literal('changed'), Type.Literal('added'), Type.Literal('removed')]),
      parts: Type.Array(DiffPartSchema),
    }),
  ),
});
export type VersionChanges = Type.Static<typeof VersionChangesSchema>;

/** GET /api/version: the live protocol the server speaks (shared/events PROTOCOL_VERSION), no login */
export const VersionSchema = Type.Object({ protocol: Type.Integer() });
export type ServerVersion = Type.Static<typeof VersionSchema>;

/**
 * GET /api/documents/:id/text: each page's text as the server read it at upload (for find in the
 * viewer, which otherwise reads every page through pdf.js). `state` null: still to come; 'failed':
 * never will be. Never served for a confidential document.
 */
export const DocumentTextSchema = Type.Object({
  documentId: Type.String(),
  state: Type.Union([Type.Literal('done'), Type.Literal('failed'), Type.Null()]),
  /** pages[0] is page 1; empty unless state is 'done' */
  pages: Type.Array(Type.String()),
});
export type DocumentText = Type.Static<typeof DocumentTextSchema>;

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
  // the live meeting and the meeting's other resources (server/policies/*): the client shows
  // controls by these and never re-derives them from the role
  /** start/pause/end, open items, show documents, name the presenter, create and run votes: the chair */
  controlMeeting: Type.Boolean(),
  /** mark members present or absent */
  markAttendance: Type.Boolean(),
  /** check oneself in (điểm danh) while the meeting runs */
  checkIn: Type.Boolean(),
  /** a link for the room screen (máy chiếu) */
  issueRoomToken: Type.Boolean(),
  /** record a present member's ballot or the paper tally, a proxy for another member */
  recordBallots: Type.Boolean(),
  /** approve a substitute an invitee sends */
  approveSubstitute: Type.Boolean(),
  /** ask the members for written opinions (lấy ý kiến bằng văn bản) */
  askOpinions: Type.Boolean(),
  /** draw up an election's vote-counting minutes */
  draftCountingReport: Type.Boolean(),
  /** mark documents on one's private layer (the presenter layer follows the live presenter) */
  annotate: Type.Boolean(),
  /** mark documents on the shared layer */
  annotateShared: Type.Boolean(),
  /** erase others' shared and presenter marks */
  eraseOthersMarks: Type.Boolean(),
  /** ask for the floor (đăng ký phát biểu) */
  requestFloor: Type.Boolean(),
  /** hold a vote: cast one's own ballot, give a proxy */
  castBallot: Type.Boolean(),
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
export const DisplaySettingsSchema = Type.Object(
  {
    largeText: Type.Boolean(),
    highContrast: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type DisplaySettings = Type.Static<typeof DisplaySettingsSchema>;
