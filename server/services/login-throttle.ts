// Login throttling that holds under parallel guesses and cannot be turned against the account's
// owner (OWASP Authentication Cheat Sheet: per-source throttling with growing delays, account-level
// soft limits, no hard lock a stranger can trigger). The state lives in the database
// (login_throttles), so every server process sharing it applies the same rule.
//
// The rule, per attempt (account = the username normalised exactly as the lookup does it):
//  - pair (account × source address): PAIR_FREE failures, then a delay before the next try that
//    doubles with each further failure (1 s, 2 s, 4 s … capped at PAIR_MAX_DELAY_MS).
//  - source (one address, any account): SOURCE_FREE failures, then the same doubling (capped at
//    SOURCE_MAX_DELAY_MS). Generous: an office behind one NAT address shares it.
//  - account (every source together): each source adds at most ACCOUNT_SHARE_PER_SOURCE failures,
//    so one foreign address can never reach ACCOUNT_FREE on its own; beyond it (a spread-out attack)
//    the doubling delay applies to sources that never logged into that account — a "trusted"
//    source (a successful login from it in the last TRUSTED_DAYS) is never slowed by it.
// A throttled attempt is answered 429 LOGIN_THROTTLED with Retry-After; the password is not even
// checked. Nothing here depends on whether the account exists.
//
// Parallel guesses: the attempt is counted against its pair (and the account's share) as a failure
// BEFORE the slow hash, in one write transaction with the check (BEGIN IMMEDIATE: serialised
// across processes too), so concurrent guesses see each other's counts; a correct password then
// gives its count back. (So more than PAIR_FREE logins at the very same moment for one account
// from one address would wait a second: a person does not do that.) The address's own counter
// moves when a failure lands (attemptFailed), so an office logging in together is never slowed.
//
// Asynchronous, on the Store (server/db/store.ts): the same code runs on SQLite and PostgreSQL.
// On PostgreSQL the check-and-count transaction takes an advisory lock on the account (`lockKey`),
// so parallel guesses on several processes are serialised as BEGIN IMMEDIATE serialises them on
// SQLite (READ COMMITTED alone would let two of them read the same counts).
import { and, eq, gt, lt, ne, sql } from 'drizzle-orm';
import { loginThrottles } from '../db/schema';
import type { Query, Store } from '../db/store';
import { AppError } from '../errors';

export const PAIR_FREE = 5;
export const SOURCE_FREE = 30;
export const ACCOUNT_FREE = 30;
export const ACCOUNT_SHARE_PER_SOURCE = 3;
const PAIR_MAX_DELAY_MS = 15 * 60_000;
const SOURCE_MAX_DELAY_MS = 5 * 60_000;
const ACCOUNT_MAX_DELAY_MS = 5 * 60_000;
/** a counter with no failure (and no block) for this long starts again from zero */
const RESET_AFTER_MS = 60 * 60_000;
const TRUSTED_DAYS = 30;

export type ThrottleRow = typeof loginThrottles.$inferSelect;
/** The lock every write of one account's counters takes (PostgreSQL; SQLite serialises all writes). */
const lockKey = (account: string) => `login-throttle:${account}`;
type Kind = ThrottleRow['kind'];

/** The normalisation the account lookup uses (services/users.findUserByUsername). */
export const normaliseAccount = (username: string) => username.trim().toLowerCase();

const keys = {
  pair: (account: string, source: string) => `pair:${account}|${source}`,
  source: (source: string) => `source:${source}`,
  account: (account: string) => `account:${account}`,
  trusted: (account: string, source: string) => `trusted:${account}|${source}`,
};

/** Doubling from 1 s once `failures` reaches `free`, capped. */
export function delayAfter(failures: number, free: number, maxMs: number): number {
  if (failures < free) return 0;
  return Math.min(maxMs, 1000 * 2 ** Math.min(30, failures - free));
}

export interface AttemptTicket {
  account: string;
  source: string;
  /** whether this attempt added to the account counter (it gives it back on success) */
  countedOnAccount: boolean;
}

async function live(q: Query, t: Store['tables'], key: string, nowIso: string): Promise<ThrottleRow | undefined> {
  const rows = await q
    .select()
    .from(t.loginThrottles)
    .where(and(eq(t.loginThrottles.key, key), gt(t.loginThrottles.expiresAt, nowIso)));
  return rows[0];
}

