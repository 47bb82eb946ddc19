// Who is on the other end of a socket: a logged-in user, or a room screen holding a room token.
import type { UserRow } from '../services/users';

export type Principal =
  // sessionId: the session a socket rode in on (services/auth sessionIdOf), re-checked on every
  // command; absent for HTTP callers, whose session was checked on that very request
  | { kind: 'user'; user: Pick<UserRow, 'id' | 'isAdmin' | 'username'>; sessionId?: string }
  | { kind: 'roomScreen'; meetingId: string };
