// The organiser's HTTP calls (meetings, agenda, members, accounts, uploads), typed with shared/api.ts.
// Uploads use XMLHttpRequest because fetch cannot report upload progress.
import type { AgendaItem, DocumentInfo, DocumentReads, Meeting, Member, MemberCandidate, User } from '../../../shared/api';
import type { MeetingKind, MeetingRole } from '../../../shared/roles';
import type { ConfidentialityLevel } from '../../../shared/confidential';
import { isErrorCode } from '../../../shared/errors';
import { ApiError, request } from '../api/http';

const m = (id: string) => `/api/meetings/${encodeURIComponent(id)}`;

export interface NewMeeting {
  title: string;
  kind?: MeetingKind;
  startsAt?: string;
  location?: string;
  organization?: string;
  creatorRole?: 'chair' | 'secretary';
}
export interface ItemChange {
  title?: string;
  presenterId?: string | null;
  durationMinutes?: number | null;
}

export interface MeetingChange {
  title?: string;
  startsAt?: string | null;
  location?: string | null;
  organization?: string | null;
}

export const prepareApi = {
  updateMeeting: (meetingId: string, body: MeetingChange) => request<Meeting>('PATCH', m(meetingId), body),
  publishDocument: (documentId: string) =>
    request<DocumentInfo>('POST', `/api/documents/${encodeURIComponent(documentId)}/publish`),
  documentReads: (documentId: string, signal?: AbortSignal) =>
    request<DocumentReads>('GET', `/api/documents/${encodeURIComponent(documentId)}/reads`, undefined, signal),
  remindReaders: (documentId: string) =>
    request<{ reminded: string[] }>('POST', `/api/documents/${encodeURIComponent(documentId)}/remind`),
  createMeeting: (body: NewMeeting) => request<Meeting>('POST', '/api/meetings', body),
  /** accounts the caller may add to this meeting (names only; for its chair, secretary or an admin) */
  candidates: (meetingId: string, signal?: AbortSignal) =>
    request<MemberCandidate[]>('GET', `${m(meetingId)}/member-candidates`, undefined, signal),
  createUser: (body: { username: string; fullName: string; password: string; isOrganiser?: boolean }) =>
    request<User>('POST', '/api/users', body),
  addMember: (meetingId: string, username: string, role: MeetingRole) =>
    request<Member>('POST', `${m(meetingId)}/members`, { username, role }),
  removeMember: (meetingId: string, userId: string) =>
    request<void>('DELETE', `${m(meetingId)}/members/${encodeURIComponent(userId)}`),
  addItem: (meetingId: string, body: { title: string; durationMinutes?: number }) =>
    request<AgendaItem>('POST', `${m(meetingId)}/agenda`, body),
  updateItem: (meetingId: string, itemId: string, body: ItemChange) =>
    request<AgendaItem>('PATCH', `${m(meetingId)}/agenda/${encodeURIComponent(itemId)}`, body),
  removeItem: (meetingId: string, itemId: string) =>
    request<void>('DELETE', `${m(meetingId)}/agenda/${encodeURIComponent(itemId)}`),
  reorder: (meetingId: string, itemIds: string[]) => request<AgendaItem[]>('PUT', `${m(meetingId)}/agenda/order`, { itemIds }),
  attach: (meetingId: string, itemId: string, documentId: string) =>
    request<AgendaItem>('POST', `${m(meetingId)}/agenda/${encodeURIComponent(itemId)}/documents`, { documentId }),
  renameDocument: (documentId: string, title: string) =>
    request<DocumentInfo>('PATCH', `/api/documents/${encodeURIComponent(documentId)}`, { title }),
  setConfidentiality: (documentId: string, level: ConfidentialityLevel | null) =>
    request<DocumentInfo>('PUT', `/api/documents/${encodeURIComponent(documentId)}/confidentiality`, { level }),
  /** may members keep this confidential document on their device (offline reading) */
  setOfflineAllowed: (documentId: string, allowed: boolean) =>
    request<DocumentInfo>('PUT', `/api/documents/${encodeURIComponent(documentId)}/offline`, { allowed }),
  detach: (meetingId: string, itemId: string, documentId: string) =>
    request<AgendaItem>(
      'DELETE',
      `${m(meetingId)}/agenda/${encodeURIComponent(itemId)}/documents/${encodeURIComponent(documentId)}`,
    ),
};

/** Uploads one PDF (multipart field `file`); `onProgress` gets 0..1. Failures are ApiErrors with the server's code. */
export function uploadDocument(
  meetingId: string,
  file: File,
  onProgress: (fraction: number) => void,
  opts: { versionOf?: string } = {},
): Promise<DocumentInfo> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    // a new version of a document goes to that document's versions (issue 15)
    xhr.open(
      'POST',
      opts.versionOf ? `/api/documents/${encodeURIComponent(opts.versionOf)}/versions` : `${m(meetingId)}/documents`,
    );
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError('NETWORK', 'network error', 0));
    xhr.onabort = () => reject(new ApiError('NETWORK', 'upload aborted', 0));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300 && body && typeof body === 'object') {
        onProgress(1);
        resolve(body as DocumentInfo);
        return;
      }
      const err =
        body && typeof body === 'object' && 'error' in body
          ? (body as { error: { code?: unknown; message?: unknown } }).error
          : null;
      if (err && isErrorCode(err.code)) {
        reject(new ApiError(err.code, typeof err.message === 'string' ? err.message : err.code, xhr.status));
      } else if (xhr.status === 413) {
        reject(new ApiError('PAYLOAD_TOO_LARGE', 'HTTP 413', 413)); // a proxy refusing the body before the server sees it
      } else {
        reject(new ApiError(xhr.status >= 500 ? 'INTERNAL' : 'BAD_RESPONSE', `HTTP ${xhr.status}`, xhr.status));
      }
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
