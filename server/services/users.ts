import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { Store } from '../db/store';
import { sessions, users } from '../db/schema';
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

export function findUserByUsername(db: Db, username: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.username, username.trim().toLowerCase())).get();
}

export function findUserById(db: Db, id: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export async function createUser(
  db: Db,
  input: {
    username: string;
    fullName: string;
    password: string;
    isAdmin?: boolean;
    isOrganiser?: boolean;
    unit?: string | null;
    position?: string | null;
    email?: string | null;
  },
): Promise<UserRow> {
  const username = input.username.trim().toLowerCase();
  if (findUserByUsername(db, username)) throw new AppError('CONFLICT', `User ${username} already exists`);
  const row: UserRow = {
    id: newId(),
    username,
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
  db.insert(users).values(row).run();
  return row;
}

export function listUsers(db: Db): UserRow[] {
  return db.select().from(users).orderBy(users.username).all();
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
  db: Db,
  store: Store,
  id: string,
  input: UpdateUserInput,
  directoryRoles: DirectoryOwnedRoles = { isAdmin: false, isOrganiser: false },
): Promise<UserRow> {
  const user = findUserById(db, id);
  if (!user) throw new AppError('NOT_FOUND', 'User not found');
  refuseDirectoryOwned(user, input, directoryRoles);
  const patch: Partial<UserRow> = {};
  if (input.fullName !== undefined) patch.fullName = input.fullName.trim();
  if (input.isAdmin !== undefined) patch.isAdmin = input.isAdmin;
  if (input.isOrganiser !== undefined) patch.isOrganiser = input.isOrganiser;
  if (input.unit !== undefined) patch.unit = input.unit?.trim() || null;
  if (input.position !== undefined) patch.position = input.position?.trim() || null;
  if (input.email !== undefined) patch.email = input.email?.trim() || null;
  if (input.password !== undefined) {
    patch.passwordHash = await hashPassword(input.password);
  }
  db.transaction((tx) => {
    tx.update(users).set(patch).where(eq(users.id, id)).run();
    if (input.password !== undefined) tx.delete(sessions).where(eq(sessions.userId, id)).run();
  });
  // a password set by an administrator also lifts the account's login throttles
  if (input.password !== undefined) await liftAccountThrottles(store, user.username);
  return findUserById(db, id)!;
}

export function deleteUser(db: Db, id: string): void {
  let changes: number;
  try {
    changes = db.delete(users).where(eq(users.id, id)).run().changes;
  } catch (e) {
    // the meeting record (ballots, minutes...) still refers to this person: history is not rewritten
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      throw new AppError('CONFLICT', 'This account is part of a meeting record and cannot be deleted');
    }
    throw e;
  }
  if (changes === 0) throw new AppError('NOT_FOUND', 'User not found');
}
