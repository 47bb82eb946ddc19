// OpenID Connect sign-in (docs/directory.md): the sign-in under way between /start and /callback
// (oidc_logins: state, nonce, PKCE verifier, keyed by the sha256 of a cookie only the starting
// browser holds, used once, ten minutes at most), the account (services/directory-accounts.ts rules:
// created on first sign-in, refreshed at each, never taking over a local account), the session
// with its ID and refresh tokens, and the re-check that ends the sessions of an account the
// provider no longer accepts. No HTTP here.
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { Query, Store, Tables } from '../db/store';
import { AppError } from '../errors';
import { nowIso } from '../ids';
import { OidcRefused, OidcUnavailable, type OidcDirectory } from '../directory/oidc-client';
import { directoryWrite, upsertDirectoryUser } from './directory-accounts';
import { openSession } from './auth';
import type { UserRow } from './users';

/** How long a started sign-in waits for the provider's answer (a person typing their password). */
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** The provider's authorization URL, and the cookie value that ties the callback to this browser. */
export async function beginOidcLogin(store: Store, directory: OidcDirectory): Promise<{ url: string; cookie: string }> {
  let started: Awaited<ReturnType<OidcDirectory['start']>>;
  try {
    started = await directory.start();
  } catch (e) {
    if (e instanceof OidcUnavailable)
      throw new AppError('DIRECTORY_UNAVAILABLE', 'The sign-in provider cannot be reached; local accounts can still sign in');
    throw e;
  }
  const cookie = randomBytes(32).toString('base64url');
  await store.write(null, async (tx, t) => {
    // sign-ins never finished (closed tab, abandoned) go away with the next start
    await tx.delete(t.oidcLogins).where(lt(t.oidcLogins.createdAt, new Date(Date.now() - OIDC_LOGIN_TTL_MS).toISOString()));
    await tx.insert(t.oidcLogins).values({ id: hashOf(cookie), ...started.checks, createdAt: nowIso() });
  });
  return { url: started.url.href, cookie };
}

/**
 * The callback: the sign-in this browser started (taken: a replayed callback finds nothing), the
 * provider's answer checked against it, the account upserted and a session opened.
 * Refusals are AppErrors with the OIDC_* codes (shared/errors.ts).
 */
export async function completeOidcLogin(
  store: Store,
  directory: OidcDirectory,
  cookie: string | undefined,
  callbackUrl: URL,
  ttlHours: number,
  previousToken: string | undefined,
): Promise<{ user: UserRow; token: string; expiresAt: Date; sessionId: string }> {
  // taken in its own transaction: a replayed callback finds nothing, even if this one fails later
  const row = cookie
    ? (
        await store.write(null, (tx, t) =>
          tx
            .delete(t.oidcLogins)
            .where(eq(t.oidcLogins.id, hashOf(cookie)))
            .returning(),
        )
      )[0]
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
  return directoryWrite(store, 'oidc', result.person.dn, async (tx, t) => {
    const user = await upsertDirectoryUser(tx, t, 'oidc', result.person, result.subject);
    const opened = await openSession(tx, t, user.id, ttlHours, previousToken);
    await tx
      .update(t.sessions)
      .set({
        oidcIdToken: result.idToken ?? null,
        oidcRefreshToken: result.refreshToken ?? null,
      })
      .where(eq(t.sessions.id, opened.sessionId));
    return { user, ...opened };
  });
}

/** The ID token of an OIDC session (the hint of RP-initiated logout); null for other sessions. */
export async function oidcIdTokenOf(q: Query, t: Tables, sessionId: string): Promise<string | null> {
  const [row] = await q.select({ idToken: t.sessions.oidcIdToken }).from(t.sessions).where(eq(t.sessions.id, sessionId));
  return row?.idToken ?? null;
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
export async function recheckOidcSessions(store: Store, directory: OidcDirectory, intervalMs: number): Promise<OidcRecheck> {
  const result: OidcRecheck = { disabled: [], changed: [], unavailable: false };
  const now = nowIso();
  // half an interval: a process whose timer runs slightly early still finds the sessions due
  const due = new Date(Date.now() - intervalMs / 2).toISOString();
  const { sessions, users } = store.tables;
  const candidates = await store.read((q) =>
    q
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
      .orderBy(asc(sessions.id)),
  );
  for (const s of candidates) {
    if (result.disabled.includes(s.userId)) continue;
    const [claimed] = await store.write(`user:${s.userId}`, (tx) =>
      tx
        .update(sessions)
        .set({ oidcCheckedAt: nowIso() })
        .where(and(eq(sessions.id, s.id), or(isNull(sessions.oidcCheckedAt), lt(sessions.oidcCheckedAt, due))))
        .returning({ refreshToken: sessions.oidcRefreshToken }),
    );
    if (!claimed?.refreshToken) continue; // another process took it
    let fresh: Awaited<ReturnType<OidcDirectory['refresh']>>;
    try {
      fresh = await directory.refresh(claimed.refreshToken);
    } catch (e) {
      if (e instanceof OidcUnavailable) {
        // asked again at the next pass, not an interval later
        await store.write(`user:${s.userId}`, (tx) =>
          tx.update(sessions).set({ oidcCheckedAt: null }).where(eq(sessions.id, s.id)),
        );
        return { ...result, unavailable: true };
      }
      throw e;
    }
    if (!fresh) {
      result.disabled.push(s.userId);
      continue;
    }
    const update = fresh;
    await store.write(`user:${s.userId}`, (tx) =>
      tx
        .update(sessions)
        .set({ oidcRefreshToken: update.refreshToken, ...(update.idToken ? { oidcIdToken: update.idToken } : {}) })
        .where(eq(sessions.id, s.id)),
    );
    // name, unit, position, e-mail and mapped roles as the provider says now (same account only)
    if (fresh.person && fresh.person.dn === s.externalId) {
      const person = fresh.person;
      const now = await directoryWrite(store, 'oidc', person.dn, (tx, t) =>
        upsertDirectoryUser(tx, t, 'oidc', person, person.dn.slice(person.dn.lastIndexOf(' ') + 1)),
      );
      if ((now.isAdmin !== s.isAdmin || now.isOrganiser !== s.isOrganiser) && !result.changed.includes(s.userId))
        result.changed.push(s.userId);
    }
  }
  if (result.disabled.length)
    await store.write(null, (tx) => tx.delete(sessions).where(inArray(sessions.userId, result.disabled)));
  return result;
}
