// Login (throttled: services/login-throttle.ts) and sessions. The cookie holds a random token; the table holds only its sha256.
// On the asynchronous Store (server/db/store.ts): the same code on SQLite and PostgreSQL. The
// slow password hash never runs inside a write transaction.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, is, lt, sql } from 'drizzle-orm';
import { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';
import type { Query, Store, Tables } from '../db/store';
import { AppError } from '../errors';
import { nowIso } from '../ids';
import { dummyHash, verifyPassword } from './passwords';
import { findUserByUsername, type UserRow } from './users';
import { attemptFailed, attemptSucceeded, beginAttempt } from './login-throttle';

const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

export interface OpenedSession {
  token: string;
  expiresAt: Date;
  sessionId: string;
}

/**
 * `source` is the client address the throttle counts by (services/login-throttle.ts holds the
 * rule). A throttled attempt never reaches the password check.
 */
export async function login(
  store: Store,
  username: string,
  password: string,
  ttlHours: number,
  previousToken?: string,
  source = 'unknown',
): Promise<{ user: UserRow } & OpenedSession> {
  const ticket = await beginAttempt(store, username, source);
  const found = await store.read((q, t) => findUserByUsername(q, t, username));
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
  const opened = await store.write(`user:${user.id}`, (tx, t) => openSession(tx, t, user.id, ttlHours, previousToken));
  return { user, ...opened };
}

/** `login` for the code not yet on the Store (bench/persistence.ts): the legacy handle is not used. */
export const loginSync = (_db: Db, store: Store, ...rest: Parameters<typeof login> extends [Store, ...infer R] ? R : never) =>
  login(store, ...rest);

/**
 * A new session for a signed-in user (any provider), inside the caller's write transaction.
 * Rotation: the session it replaces is gone.
 */
export async function openSession(
  tx: Query,
  t: Tables,
  userId: string,
  ttlHours: number,
  previousToken?: string,
): Promise<OpenedSession> {
  if (previousToken) await logout(tx, t, previousToken);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  await tx.insert(t.sessions).values({ id: tokenId(token), userId, createdAt: nowIso(), expiresAt: expiresAt.toISOString() });
  return { token, expiresAt, sessionId: tokenId(token) };
}

/**
 * On SQLite, a statement prepared once per connection handle (the store's read connection, its
 * writer); elsewhere undefined and the caller builds the query. Building a query with Drizzle costs
 * far more than running it (measured for the session lookup: ~590 µs built, ~31 µs prepared), and
 * these lookups run on every request and every live command. On PostgreSQL a statement prepared on
 * the pool cannot run inside a transaction's connection (docs/scale-out.md): the builder it is.
 */
function preparedOnSqlite<T>(build: (q: Query, t: Tables) => T): (q: Query, t: Tables) => T | undefined {
  const cache = new WeakMap<object, T>();
  return (q, t) => {
    if (!is(q, BaseSQLiteDatabase)) return undefined;
    let statement = cache.get(q);
    if (statement === undefined) {
      statement = build(q, t);
      cache.set(q, statement);
    }
    return statement;
  };
}

const userSelect = (
  q: Query,
  t: Tables,
  id: string | ReturnType<typeof sql.placeholder>,
  now: string | ReturnType<typeof sql.placeholder>,
) =>
  q
    .select({ user: t.users })
    .from(t.sessions)
    .innerJoin(t.users, eq(t.users.id, t.sessions.userId))
    .where(and(eq(t.sessions.id, id), gt(t.sessions.expiresAt, now)));

const userStatement = preparedOnSqlite((q, t) => userSelect(q, t, sql.placeholder('id'), sql.placeholder('now')).prepare());

/** The user of a live (not expired) session token: one primary-key read joined to its user (every request). */
export async function userForToken(q: Query, t: Tables, token: string): Promise<UserRow | undefined> {
  const id = tokenId(token);
  const now = nowIso();
  const statement = userStatement(q, t);
  const rows = statement ? await statement.all({ id, now }) : await userSelect(q, t, id, now);
  return rows[0]?.user;
}

/** The id a session is stored (and revoked) under: the token's sha256. */
export const sessionIdOf = tokenId;

export async function logout(q: Query, t: Tables, token: string): Promise<void> {
  await q.delete(t.sessions).where(eq(t.sessions.id, tokenId(token)));
}

/**
 * A session that still stands (not logged out, not ended by a password change, not expired), with
 * its user's administrator flag as it is now (a socket's copy may predate a change); else undefined.
 * Inside a live command's write transaction on `tx`, or on a read handle.
 */
export async function liveSession(
  q: Query,
  t: Tables,
  sessionId: string,
  now = nowIso(),
): Promise<{ isAdmin: boolean } | undefined> {
  const statement = aliveOnSqlite(q, t);
  const rows = statement ? await statement.all({ id: sessionId, now }) : await aliveSelect(q, t, sessionId, now);
  return rows[0];
}

const aliveSelect = (
  q: Query,
  t: Tables,
  id: string | ReturnType<typeof sql.placeholder>,
  now: string | ReturnType<typeof sql.placeholder>,
) =>
  q
    .select({ isAdmin: t.users.isAdmin })
    .from(t.sessions)
    .innerJoin(t.users, eq(t.users.id, t.sessions.userId))
    .where(and(eq(t.sessions.id, id), gt(t.sessions.expiresAt, now)));

const aliveOnSqlite = preparedOnSqlite((q, t) => aliveSelect(q, t, sql.placeholder('id'), sql.placeholder('now')).prepare());

/** For a session that is no longer alive: was it only past its expiry (rather than ended)? */
export async function sessionExpired(q: Query, t: Tables, sessionId: string): Promise<boolean> {
  const rows = await q.select({ id: t.sessions.id }).from(t.sessions).where(eq(t.sessions.id, sessionId));
  return rows.length > 0;
}

/** Deletes the sessions past their expiry; how many. */
export async function purgeExpiredSessions(store: Store): Promise<number> {
  const gone = await store.write(null, (tx, t) =>
    tx.delete(t.sessions).where(lt(t.sessions.expiresAt, nowIso())).returning({ id: t.sessions.id }),
  );
  return gone.length;
}
