// HTTP shapes of the giấy mời (server/routes/meetings/invitations.ts) and the calendar feed.
import Type from 'typebox';

/** Số/ký hiệu of a giấy mời: number / GM - the issuing body's abbreviation, e.g. 15/GM-UBND, 7/GM-VP.UBND */
export const INVITATION_NUMBER_PATTERN = '^[0-9]{1,6}/GM(-[A-ZĐ0-9]+(\\.[A-ZĐ0-9]+)*)+$';
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const IssueInvitationBody = Type.Object(
  {
    number: Type.String({ minLength: 4, maxLength: 50, pattern: INVITATION_NUMBER_PATTERN }),
    parentAgency: Type.Optional(Type.String({ maxLength: 200 })),
    /** defaults to the meeting's unit */
    unitName: Type.Optional(Type.String({ maxLength: 200 })),
    /** địa danh before the date; defaults to MINUTES_PLACE_NAME */
    place: Type.Optional(Type.String({ maxLength: 100 })),
    /** Kính gửi: …; defaults to the members as listed */
    recipients: Type.Optional(Text(1000)),
    contact: Type.Optional(Type.String({ maxLength: 500 })),
    /** the signer's title above the signature (e.g. CHÁNH VĂN PHÒNG); defaults from the signer's role */
    signerTitle: Type.Optional(Text(120)),
  },
  { additionalProperties: false },
);
export type IssueInvitationBody = Type.Static<typeof IssueInvitationBody>;

export const InvitationVersionSchema = Type.Object({
  version: Type.Integer(),
  number: Type.String(),
  title: Type.String(),
  startsAt: Type.String(),
  location: Type.String(),
  changes: Type.Array(Type.String()),
  sha256: Type.String(),
  pageCount: Type.Integer(),
  issuedAt: Type.String(),
  issuedBy: Type.Union([Type.String(), Type.Null()]),
});
export type InvitationVersion = Type.Static<typeof InvitationVersionSchema>;

export const InvitationReplyRow = Type.Object({
  userId: Type.String(),
  fullName: Type.String(),
  role: Type.String(),
  status: Type.Union([
    Type.Literal('attending'),
    Type.Literal('absent'),
    Type.Literal('substitute'),
    Type.Literal('proxy'),
    Type.Null(),
  ]),
  reason: Type.Union([Type.String(), Type.Null()]),
  substituteName: Type.Union([Type.String(), Type.Null()]),
  substituteApproved: Type.Boolean(),
  proxyToName: Type.Union([Type.String(), Type.Null()]),
  at: Type.Union([Type.String(), Type.Null()]),
});
export type InvitationReplyRow = Type.Static<typeof InvitationReplyRow>;

const QuorumSchema = Type.Object({
  rule: Type.String(),
  members: Type.Integer(),
  present: Type.Integer(),
  required: Type.Integer(),
  reached: Type.Boolean(),
});
export const ExpectedAttendanceSchema = Type.Object({
  members: Type.Integer(),
  attending: Type.Integer(),
  absent: Type.Integer(),
  substitute: Type.Integer(),
  proxy: Type.Integer(),
  noReply: Type.Integer(),
  quorum: QuorumSchema,
});

export const InvitationOverview = Type.Object({
  versions: Type.Array(InvitationVersionSchema),
  /** the caller may issue (or re-issue) the invitation */
  canIssue: Type.Boolean(),
  /** the meeting's time, place or title differ from the latest version: a change notice is due */
  changedSinceIssue: Type.Array(Type.String()),
  /** every member's reply: officers only (others get their own row only) */
  replies: Type.Array(InvitationReplyRow),
  /** officers only */
  expected: Type.Union([ExpectedAttendanceSchema, Type.Null()]),
});
export type InvitationOverview = Type.Static<typeof InvitationOverview>;

export const InvitationVersionParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
  version: Type.String({ pattern: '^[1-9][0-9]{0,3}$' }),
});

export const CalendarFeedInfo = Type.Object({
  active: Type.Boolean(),
  createdAt: Type.Union([Type.String(), Type.Null()]),
  /** only when just created or rotated: the secret is not kept, so it cannot be shown again */
  url: Type.Optional(Type.String()),
});
export type CalendarFeedInfo = Type.Static<typeof CalendarFeedInfo>;
