// Login (throttled: services/login-throttle.ts) and sessions. The cookie holds a random token; the table holds only its sha256.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { perDb } from '../db/prepared';
import type { Db } from '../db/client';
import type { Store } from '../db/store';
import { sessions, users } from '../db/schema';
import { AppError } from '../errors';
import { nowIso } from '../ids';
import { dummyHash, verifyPassword } from './passwords';
import { findUserByUsername, type UserRow } from './users';
import { attemptFailed, attemptSucceeded, beginAttempt } from './login-throttle';

const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * `source` is the client address the throttle counts by (services/login-throttle.ts holds the
 * rule). A throttled attempt never reaches the password check.
 */
export async function login(
  db: Db,
  store: Store,
  username: string,
  password: string,
  ttlHours: number,
  previousToken?: string,
  source = 'unknown',
): Promise<{ user: UserRow; token: string; expiresAt: Date; sessionId: string }> {
  const ticket = await beginAttempt(store, username, source);
  const found = findUserByUsername(db, username);
  // a directory account has no password here: only its directory signs it in
  const user = found?.authSource === 'local' ? found : undefined;
  if (!user) {
    await verifyPassword(password, await dummyHash());
    await attemptFailed(store, ticket);
    throw new AppError('BAD_CREDENTIALS', 'Wrong username or password');
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    await attemptFailed(store, ticket);
    throw new AppError('BAD_CREDENTIALS', 'Wrong username or password');
  }
  await attemptSucceeded(store, ticket);
  return { user, ...openSession(db, user.id, ttlHours, previousToken) };
}

/** A new session for a signed-in user (any provider). Rotation: the session it replaces is gone. */
export function openSession(
  db: Db,
  userId: string,
  ttlHours: number,
  previousToken?: string,
): { token: string; expiresAt: Date; sessionId: string } {
  if (previousToken) logout(db, previousToken);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  db.insert(sessions)
    .values({ id: tokenId(token), userId, createdAt: nowIso(), expiresAt: expiresAt.toISOString() })
    .run();
  return { token, expiresAt, sessionId: tokenId(token) };
}

export function userForToken(db: Db, token: string): UserRow | undefined {
  const row = db
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, tokenId(token)), gt(sessions.expiresAt, nowIso())))
    .get();
  return row?.user;
}

/** The id a session is stored (and revoked) under: the token's sha256. */
export const sessionIdOf = tokenId;

export function logout(db: Db, token: string): void {
  db.delete(sessions)
    .where(eq(sessions.id, tokenId(token)))
    .run();
}

const aliveStatement = perDb((db) =>
  db
    .select({ isAdmin: users.isAdmin })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sql.placeholder('id')), gt(sessions.expiresAt, sql.placeholder('now'))))
    .prepare(),
);

/**
 * A session that still stands (not logged out, not ended by a password change, not expired), with
 * its user's administrator flag as it is now (a socket's copy may predate a change); else undefined.
 */
export function liveSession(db: Db, sessionId: string, now = nowIso()): { isAdmin: boolean } | undefined {
  return aliveStatement(db).get({ id: sessionId, now });
}

export const sessionAlive = (db: Db, sessionId: string, now = nowIso()): boolean => liveSession(db, sessionId, now) !== undefined;

/** For a session that is no longer alive: was it only past its expiry (rather than ended)? */
export function sessionExpired(db: Db, sessionId: string): boolean {
  return db.select({ id: sessions.id }).from(sessions).where(eq(sessions.id, sessionId)).get() !== undefined;
}

export function purgeExpiredSessions(db: Db): number {
  return db.delete(sessions).where(lt(sessions.expiresAt, nowIso())).run().changes;
}
