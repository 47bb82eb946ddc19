// Who is on the other end of a socket: a logged-in user, or a room screen holding a room token.
import type { UserRow } from '../services/users';

export type Principal =
  | { kind: 'user'; user: Pick<UserRow, 'id' | 'isAdmin' | 'username'> }
  | { kind: 'roomScreen'; meetingId: string };
