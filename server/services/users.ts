import { asc, eq } from 'drizzle-orm';
import { isUniqueViolation, type Query, type Store, type Tables } from '../db/store';
import { users } from '../db/schema';
import { newId, nowIso } from '../ids';
import { hashPassword } from './passwords';
import { liftAccountThrottles } from './login-throttle';
import { AppError } from '../errors';
import type { AdminUser, User } from '../../shared/api';

export type UserRow = typeof users.$inferSelect;

export const toUser = (u: UserRow): User => ({
  id: u.id,
  username: u.username,
  fullName: u.fullName,
  isAdmin: u.isAdmin,
  isOrganiser: u.isOrganiser,
  authSource: u.authSource,
  unit: u.unit,
  position: u.position,
});

export const toAdminUser = (u: UserRow): AdminUser => ({ ...toUser(u), email: u.email });

/** Which roles a directory decides for its accounts (a configured group): Họp Số's administrators cannot set those. */
export interface DirectoryOwnedRoles {
  isAdmin: boolean;
  isOrganiser: boolean;
}

/**
 * A directory account's name, unit, position and e-mail come from its directory at every sign-in
 * (and its mapped roles): editing them here would be silently undone, so it is refused
 * (DIRECTORY_OWNED); so is a password (DIRECTORY_PASSWORD): it signs in only through its directory.
 */
function refuseDirectoryOwned(user: UserRow, input: UpdateUserInput, roles: DirectoryOwnedRoles): void {
  if (user.authSource === 'local') return;
  if (input.password !== undefined)
    throw new AppError('DIRECTORY_PASSWORD', 'A directory account has no password here: it signs in through its directory');
  const owned: string[] = (['fullName', 'unit', 'position', 'email'] as const).filter((k) => input[k] !== undefined);
  if (input.isAdmin !== undefined && roles.isAdmin) owned.push('isAdmin');
  if (input.isOrganiser !== undefined && roles.isOrganiser) owned.push('isOrganiser');
  if (owned.length)
    throw new AppError('DIRECTORY_OWNED', `The directory decides ${owned.join(', ')} of this account`, { fields: owned });
}

/** Usernames are stored trimmed and lower-case: one equality, the same on SQLite and PostgreSQL. */
export async function findUserByUsername(q: Query, t: Tables, username: string): Promise<UserRow | undefined> {
  const rows = await q.select().from(t.users).where(eq(t.users.username, username.trim().toLowerCase()));
  return rows[0];
}

export async function findUserById(q: Query, t: Tables, id: string): Promise<UserRow | undefined> {
  const rows = await q.select().from(t.users).where(eq(t.users.id, id));
  return rows[0];
}

export interface CreateUserInput {
  username: string;
  fullName: string;
  password: string;
  isAdmin?: boolean;
  isOrganiser?: boolean;
  unit?: string | null;
  position?: string | null;
  email?: string | null;
}

/** The row of a new local account (the password hashed: slow, so never inside a transaction). */
async function newLocalUser(input: CreateUserInput): Promise<UserRow> {
  return {
    id: newId(),
    username: input.username.trim().toLowerCase(),
    fullName: input.fullName,
    passwordHash: await hashPassword(input.password),
    isAdmin: input.isAdmin ?? false,
    isOrganiser: input.isOrganiser ?? false,
    email: input.email ?? null,
    uiLargeText: false,
    uiHighContrast: false,
    failedLogins: 0,
    lockedUntil: null,
    createdAt: nowIso(),
    authSource: 'local',
    externalId: null,
    oidcSubject: null,
    unit: input.unit?.trim() || null,
    position: input.position?.trim() || null,
  };
}

const userExists = (username: string) => new AppError('CONFLICT', `User ${username} already exists`);

/** A new local account; CONFLICT if the username is taken (checked again by the unique key). */
export async function createUser(store: Store, input: CreateUserInput): Promise<UserRow> {
  const row = await newLocalUser(input);
  try {
    await store.write(`username:${row.username}`, async (tx, t) => {
      if (await findUserByUsername(tx, t, row.username)) throw userExists(row.username);
      await tx.insert(t.users).values(row);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw userExists(row.username);
    throw e;
  }
  return row;
}

/** Every account, by username (unique: no tie to break). */
export function listUsers(q: Query, t: Tables): Promise<UserRow[]> {
  return q.select().from(t.users).orderBy(asc(t.users.username), asc(t.users.id));
}

export interface UpdateUserInput {
  fullName?: string;
  password?: string;
  isAdmin?: boolean;
  isOrganiser?: boolean;
  unit?: string | null;
  position?: string | null;
  email?: string | null;
}

/**
 * Changes a user; a new password ends every session of that user. `directoryRoles`: the roles the
 * configured directory groups decide (a directory account's other owned fields are always refused).
 */
export async function updateUser(
  store: Store,
  id: string,
  input: UpdateUserInput,
  directoryRoles: DirectoryOwnedRoles = { isAdmin: false, isOrganiser: false },
): Promise<UserRow> {
  const before = await store.read((q, t) => findUserById(q, t, id));
  if (!before) throw new AppError('NOT_FOUND', 'User not found');
  refuseDirectoryOwned(before, input, directoryRoles);
  const patch: Partial<UserRow> = {};
  if (input.fullName !== undefined) patch.fullName = input.fullName.trim();
  if (input.isAdmin !== undefined) patch.isAdmin = input.isAdmin;
  if (input.isOrganiser !== undefined) patch.isOrganiser = input.isOrganiser;
  if (input.unit !== undefined) patch.unit = input.unit?.trim() || null;
  if (input.position !== undefined) patch.position = input.position?.trim() || null;
  if (input.email !== undefined) patch.email = input.email?.trim() || null;
  // hashed before the transaction (slow work never holds a write open)
  if (input.password !== undefined) patch.passwordHash = await hashPassword(input.password);
  const user = await store.write(`user:${id}`, async (tx, t) => {
    const [updated] = Object.keys(patch).length
      ? await tx.update(t.users).set(patch).where(eq(t.users.id, id)).returning()
      : await tx.select().from(t.users).where(eq(t.users.id, id));
    if (!updated) throw new AppError('NOT_FOUND', 'User not found');
    if (input.password !== undefined) await tx.delete(t.sessions).where(eq(t.sessions.userId, id));
    return updated;
  });
  // a password set by an administrator also lifts the account's login throttles
  if (input.password !== undefined) await liftAccountThrottles(store, user.username);
  return user;
}

/** A foreign key refused the change: SQLite's code, or PostgreSQL's SQLSTATE 23503 (maybe wrapped by Drizzle). */
function isForeignKeyViolation(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    if (e.code === '23503' || e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return true;
  }
  return false;
}

export async function deleteUser(store: Store, id: string): Promise<void> {
  let gone: { id: string }[];
  try {
    gone = await store.write(`user:${id}`, (tx, t) => tx.delete(t.users).where(eq(t.users.id, id)).returning({ id: t.users.id }));
  } catch (e) {
    // the meeting record (ballots, minutes...) still refers to this person: history is not rewritten
    if (isForeignKeyViolation(e))
      throw new AppError('CONFLICT', 'This account is part of a meeting record and cannot be deleted');
    throw e;
  }
  if (gone.length === 0) throw new AppError('NOT_FOUND', 'User not found');
}
