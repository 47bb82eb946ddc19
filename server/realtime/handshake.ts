// Who is connecting: the session cookie (members) or `auth.roomToken` (room screen). The protocol
// version must match when the client states one. Origin is checked before the upgrade (socket-server).
import type { Store } from '../db/store';
import { sessionIdOf, userForToken } from '../services/auth';
import { SESSION_COOKIE } from '../plugins/auth';
import type { LiveTokens } from '../live/live-tokens';
import type { Principal } from '../live/principal';
import { PROTOCOL_VERSION } from '../../shared/events';
import type { ErrorCode } from '../../shared/errors';

export class HandshakeError extends Error {
  readonly data: { code: ErrorCode | 'PROTOCOL_MISMATCH'; message: string };
  constructor(code: ErrorCode | 'PROTOCOL_MISMATCH', message: string) {
    super(code);
    this.data = { code, message };
  }
}

export async function principalFromHandshake(
  deps: {
    database: Store;
    tokens: LiveTokens;
    parseCookie: (header: string) => Record<string, string | undefined>;
    protocol?: number;
  },
  handshake: { auth: unknown; headers: { cookie?: string } },
): Promise<Principal> {
  const auth = (handshake.auth !== null && typeof handshake.auth === 'object' ? handshake.auth : {}) as Record<string, unknown>;
  const protocol = deps.protocol ?? PROTOCOL_VERSION;
  if (auth.protocol !== undefined && auth.protocol !== protocol) {
    throw new HandshakeError('PROTOCOL_MISMATCH', `Server speaks protocol ${protocol}; please reload the app`);
  }
  if (typeof auth.roomToken === 'string') {
    const meetingId = auth.roomToken.length <= 300 ? deps.tokens.verifyRoomToken(auth.roomToken) : null;
    if (!meetingId) throw new HandshakeError('UNAUTHENTICATED', 'The room screen link is not valid or has expired');
    return { kind: 'roomScreen', meetingId };
  }
  const header = handshake.headers.cookie;
  const token = header ? deps.parseCookie(header)[SESSION_COOKIE] : undefined;
  const user = token && token.length <= 100 ? await deps.database.read((q, t) => userForToken(q, t, token)) : undefined;
  if (!user || !token) throw new HandshakeError('UNAUTHENTICATED', 'Please log in');
  return { kind: 'user', user: { id: user.id, isAdmin: user.isAdmin, username: user.username }, sessionId: sessionIdOf(token) };
}
