// Login, sessions and lockout. The cookie holds a random token; the table holds only its sha256.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { sessions, users } from '../db/schema';
import { AppError } from '../errors';
import { nowIso } from '../ids';
import { dummyHash, verifyPassword } from './passwords';
import { findUserByUsername, type UserRow } from './users';

const MAX_FAILURES = 10;
const LOCK_MINUTES = 15;

const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

export async function login(
  db: Db,
  username: string,
  password: string,
  ttlHours: number,
  previousToken?: string,
): Promise<{ user: UserRow; token: string; expiresAt: Date }> {
  const user = findUserByUsername(db, username);
  if (!user) {
    await verifyPassword(password, await dummyHash());
    throw new AppError('BAD_CREDENTIALS', 'Wrong username or password');
  }
  if (user.lockedUntil && new Date(user.lockedUntil) > new Date()) {
    throw new AppError('ACCOUNT_LOCKED', 'Too many failed attempts; try again later', { lockedUntil: user.lockedUntil });
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    const failures = user.failedLogins + 1;
    const lockedUntil = failures >= MAX_FAILURES ? new Date(Date.now() + LOCK_MINUTES * 60_000).toISOString() : null;
    db.update(users).set({ failedLogins: lockedUntil ? 0 : failures, lockedUntil }).where(eq(users.id, user.id)).run();
    throw new AppError('BAD_CREDENTIALS', 'Wrong username or password');
  }
  if (user.failedLogins || user.lockedUntil) {
    db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id)).run();
  }
  // Rotation: a login always gets a fresh id, and the session it replaces is gone.
  if (previousToken) logout(db, previousToken);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  db.insert(sessions).values({ id: tokenId(token), userId: user.id, createdAt: nowIso(), expiresAt: expiresAt.toISOString() }).run();
  return { user, token, expiresAt };
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

export function logout(db: Db, token: string): void {
  db.delete(sessions).where(eq(sessions.id, tokenId(token))).run();
}

export function purgeExpiredSessions(db: Db): number {
  return db.delete(sessions).where(lt(sessions.expiresAt, nowIso())).run().changes;
}