/** Adds one failure to a key (a stale row starts again from one) and sets its delay. */
async function countFailure(
  q: Query,
  t: Store['tables'],
  kind: Kind,
  key: string,
  who: { account?: string; source?: string },
  free: number,
  maxMs: number,
  now: number,
): Promise<number> {
  const { loginThrottles } = t;
  const at = new Date(now).toISOString();
  const [row] = await q
    .insert(loginThrottles)
    .values({ key, kind, account: who.account ?? null, source: who.source ?? null, failures: 1, expiresAt: at, updatedAt: at })
    .onConflictDoUpdate({
      target: loginThrottles.key,
      // the increment is done by the database, never read-modify-write in JS
      set: {
        failures: sql`CASE WHEN ${loginThrottles.expiresAt} <= ${at} THEN 1 ELSE ${loginThrottles.failures} + 1 END`,
        updatedAt: at,
      },
    })
    .returning({ failures: loginThrottles.failures });
  const delay = delayAfter(row!.failures, free, maxMs);
  await q
    .update(loginThrottles)
    .set({
      blockedUntil: delay ? new Date(now + delay).toISOString() : null,
      expiresAt: new Date(now + delay + RESET_AFTER_MS).toISOString(),
    })
    .where(eq(loginThrottles.key, key));
  return row!.failures;
}

/** Takes one failure back (a correct password), lifting the delay it may have set. */
async function giveBack(q: Query, t: Store['tables'], key: string, free: number, maxMs: number, now: number): Promise<void> {
  const row = await live(q, t, key, new Date(now).toISOString());
  if (!row) return;
  const failures = Math.max(0, row.failures - 1);
  const delay = delayAfter(failures, free, maxMs);
  const blockedUntil = delay ? new Date(new Date(row.updatedAt).getTime() + delay).toISOString() : null;
  await q.update(t.loginThrottles).set({ failures, blockedUntil }).where(eq(t.loginThrottles.key, key));
}

/**
 * Checks and counts one login attempt before the password is verified. Throws LOGIN_THROTTLED
 * (429, `details.retryAfterSeconds`) when the caller must wait; changes nothing then.
 */
export async function beginAttempt(store: Store, username: string, source: string, now = Date.now()): Promise<AttemptTicket> {
  const account = normaliseAccount(username);
  const at = new Date(now).toISOString();
  const t = store.tables;
  return store.write(lockKey(account), async (q) => {
    const pair = await live(q, t, keys.pair(account, source), at);
    const src = await live(q, t, keys.source(source), at);
    const acct = await live(q, t, keys.account(account), at);
    const trusted = acct?.blockedUntil ? await live(q, t, keys.trusted(account, source), at) : undefined;
    const until = Math.max(
      pair?.blockedUntil ? Date.parse(pair.blockedUntil) : 0,
      src?.blockedUntil ? Date.parse(src.blockedUntil) : 0,
      acct?.blockedUntil && !trusted ? Date.parse(acct.blockedUntil) : 0,
    );
    if (until > now) {
      const retryAfterSeconds = Math.ceil((until - now) / 1000);
      throw new AppError('LOGIN_THROTTLED', 'Too many attempts; try again later', { retryAfterSeconds });
    }
    const pairFailures = await countFailure(
      q,
      t,
      'pair',
      keys.pair(account, source),
      { account, source },
      PAIR_FREE,
      PAIR_MAX_DELAY_MS,
      now,
    );
    const countedOnAccount = pairFailures <= ACCOUNT_SHARE_PER_SOURCE;
    if (countedOnAccount)
      await countFailure(q, t, 'account', keys.account(account), { account }, ACCOUNT_FREE, ACCOUNT_MAX_DELAY_MS, now);
    return { account, source, countedOnAccount };
  });
}

/**
 * The password was wrong (or the account unknown): the address's own counter moves now. It is
 * not counted ahead like the pair: a whole office logging in at once behind one NAT address must
 * not throttle itself; a spray over many accounts from one address is held by each pair's count
 * up front and by this one as the failures land (still one atomic increment each).
 */
