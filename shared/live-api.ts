// HTTP schemas around the live meeting: the audited event log and the room / check-in tokens.
import Type from 'typebox';

export const LoggedEventSchema = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  actor: Type.String(),
  at: Type.String(),
  payload: Type.Unknown(),
  prevHash: Type.String(),
  hash: Type.String(),
});

export const EventLogSchema = Type.Object({
  events: Type.Array(LoggedEventSchema),
  /** every row's hash recomputes and links to the one before */
  verified: Type.Boolean(),
  /** hash of the last event: what the signed minutes carry */
  headHash: Type.String(),
  brokenAtSeq: Type.Union([Type.Integer(), Type.Null()]),
});
export type EventLog = Type.Static<typeof EventLogSchema>;

export const TokenLinkSchema = Type.Object({
  token: Type.String(),
  /** path on this server the client opens (room screen) or encodes in the QR (check-in) */
  url: Type.String(),
  expiresAt: Type.String(),
});
export type TokenLink = Type.Static<typeof TokenLinkSchema>;
