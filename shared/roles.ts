// Per-meeting roles (docs/design-notes.md, Roles). The system-wide admin is a flag on the user, not a meeting role.
export const MEETING_ROLES = ['chair', 'secretary', 'participant', 'guest', 'observer'] as const;
export type MeetingRole = (typeof MEETING_ROLES)[number];

export const MEETING_KINDS = ['regular', 'briefing', 'thematic', 'extraordinary'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export const MEETING_STATUSES = ['scheduled', 'running', 'paused', 'ended'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

/** Roles that may see and manage the meeting's record (event log, attendance). */
export const OFFICER_ROLES: readonly MeetingRole[] = ['chair', 'secretary'];
/** Roles that hold a vote. */
export const VOTING_ROLES: readonly MeetingRole[] = ['chair', 'participant'];
