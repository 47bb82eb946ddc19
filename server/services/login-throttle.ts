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
import { and, eq, gt, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { loginThrottles } from '../db/schema';
import { inWriteTransaction } from '../db/transaction';
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

function live(db: Db, key: string, nowIso: string): ThrottleRow | undefined {
  return db.select().from(loginThrottles).where(and(eq(loginThrottles.key, key), gt(loginThrottles.expiresAt, nowIso))).get();
}

/** Adds one failure to a key (a stale row starts again from one) and sets its delay. */
function countFailure(db: Db, kind: Kind, key: string, who: { account?: string; source?: string }, free: number, maxMs: number, now: number): number {
  const at = new Date(now).toISOString();
  const row = db.insert(loginThrottles)
    .values({ key, kind, account: who.account ?? null, source: who.source ?? null, failures: 1, expiresAt: at, updatedAt: at })
    .onConflictDoUpdate({
      target: loginThrottles.key,
      // the increment is done by the database, never read-modify-write in JS
      set: { failures: sql`CASE WHEN ${loginThrottles.expiresAt} <= ${at} THEN 1 ELSE ${loginThrottles.failures} + 1 END`, updatedAt: at },
    })
    .returning({ failures: loginThrottles.failures })
    .get();
  const delay = delayAfter(row.failures, free, maxMs);
  db.update(loginThrottles).set({
    blockedUntil: delay ? new Date(now + delay).toISOString() : null,
    expiresAt: new Date(now + delay + RESET_AFTER_MS).toISOString(),
  }).where(eq(loginThrottles.key, key)).run();
  return row.failures;
}

/** Takes one failure back (a correct password), lifting the delay it may have set. */
function giveBack(db: Db, key: string, free: number, maxMs: number, now: number): void {
  const row = live(db, key, new Date(now).toISOString());
  if (!row) return;
  const failures = Math.max(0, row.failures - 1);
  const delay = delayAfter(failures, free, maxMs);
  const blockedUntil = delay ? new Date(new Date(row.updatedAt).getTime() + delay).toISOString() : null;
  db.update(loginThrottles).set({ failures, blockedUntil }).where(eq(loginThrottles.key, key)).run();
}

/**
 * Checks and counts one login attempt before the password is verified. Throws LOGIN_THROTTLED
 * (429, `details.retryAfterSeconds`) when the caller must wait; changes nothing then.
 */
export function beginAttempt(db: Db, username: string, source: string, now = Date.now()): AttemptTicket {
  const account = normaliseAccount(username);
  const at = new Date(now).toISOString();
  return inWriteTransaction(db, () => {
    const pair = live(db, keys.pair(account, source), at);
    const src = live(db, keys.source(source), at);
    const acct = live(db, keys.account(account), at);
    const trusted = acct?.blockedUntil ? live(db, keys.trusted(account, source), at) : undefined;
    const until = Math.max(
      pair?.blockedUntil ? Date.parse(pair.blockedUntil) : 0,
      src?.blockedUntil ? Date.parse(src.blockedUntil) : 0,
      acct?.blockedUntil && !trusted ? Date.parse(acct.blockedUntil) : 0,
    );
    if (until > now) {
      const retryAfterSeconds = Math.ceil((until - now) / 1000);
      throw new AppError('LOGIN_THROTTLED', 'Too many attempts; try again later', { retryAfterSeconds });
    }
    const pairFailures = countFailure(db, 'pair', keys.pair(account, source), { account, source }, PAIR_FREE, PAIR_MAX_DELAY_MS, now);
    const countedOnAccount = pairFailures <= ACCOUNT_SHARE_PER_SOURCE;
    if (countedOnAccount) countFailure(db, 'account', keys.account(account), { account }, ACCOUNT_FREE, ACCOUNT_MAX_DELAY_MS, now);
    return { account, source, countedOnAccount };
  });
}

/**
 * The password was wrong (or the account unknown): the address's own counter moves now. It is
 * not counted ahead like the pair: a whole office logging in at once behind one NAT address must
 * not throttle itself; a spray over many accounts from one address is held by each pair's count
 * up front and by this one as the failures land (still one atomic increment each).
 */
export function attemptFailed(db: Db, t: AttemptTicket, now = Date.now()): void {
  inWriteTransaction(db, () => {
    countFailure(db, 'source', keys.source(t.source), { source: t.source }, SOURCE_FREE, SOURCE_MAX_DELAY_MS, now);
    // made-up usernames leave rows behind: failures (never successes) sweep the expired ones,
    // an index range on expires_at
    db.delete(loginThrottles).where(lt(loginThrottles.expiresAt, new Date(now).toISOString())).run();
  });
}

/** The password was right: this attempt was no failure, the pair starts again, the source is trusted. */
export function attemptSucceeded(db: Db, t: AttemptTicket, now = Date.now()): void {
  const at = new Date(now).toISOString();
  inWriteTransaction(db, () => {
    db.delete(loginThrottles).where(eq(loginThrottles.key, keys.pair(t.account, t.source))).run();
    if (t.countedOnAccount) giveBack(db, keys.account(t.account), ACCOUNT_FREE, ACCOUNT_MAX_DELAY_MS, now);
    const expiresAt = new Date(now + TRUSTED_DAYS * 86_400_000).toISOString();
    db.insert(loginThrottles)
      .values({ key: keys.trusted(t.account, t.source), kind: 'trusted', account: t.account, source: t.source, failures: 0, expiresAt, updatedAt: at })
      .onConflictDoUpdate({ target: loginThrottles.key, set: { expiresAt, updatedAt: at } })
      .run();
  });
}

/** For administrators: every live counter with at least one failure (trusted sources are not listed). */
export function listThrottles(db: Db, now = Date.now()): ThrottleRow[] {
  const at = new Date(now).toISOString();
  db.delete(loginThrottles).where(lt(loginThrottles.expiresAt, at)).run();
  return db.select().from(loginThrottles)
    .where(and(ne(loginThrottles.kind, 'trusted'), gt(loginThrottles.expiresAt, at), gt(loginThrottles.failures, 0)))
    .orderBy(sql`${loginThrottles.blockedUntil} IS NULL`, sql`${loginThrottles.blockedUntil} DESC`, loginThrottles.key)
    .all();
}

/** An administrator lifts one counter (its delay and its count). */
export function liftThrottle(db: Db, key: string): ThrottleRow {
  const row = db.delete(loginThrottles).where(and(eq(loginThrottles.key, key), ne(loginThrottles.kind, 'trusted'))).returning().get();
  if (!row) throw new AppError('NOT_FOUND', 'No such login throttle');
  return row;
}

/** A new password set by an administrator: the account's own counters start again. */
export function liftAccountThrottles(db: Db, username: string): void {
  const account = normaliseAccount(username);
  db.delete(loginThrottles)
    .where(and(eq(loginThrottles.account, account), ne(loginThrottles.kind, 'trusted'), ne(loginThrottles.kind, 'source')))
    .run();
}
