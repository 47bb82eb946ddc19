// OpenID Connect sign-in (docs/directory.md): the sign-in under way between /start and /callback
// (oidc_logins: state, nonce, PKCE verifier, keyed by the sha256 of a cookie only the starting
// browser holds, used once, ten minutes at most), the account (services/directory-accounts.ts rules:
// created on first sign-in, refreshed at each, never taking over a local account), the session
// with its ID and refresh tokens, and the re-check that ends the sessions of an account the
// provider no longer accepts. No HTTP here.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, inArray, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { oidcLogins, sessions, users } from '../db/schema';
import { AppError } from '../errors';
import { nowIso } from '../ids';
import { OidcRefused, OidcUnavailable, type OidcDirectory } from '../directory/oidc-client';
import { upsertDirectoryUser } from './directory-accounts';
import { openSession } from './auth';
import type { UserRow } from './users';

/** How long a started sign-in waits for the provider's answer (a person typing their password). */
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** The provider's authorization URL, and the cookie value that ties the callback to this browser. */
export async function beginOidcLogin(db: Db, directory: OidcDirectory): Promise<{ url: string; cookie: string }> {
  let started: Awaited<ReturnType<OidcDirectory['start']>>;
  try {
    started = await directory.start();
  } catch (e) {
    if (e instanceof OidcUnavailable)
      throw new AppError('DIRECTORY_UNAVAILABLE', 'The sign-in provider cannot be reached; local accounts can still sign in');
    throw e;
  }
  const cookie = randomBytes(32).toString('base64url');
  db.transaction((tx) => {
    // sign-ins never finished (closed tab, abandoned) go away with the next start
    tx.delete(oidcLogins)
      .where(lt(oidcLogins.createdAt, new Date(Date.now() - OIDC_LOGIN_TTL_MS).toISOString()))
      .run();
    tx.insert(oidcLogins)
      .values({ id: hashOf(cookie), ...started.checks, createdAt: nowIso() })
      .run();
  });
  return { url: started.url.href, cookie };
}

/**
 * The callback: the sign-in this browser started (taken: a replayed callback finds nothing), the
 * provider's answer checked against it, the account upserted and a session opened.
 * Refusals are AppErrors with the OIDC_* codes (shared/errors.ts).
 */
export async function completeOidcLogin(
  db: Db,
  directory: OidcDirectory,
  cookie: string | undefined,
  callbackUrl: URL,
  ttlHours: number,
  previousToken: string | undefined,
): Promise<{ user: UserRow; token: string; expiresAt: Date; sessionId: string }> {
  const row = cookie
    ? db
        .delete(oidcLogins)
        .where(eq(oidcLogins.id, hashOf(cookie)))
        .returning()
        .get()
    : undefined;
  if (!row || Date.parse(row.createdAt) < Date.now() - OIDC_LOGIN_TTL_MS) {
    throw new AppError('OIDC_FLOW_EXPIRED', 'This sign-in was not started here or took too long; start again');
  }
  let result: Awaited<ReturnType<OidcDirectory['finish']>>;
  try {
    result = await directory.finish(callbackUrl, { state: row.state, nonce: row.nonce, codeVerifier: row.codeVerifier });
  } catch (e) {
    if (e instanceof OidcUnavailable)
      throw new AppError('DIRECTORY_UNAVAILABLE', 'The sign-in provider cannot be reached; local accounts can still sign in');
    if (e instanceof OidcRefused) throw new AppError(e.code, e.message);
    throw e;
  }
  const user = upsertDirectoryUser(db, 'oidc', result.person, result.subject);
  const opened = openSession(db, user.id, ttlHours, previousToken);
  db.update(sessions)
    .set({
      oidcIdToken: result.idToken ?? null,
      oidcRefreshToken: result.refreshToken ?? null,
    })
    .where(eq(sessions.id, opened.sessionId))
    .run();
  return { user, ...opened };
}

/** The ID token of an OIDC session (the hint of RP-initiated logout); null for other sessions. */
export function oidcIdTokenOf(db: Db, sessionId: string): string | null {
  return db.select({ t: sessions.oidcIdToken }).from(sessions).where(eq(sessions.id, sessionId)).get()?.t ?? null;
}

export interface OidcRecheck {
  /** accounts whose sessions were ended: the provider refused their refresh token */
  disabled: string[];
  /** accounts whose roles (administrator, organiser) changed with the provider's groups */
  changed: string[];
  /** the provider did not answer: nothing was decided for the sessions not yet asked about */
  unavailable: boolean;
}

/**
 * Each live OIDC session holding a refresh token, asked about at most once per interval across all
 * processes (a session is claimed by moving its oidc_checked_at: a rotated refresh token must be
 * used once). The provider refusing the refresh (account disabled or deleted there, grant revoked)
 * ends every session of that account; an accepted one refreshes the account (name, unit, position,
 * e-mail, mapped roles) from the user info. Sessions without a refresh token (the provider gave none:
 * OIDC_SCOPES without offline_access) are not checked and last SESSION_TTL_HOURS.
 */
export async function recheckOidcSessions(db: Db, directory: OidcDirectory, intervalMs: number): Promise<OidcRecheck> {
  const result: OidcRecheck = { disabled: [], changed: [], unavailable: false };
  const now = nowIso();
  // half an interval: a process whose timer runs slightly early still finds the sessions due
  const due = new Date(Date.now() - intervalMs / 2).toISOString();
  const candidates = db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      isAdmin: users.isAdmin,
      isOrganiser: users.isOrganiser,
      externalId: users.externalId,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(users.authSource, 'oidc'),
        isNotNull(sessions.oidcRefreshToken),
        gt(sessions.expiresAt, now),
        or(isNull(sessions.oidcCheckedAt), lt(sessions.oidcCheckedAt, due)),
      ),
    )
    .all();
  for (const s of candidates) {
    if (result.disabled.includes(s.userId)) continue;
    const claimed = db
      .update(sessions)
      .set({ oidcCheckedAt: nowIso() })
      .where(and(eq(sessions.id, s.id), or(isNull(sessions.oidcCheckedAt), lt(sessions.oidcCheckedAt, due))))
      .returning({ refreshToken: sessions.oidcRefreshToken })
      .get();
    if (!claimed?.refreshToken) continue; // another process took it
    let fresh: Awaited<ReturnType<OidcDirectory['refresh']>>;
    try {
      fresh = await directory.refresh(claimed.refreshToken);
    } catch (e) {
      if (e instanceof OidcUnavailable) {
        // asked again at the next pass, not an interval later
        db.update(sessions).set({ oidcCheckedAt: null }).where(eq(sessions.id, s.id)).run();
        return { ...result, unavailable: true };
      }
      throw e;
    }
    if (!fresh) {
      result.disabled.push(s.userId);
      continue;
    }
    db.update(sessions)
      .set({ oidcRefreshToken: fresh.refreshToken, ...(fresh.idToken ? { oidcIdToken: fresh.idToken } : {}) })
      .where(eq(sessions.id, s.id))
      .run();
    // name, unit, position, e-mail and mapped roles as the provider says now (same account only)
    if (fresh.person && fresh.person.dn === s.externalId) {
      const now = upsertDirectoryUser(db, 'oidc', fresh.person, fresh.person.dn.slice(fresh.person.dn.lastIndexOf(' ') + 1));
      if ((now.isAdmin !== s.isAdmin || now.isOrganiser !== s.isOrganiser) && !result.changed.includes(s.userId))
        result.changed.push(s.userId);
    }
  }
  if (result.disabled.length) db.delete(sessions).where(inArray(sessions.userId, result.disabled)).run();
  return result;
}
