// HTTP calls of the invitation panel (replies go over the live socket as invitation.reply commands).
import { http } from '../api/http';
import type { InvitationOverview, InvitationVersion, IssueInvitationBody } from '../../../shared/invitations-api';

const base = (meetingId: string) => `/api/meetings/${encodeURIComponent(meetingId)}`;

export const invitationsApi = {
  overview: (meetingId: string, signal?: AbortSignal) => http.get<InvitationOverview>(`${base(meetingId)}/invitations`, signal),
  issue: (meetingId: string, body: IssueInvitationBody) => http.post<InvitationVersion>(`${base(meetingId)}/invitations`, body),
  pdfUrl: (meetingId: string, version: number) => `${base(meetingId)}/invitations/${version}/pdf`,
  icsUrl: (meetingId: string) => `${base(meetingId)}/calendar.ics`,
};
