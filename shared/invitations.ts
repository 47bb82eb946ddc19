// The giấy mời (invitation) and the replies to it, on the meeting's log: the server records
// `invitation.issue` when an officer issues a version (its PDF hash, time, place and what changed);
// members reply with `invitation.reply` (attending / absent with a reason / sending a substitute);
// the chair or the secretary approves a substitute with `invitation.approveSubstitute`, which makes
// the substitute a member with the absent member's role (the member keeps a seat without a vote, as an
// observer: one seat, one vote, one count for quorum), or refuses them with
// `invitation.refuseSubstitute`, which clears the member's reply (they reply again). Delegating the vote is the room's own
// `proxy.grant` (same rules), recorded before the meeting. Pure: the server and the client fold the
// same events, and compute the same expected attendance and expected quorum.
import Type from 'typebox';
import { Id } from './api';
import { computeQuorum, type QuorumInfo } from './quorum';

export const MAX_REPLY_REASON = 500;
const Username = Type.String({ minLength: 2, maxLength: 64, pattern: '^[a-zA-Z0-9._-]+$' });
const Reason = Type.String({ minLength: 1, maxLength: MAX_REPLY_REASON });

export const InvitationCommandSchemas = {
  'invitation.reply': Type.Union([
    Type.Object({ status: Type.Literal('attending') }, { additionalProperties: false }),
    /** báo vắng: the reason goes into the minutes' attendance */
    Type.Object({ status: Type.Literal('absent'), reason: Reason }, { additionalProperties: false }),
    /** cử người dự thay: an existing account, who becomes a member once the chair or the secretary approves */
    Type.Object(
      { status: Type.Literal('substitute'), substituteUsername: Username, reason: Type.Optional(Reason) },
      { additionalProperties: false },
    ),
  ]),
  'invitation.approveSubstitute': Type.Object({ memberId: Id }, { additionalProperties: false }),
  /** the chair or the secretary does not accept the person named: the member's reply is cleared */
  'invitation.refuseSubstitute': Type.Object({ memberId: Id, reason: Type.Optional(Reason) }, { additionalProperties: false }),
} as const;

export type ReplyStatus = 'attending' | 'absent' | 'substitute';
export type InvitationChange = 'startsAt' | 'location' | 'title';

export interface InvitationEventPayloads {
  /** recorded by the server when an officer issues a version (1: the invitation; 2…: a change notice) */
  'invitation.issue': {
    version: number;
    number: string;
    sha256: string;
    pageCount: number;
    title: string;
    startsAt: string;
    location: string;
    changes: InvitationChange[];
  };
  'invitation.reply': {
    memberId: string;
    status: ReplyStatus;
    version: number;
    reason?: string;
    substituteUserId?: string;
    substituteName?: string;
  };
  'invitation.approveSubstitute': { memberId: string; substituteUserId: string; role: string };
  'invitation.refuseSubstitute': { memberId: string; substituteUserId: string; reason?: string };
}

export const INVITATION_EVENT_TYPES: ReadonlySet<string> = new Set<keyof InvitationEventPayloads>([
  'invitation.issue',
  'invitation.reply',
  'invitation.approveSubstitute',
  'invitation.refuseSubstitute',
]);

export interface InvitationReply {
  status: ReplyStatus;
  reason: string | null;
  substituteUserId: string | null;
  substituteName: string | null;
  /** the substitute was approved (and is a member now) */
  approved: boolean;
  /** the invitation version the reply was given to */
  version: number;
  at: string;
}

export interface InvitationState {
  /** 0: none issued yet */
  version: number;
  number: string | null;
  issuedAt: string | null;
  startsAt: string | null;
  location: string | null;
  changes: InvitationChange[];
  /** member id → their latest reply (a viewer's snapshot holds only their own unless an officer) */
  replies: Record<string, InvitationReply>;
}

export const initialInvitationState = (): InvitationState => ({
  version: 0,
  number: null,
  issuedAt: null,
  startsAt: null,
  location: null,
  changes: [],
  replies: {},
});

type E<K extends keyof InvitationEventPayloads> = { type: K; at: string; actor: string; payload: InvitationEventPayloads[K] };
export type InvitationEvent = { [K in keyof InvitationEventPayloads]: E<K> }[keyof InvitationEventPayloads];

export function applyInvitationEvent(s: InvitationState, e: InvitationEvent): InvitationState {
  switch (e.type) {
    case 'invitation.issue':
      return {
        ...s,
        version: e.payload.version,
        number: e.payload.number,
        issuedAt: e.at,
        startsAt: e.payload.startsAt,
        location: e.payload.location,
        changes: e.payload.changes,
      };
    case 'invitation.reply':
      return {
        ...s,
        replies: {
          ...s.replies,
          [e.payload.memberId]: {
            status: e.payload.status,
            reason: e.payload.reason ?? null,
            substituteUserId: e.payload.substituteUserId ?? null,
            substituteName: e.payload.substituteName ?? null,
            approved: false,
            version: e.payload.version,
            at: e.at,
          },
        },
      };
    case 'invitation.approveSubstitute': {
      const r = s.replies[e.payload.memberId];
      if (!r) return s;
      return { ...s, replies: { ...s.replies, [e.payload.memberId]: { ...r, approved: true } } };
    }
    case 'invitation.refuseSubstitute': {
      // the member has not replied any more; the refusal stays on the log (and was notified)
      const { [e.payload.memberId]: _refused, ...rest } = s.replies;
      return { ...s, replies: rest };
    }
  }
}

export interface ExpectedAttendance {
  /** voting members, not counting approved substitutes (they sit in an absent member's seat) */
  members: number;
  attending: number;
  absent: number;
  /** members sending a substitute (approved or not) */
  substitute: number;
  /** members who delegated their vote (a proxy) */
  proxy: number;
  noReply: number;
  /** quorum if everyone comes as replied: attending, approved substitutes, and proxies held by someone attending */
  quorum: QuorumInfo;
}

/**
 * Who is expected, from the replies and the proxies, before the meeting (shared/quorum's rule). An
 * approved substitute holds the seat of the member who sent them: counted once, as that member.
 */
export function expectedAttendance(
  votingMemberIds: readonly string[],
  inv: InvitationState,
  proxies: Readonly<Record<string, string>>,
): ExpectedAttendance {
  const seatOf = new Map(
    Object.entries(inv.replies)
      .filter(([, r]) => r.approved && r.substituteUserId)
      .map(([memberId, r]) => [r.substituteUserId!, memberId]),
  );
  const members = [...new Set(votingMemberIds.map((id) => seatOf.get(id) ?? id))];
  const coming = new Set(
    members.filter((id) => {
      const r = inv.replies[id];
      return r !== undefined && (r.status === 'attending' || (r.status === 'substitute' && r.approved));
    }),
  );
  for (const id of members) {
    const holder = proxies[id];
    if (!coming.has(id) && holder !== undefined && coming.has(holder)) coming.add(id);
  }
  const attendance = Object.fromEntries([...coming].map((id) => [id, { status: 'present' as const }]));
  let attending = 0,
    absent = 0,
    substitute = 0,
    proxy = 0,
    noReply = 0;
  for (const id of members) {
    const r = inv.replies[id];
    if (proxies[id] !== undefined) proxy++;
    else if (!r) noReply++;
    else if (r.status === 'attending') attending++;
    else if (r.status === 'absent') absent++;
    else substitute++;
  }
  return { members: members.length, attending, absent, substitute, proxy, noReply, quorum: computeQuorum(members, attendance) };
}
