// Quorum (đủ số lượng): pure, so the server, the client and the room screen compute the same figure.
import type { AttendanceStatus } from './events';

export type QuorumRule = 'majority-of-members';

export interface QuorumInfo {
  rule: QuorumRule;
  /** voting members of the meeting */
  members: number;
  /** voting members present (late arrivals count once they are here) */
  present: number;
  /** the smallest number present that makes quorum */
  required: number;
  reached: boolean;
}

const HERE: ReadonlySet<AttendanceStatus> = new Set<AttendanceStatus>(['present', 'late']);

/** More than half of the voting members must be present (quá nửa tổng số thành viên). */
export function computeQuorum(
  votingMemberIds: readonly string[],
  attendance: Readonly<Record<string, { status: AttendanceStatus } | undefined>>,
  rule: QuorumRule = 'majority-of-members',
): QuorumInfo {
  const members = new Set(votingMemberIds).size;
  const present = [...new Set(votingMemberIds)].filter((id) => {
    const a = attendance[id];
    return a !== undefined && HERE.has(a.status);
  }).length;
  const required = Math.floor(members / 2) + 1;
  return { rule, members, present, required, reached: members > 0 && present >= required };
}