export async function attemptFailed(store: Store, ticket: AttemptTicket, now = Date.now()): Promise<void> {
  const t = store.tables;
  // the source's counter is shared by every account: its own lock on PostgreSQL
  await store.write(`login-throttle-source:${ticket.source}`, async (q) => {
    await countFailure(
      q,
      t,
      'source',
      keys.source(ticket.source),
      { source: ticket.source },
      SOURCE_FREE,
      SOURCE_MAX_DELAY_MS,
      now,
    );
    // made-up usernames leave rows behind: failures (never successes) sweep the expired ones,
    // an index range on expires_at
    await sweepExpired(store, q, new Date(now).toISOString());
  });
}

/**
 * Deletes the expired counters. On PostgreSQL the rows another transaction holds are skipped (the
 * next sweep takes them): a plain DELETE would lock expired rows in index order while a count
 * (beginAttempt, another lock key) holds one of them and wants another — a deadlock.
 * On SQLite a write holds the whole database, so no row waits for another.
 */
async function sweepExpired(store: Store, q: Query, at: string): Promise<void> {
  const { loginThrottles } = store.tables;
  if (store.dialect === 'sqlite') {
    await q.delete(loginThrottles).where(lt(loginThrottles.expiresAt, at));
    return;
  }
  await store.execute(
    q,
    sql`DELETE FROM ${loginThrottles} WHERE ${loginThrottles.key} IN (
    SELECT ${loginThrottles.key} FROM ${loginThrottles} WHERE ${loginThrottles.expiresAt} < ${at} FOR UPDATE SKIP LOCKED)`,
  );
}

/** The password was right: this attempt was no failure, the pair starts again, the source is trusted. */
export async function attemptSucceeded(store: Store, ticket: AttemptTicket, now = Date.now()): Promise<void> {
  const at = new Date(now).toISOString();
  const t = store.tables;
  const { loginThrottles } = t;
  await store.write(lockKey(ticket.account), async (q) => {
    await q.delete(loginThrottles).where(eq(loginThrottles.key, keys.pair(ticket.account, ticket.source)));
    if (ticket.countedOnAccount) await giveBack(q, t, keys.account(ticket.account), ACCOUNT_FREE, ACCOUNT_MAX_DELAY_MS, now);
    const expiresAt = new Date(now + TRUSTED_DAYS * 86_400_000).toISOString();
    await q
      .insert(loginThrottles)
      .values({
        key: keys.trusted(ticket.account, ticket.source),
        kind: 'trusted',
        account: ticket.account,
        source: ticket.source,
        failures: 0,
        expiresAt,
        updatedAt: at,
      })
      .onConflictDoUpdate({ target: loginThrottles.key, set: { expiresAt, updatedAt: at } });
  });
}

/** For administrators: every live counter with at least one failure (trusted sources are not listed). */
export async function listThrottles(store: Store, now = Date.now()): Promise<ThrottleRow[]> {
  const at = new Date(now).toISOString();
  const { loginThrottles } = store.tables;
  await store.write(null, (q) => sweepExpired(store, q, at));
  // keys are ASCII text: the C collation of the test cluster and SQLite's BINARY order agree
  return store.read((q) =>
    q
      .select()
      .from(loginThrottles)
      .where(and(ne(loginThrottles.kind, 'trusted'), gt(loginThrottles.expiresAt, at), gt(loginThrottles.failures, 0)))
      .orderBy(sql`${loginThrottles.blockedUntil} IS NULL`, sql`${loginThrottles.blockedUntil} DESC`, loginThrottles.key),
  );
}

/** An administrator lifts one counter (its delay and its count). */
export async function liftThrottle(store: Store, key: string): Promise<ThrottleRow> {
  const { loginThrottles } = store.tables;
  const [row] = await store.write(null, (q) =>
    q
      .delete(loginThrottles)
      .where(and(eq(loginThrottles.key, key), ne(loginThrottles.kind, 'trusted')))
      .returning(),
  );
  if (!row) throw new AppError('NOT_FOUND', 'No such login throttle');
  return row;
}

/** A new password set by an administrator: the account's own counters start again. */
export async function liftAccountThrottles(store: Store, username: string): Promise<void> {
  const account = normaliseAccount(username);
  const { loginThrottles } = store.tables;
  await store.write(lockKey(account), async (q) => {
    await q
      .delete(loginThrottles)
      .where(and(eq(loginThrottles.account, account), ne(loginThrottles.kind, 'trusted'), ne(loginThrottles.kind, 'source')));
  });
}
