import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { newId, nowIso } from '../ids';
import { hashPassword } from './passwords';
import { AppError } from '../errors';
import type { User } from '../../shared/api';

export type UserRow = typeof users.$inferSelect;

export const toUser = (u: UserRow): User => ({ id: u.id, username: u.username, fullName: u.fullName, isAdmin: u.isAdmin });

export function findUserByUsername(db: Db, username: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.username, username.trim().toLowerCase())).get();
}

export function findUserById(db: Db, id: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export async function createUser(
  db: Db,
  input: { username: string; fullName: string; password: string; isAdmin?: boolean },
): Promise<UserRow> {
  const username = input.username.trim().toLowerCase();
  if (findUserByUsername(db, username)) throw new AppError('CONFLICT', `User ${username} already exists`);
  const row: UserRow = {
    id: newId(),
    username,
    fullName: input.fullName,
    passwordHash: await hashPassword(input.password),
    isAdmin: input.isAdmin ?? false,
    failedLogins: 0,
    lockedUntil: null,
    createdAt: nowIso(),
  };
  db.insert(users).values(row).run();
  return row;
}
