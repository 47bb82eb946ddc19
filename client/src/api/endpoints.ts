// The HTTP calls the client makes, typed with the shared schemas (one contract for both sides).
import type { AdminStatus, LoginThrottleList } from '../../../shared/admin-api';
import type {
  AdminUser,
  AuthProviders,
  DisplaySettings,
  DocumentInfo,
  LogoutResponse,
  Meeting,
  MeetingDetail,
  PasswordProvider,
  User,
} from '../../../shared/api';
import type { TokenLink } from '../../../shared/live-api';
import type { SearchResult } from '../../../shared/search-api';
import { http } from './http';

/** `?variant=original` while the web copy is being made: a reading keeps the bytes it started on */
const pinQuery = (webCopy?: DocumentInfo['webCopy']) => (webCopy === 'pending' ? '?variant=original' : '');

export const api = {
  me: (signal?: AbortSignal) => http.get<{ user: User }>('/api/auth/me', signal),
  displaySettings: (signal?: AbortSignal) => http.get<DisplaySettings>('/api/me/settings', signal),
  saveDisplaySettings: (s: DisplaySettings) => http.put<DisplaySettings>('/api/me/settings', s),
  login: (username: string, password: string, provider: PasswordProvider = 'local') =>
    http.post<{ user: User }>(
      '/api/auth/login',
      provider === 'local' ? { username, password } : { username, password, provider },
    ),
  authProviders: (signal?: AbortSignal) => http.get<AuthProviders>('/api/auth/providers', signal),
  /** undefined, or {endSessionUrl} for an OIDC session whose provider ends its own session there */
  logout: () => http.post<LogoutResponse | undefined>('/api/auth/logout'),
  meetings: (signal?: AbortSignal) => http.get<Meeting[]>('/api/meetings', signal),
  meeting: (id: string, signal?: AbortSignal) => http.get<MeetingDetail>(`/api/meetings/${encodeURIComponent(id)}`, signal),
  /** officers: a link that opens the read-only room screen */
  roomToken: (meetingId: string) => http.post<TokenLink>(`/api/meetings/${encodeURIComponent(meetingId)}/room-token`),
  /** while the web copy is being made, the viewer pins the original (server: send-document-file.ts, `variant`) */
  documentFileUrl: (id: string, webCopy?: DocumentInfo['webCopy']) =>
    `/api/documents/${encodeURIComponent(id)}/file${pinQuery(webCopy)}`,
  /** room screen (no login): trade the room token for a read-only cookie, then read the meeting */
  roomSession: (token: string) => http.post<{ meetingId: string }>('/api/room/session', { token }),
  roomMeeting: (signal?: AbortSignal) => http.get<MeetingDetail>('/api/room/meeting', signal),
  adminStatus: (signal?: AbortSignal) => http.get<AdminStatus>('/api/admin/status', signal),
  /** administrators: every account, with its e-mail */
  users: (signal?: AbortSignal) => http.get<AdminUser[]>('/api/users', signal),
  setUserEmail: (id: string, email: string | null) => http.patch<AdminUser>(`/api/users/${encodeURIComponent(id)}`, { email }),
  loginThrottles: (signal?: AbortSignal) => http.get<LoginThrottleList>('/api/admin/login-throttles', signal),
  liftLoginThrottle: (key: string) => http.del<void>(`/api/admin/login-throttles/${encodeURIComponent(key)}`),
  search: (q: string, signal?: AbortSignal) =>
    http.get<SearchResult>(`/api/search?${new URLSearchParams({ q }).toString()}`, signal),
  /** the room screen pins the original too while the web copy is being made */
  roomDocumentFileUrl: (id: string, webCopy?: DocumentInfo['webCopy']) =>
    `/api/room/documents/${encodeURIComponent(id)}/file${pinQuery(webCopy)}`,
  roomDocumentAnnotationsUrl: (id: string) => `/api/room/documents/${encodeURIComponent(id)}/annotations`,
};
