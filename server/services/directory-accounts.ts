// Directory accounts (LDAP; OIDC uses the same rules, services/oidc-accounts.ts): sign-in through the directory, the
// account created on first sign-in and refreshed at each, and the re-check that ends the sessions
// of an account the directory no longer has or has disabled. No HTTP here.
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { isUniqueViolation, type Query, type Store, type Tables } from '../db/store';
import { AppError } from '../errors';
import { newId, nowIso } from '../ids';
import type { DirectoryPerson, LdapDirectory } from '../directory/ldap-directory';
import { DirectoryUnavailable } from '../directory/ldap-directory';
import { attemptFailed, attemptSucceeded, beginAttempt } from './login-throttle';
import type { UserRow } from './users';
import { openSession } from './auth';

/** Never a password: a directory account has none here, and no scrypt hash can equal this. */
const NO_LOCAL_PASSWORD = '!directory';

/**
 * The Họp Số account of a directory person: found by its DN, created on first sign-in, its name,
 * unit, position and (mapped) roles refreshed from the directory every time.
 * A username that already belongs to a LOCAL account is refused: a directory entry never takes
 * over an account it did not create (the local "admin" stays the local admin's).
 */
export async function upsertDirectoryUser(
  tx: Query,
  t: Tables,
  source: 'ldap' | 'oidc',
  p: DirectoryPerson,
  oidcSubject: string | null = null,
): Promise<UserRow> {
  const { users } = t;
  const [known] = await tx
    .select()
    .from(users)
    .where(and(eq(users.authSource, source), eq(users.externalId, p.dn)));
  const fields = {
    fullName: p.fullName.slice(0, 200),
    unit: p.unit?.slice(0, 200) ?? null,
    position: p.position?.slice(0, 200) ?? null,
    // the directory owns the address of its accounts (read-only in Họp Số's account screen)
    email: p.email,
    ...(p.isAdmin !== undefined ? { isAdmin: p.isAdmin } : {}),
    ...(p.isOrganiser !== undefined ? { isOrganiser: p.isOrganiser } : {}),
  };
  if (known) {
    await tx.update(users).set(fields).where(eq(users.id, known.id));
    return { ...known, ...fields };
  }
  const username = p.username.trim().toLowerCase();
  const [clash] = await tx.select({ id: users.id }).from(users).where(eq(users.username, username));
  if (clash) throw new AppError('DIRECTORY_CONFLICT', 'This username already belongs to another account');
  const row: UserRow = {
    id: newId(),
    username,
    passwordHash: NO_LOCAL_PASSWORD,
    isAdmin: false,
    isOrganiser: false,
    uiLargeText: false,
    uiHighContrast: false,
    failedLogins: 0,
    lockedUntil: null,
    createdAt: nowIso(),
    authSource: source,
    externalId: p.dn,
    oidcSubject,
    ...fields,
  };
  await tx.insert(users).values(row);
  return row;
}

/**
 * The lock key of a directory person's account (PostgreSQL): two first sign-ins of one person on
 * two processes must not both create it. The DN decides which account, so it is the key.
 */
export const directoryLockKey = (source: 'ldap' | 'oidc', dn: string) => `directory:${source}:${dn}`;

/**
 * A write that may create a directory account, under its person's lock. A local account created
 * at the same moment under another lock (PostgreSQL) can still take the username between the
 * check and the insert: the unique key refuses it, and that is the same DIRECTORY_CONFLICT.
 */
export async function directoryWrite<T>(
  store: Store,
  source: 'ldap' | 'oidc',
  dn: string,
  fn: (tx: Query, t: Tables) => Promise<T>,
): Promise<T> {
  try {
    return await store.write(directoryLockKey(source, dn), fn);
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('DIRECTORY_CONFLICT', 'This username already belongs to another account');
    throw e;
  }
}

/**
 * Sign-in through LDAP, throttled like local sign-in (services/login-throttle.ts). A directory that
 * does not answer is DIRECTORY_UNAVAILABLE (503), never a wrong password, and touches nothing local.
 */
export async function ldapLogin(
  store: Store,
  directory: LdapDirectory,
  username: string,
  password: string,
  ttlHours: number,
  previousToken: string | undefined,
  source: string,
): Promise<{ user: UserRow; token: string; expiresAt: Date; sessionId: string }> {
  const ticket = await beginAttempt(store, username, source);
  let person: DirectoryPerson | null;
  try {
    person = await directory.authenticate(username, password);
  } catch (e) {
    if (e instanceof DirectoryUnavailable) {
      // not the person's mistake: give the attempt back
      await attemptSucceeded(store, ticket);
      throw new AppError('DIRECTORY_UNAVAILABLE', 'The directory cannot be reached; local accounts can still sign in');
    }
    throw e;
  }
  if (!person) {
    await attemptFailed(store, ticket);
    throw new AppError('BAD_CREDENTIALS', 'Wrong username or password');
  }
  await attemptSucceeded(store, ticket);
  const who = person;
  return directoryWrite(store, 'ldap', who.dn, async (tx, t) => {
    const user = await upsertDirectoryUser(tx, t, 'ldap', who);
    return { user, ...(await openSession(tx, t, user.id, ttlHours, previousToken)) };
  });
}

export interface DirectoryRecheck {
  /** accounts whose sessions were ended (gone from the directory, or disabled there) */
  disabled: string[];
  /** accounts whose roles changed (administrator, organiser) */
  changed: string[];
  /** the directory did not answer: nothing was decided */
  unavailable: boolean;
}

/**
 * Every LDAP account with a live session, looked up again: one the directory no longer finds
 * (deleted, or no longer matching LDAP_USER_FILTER: disabled) loses its sessions; the others get
 * their name, unit, position and mapped roles refreshed. A directory that does not answer changes
 * nothing (its accounts keep their sessions until it answers again; local accounts never depend on it).
 */
export async function recheckDirectoryAccounts(store: Store, directory: LdapDirectory): Promise<DirectoryRecheck> {
  const result: DirectoryRecheck = { disabled: [], changed: [], unavailable: false };
  const accounts = await store.read((q, t) =>
    q
      .selectDistinct({ id: t.users.id, dn: t.users.externalId, isAdmin: t.users.isAdmin, isOrganiser: t.users.isOrganiser })
      .from(t.users)
      .innerJoin(t.sessions, eq(t.sessions.userId, t.users.id))
      .where(and(eq(t.users.authSource, 'ldap'), gt(t.sessions.expiresAt, nowIso())))
      .orderBy(asc(t.users.id)),
  );
  for (const a of accounts) {
    if (!a.dn) continue;
    let person: DirectoryPerson | null;
    try {
      // the directory is asked outside any transaction (a network call)
      person = await directory.lookup(a.dn);
    } catch (e) {
      if (e instanceof DirectoryUnavailable) return { ...result, unavailable: true };
      throw e;
    }
    if (!person) {
      result.disabled.push(a.id);
      continue;
    }
    const who = person;
    const fresh = await directoryWrite(store, 'ldap', who.dn, (tx, t) => upsertDirectoryUser(tx, t, 'ldap', who));
    if (fresh.isAdmin !== a.isAdmin || fresh.isOrganiser !== a.isOrganiser) result.changed.push(a.id);
  }
  if (result.disabled.length)
    await store.write(null, (tx, t) => tx.delete(t.sessions).where(inArray(t.sessions.userId, result.disabled)));
  return result;
}
