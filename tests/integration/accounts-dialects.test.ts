// Accounts on both databases (issue 14): the same cases on a SqliteStore over a real SQLite file and
// a PgStore over a real PostgreSQL cluster (tests/helpers/postgres.ts). The points where the two
// dialects could answer differently: the username lookup (case, spaces), booleans read back, the
// session lookup (prepared on SQLite, built on PostgreSQL) and its expiry, the audit listing's order
// (newest first, ties broken by id) and paging, and the migration counts the status page and the
// readiness probe read (count() and a bigint max()).
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  liveSession,
  login,
  logout,
  openSession,
  purgeExpiredSessions,
  sessionExpired,
  sessionIdOf,
  userForToken,
} from '../../server/services/auth';
import { createUser, deleteUser, findUserById, findUserByUsername, listUsers, updateUser } from '../../server/services/users';
import { listAudit, recordAudit } from '../../server/services/audit';
import { getDisplaySettings, setDisplaySettings } from '../../server/services/display-settings';
import { upsertDirectoryUser } from '../../server/services/directory-accounts';
import { appliedMigrations, shippedMigrations } from '../../server/ops/migrations-state';
import { dialectStores } from '../helpers/dialect-stores';

const stores = dialectStores('accounts');

describe.each(['sqlite', 'pg'] as const)('accounts on %s', (dialect) => {
  const s = () => stores[dialect];

  it('finds a username whatever its case and surrounding spaces; a second account of that name is a CONFLICT', async () => {
    const made = await createUser(s(), { username: '  Ngoc.Anh ', fullName: 'Lê Ngọc Anh', password: 'mat-khau-1' });
    expect(made.username).toBe('ngoc.anh');
    for (const asked of ['ngoc.anh', 'NGOC.ANH', ' Ngoc.Anh\t'])
      expect((await s().read((q, t) => findUserByUsername(q, t, asked)))?.id).toBe(made.id);
    expect(await s().read((q, t) => findUserByUsername(q, t, 'ngoc'))).toBeUndefined();
    expect(await s().read((q, t) => findUserByUsername(q, t, 'ngoc.an%'))).toBeUndefined();
    await expect(createUser(s(), { username: 'NGOC.ANH', fullName: 'Khác', password: 'mat-khau-2' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // two creations of one new name at once: one account, the other a CONFLICT (never a 500)
    const both = await Promise.allSettled(
      [1, 2].map((i) => createUser(s(), { username: 'dong.thoi', fullName: `Người ${i}`, password: 'mat-khau-3' })),
    );
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(both.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'CONFLICT' } });
  });

  it('reads booleans back as booleans, lists accounts by username, and deletes one', async () => {
    const a = await createUser(s(), { username: 'zz.bool', fullName: 'Bool', password: 'mat-khau-1', isOrganiser: true });
    const back = await s().read((q, t) => findUserById(q, t, a.id));
    expect(back).toMatchObject({ isAdmin: false, isOrganiser: true, uiLargeText: false });
    const changed = await updateUser(s(), a.id, { isAdmin: true, isOrganiser: false });
    expect(changed).toMatchObject({ isAdmin: true, isOrganiser: false });
    expect(await setDisplaySettings(s(), a.id, { largeText: true, highContrast: false })).toEqual({
      largeText: true,
      highContrast: false,
    });
    expect(await s().read((q, t) => getDisplaySettings(q, t, a.id))).toEqual({ largeText: true, highContrast: false });
    const names = (await s().read(listUsers)).map((u) => u.username);
    expect(names).toEqual([...names].sort());
    await deleteUser(s(), a.id);
    expect(await s().read((q, t) => findUserById(q, t, a.id))).toBeUndefined();
    await expect(deleteUser(s(), a.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a directory account is created once, refreshed after, and never takes a local name', async () => {
    const person = {
      dn: 'uid=binh,ou=people',
      username: 'Binh',
      fullName: 'Trần Bình',
      unit: null,
      position: null,
      email: null,
      isAdmin: undefined as boolean | undefined,
      isOrganiser: undefined,
    };
    const first = await s().write(null, (tx, t) => upsertDirectoryUser(tx, t, 'ldap', { ...person, isAdmin: true }));
    const again = await s().write(null, (tx, t) =>
      upsertDirectoryUser(tx, t, 'ldap', { ...person, fullName: 'Trần Văn Bình', isAdmin: false }),
    );
    expect(again.id).toBe(first.id);
    expect(await s().read((q, t) => findUserById(q, t, first.id))).toMatchObject({ fullName: 'Trần Văn Bình', isAdmin: false });
    await expect(
      s().write(null, (tx, t) => upsertDirectoryUser(tx, t, 'ldap', { ...person, dn: 'uid=other', username: 'NGOC.ANH' })),
    ).rejects.toMatchObject({ code: 'DIRECTORY_CONFLICT' });
  });

  it('a session token finds its user until it expires or is logged out; expired and ended are told apart', async () => {
    const u = await createUser(s(), { username: 'phien', fullName: 'Phiên', password: 'mat-khau-1' });
    const opened = await s().write(null, (tx, t) => openSession(tx, t, u.id, 1));
    expect(opened.sessionId).toBe(sessionIdOf(opened.token));
    expect((await s().read((q, t) => userForToken(q, t, opened.token)))?.id).toBe(u.id);
    expect(await s().read((q, t) => userForToken(q, t, 'not-a-token'))).toBeUndefined();
    // inside a write too (a live command checks its session where it commits)
    expect(await s().write(null, (tx, t) => liveSession(tx, t, opened.sessionId))).toEqual({ isAdmin: false });
    expect(await s().read((q, t) => liveSession(q, t, opened.sessionId))).toEqual({ isAdmin: false });

    // past its expiry: no user, not alive, but "expired" (not ended), then purged
    await s().write(null, (tx, t) =>
      tx.update(t.sessions).set({ expiresAt: '2000-01-01T00:00:00.000Z' }).where(eq(t.sessions.id, opened.sessionId)),
    );
    expect(await s().read((q, t) => userForToken(q, t, opened.token))).toBeUndefined();
    expect(await s().read((q, t) => liveSession(q, t, opened.sessionId))).toBeUndefined();
    expect(await s().read((q, t) => sessionExpired(q, t, opened.sessionId))).toBe(true);
    expect(await purgeExpiredSessions(s())).toBeGreaterThanOrEqual(1);
    expect(await s().read((q, t) => sessionExpired(q, t, opened.sessionId))).toBe(false);

    // login (throttled, hashed outside the transaction) rotates the session it replaces
    const a = await login(s(), 'PHIEN', 'mat-khau-1', 1, undefined, `${dialect}-test`);
    const b = await login(s(), 'phien', 'mat-khau-1', 1, a.token, `${dialect}-test`);
    expect(await s().read((q, t) => userForToken(q, t, a.token))).toBeUndefined();
    expect((await s().read((q, t) => userForToken(q, t, b.token)))?.id).toBe(u.id);
    await expect(login(s(), 'phien', 'sai', 1, undefined, `${dialect}-test`)).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    // a new password ends every session of the account
    await updateUser(s(), u.id, { password: 'mat-khau-moi' });
    expect(await s().read((q, t) => userForToken(q, t, b.token))).toBeUndefined();
    const c = await login(s(), 'phien', 'mat-khau-moi', 1, undefined, `${dialect}-test`);
    await s().write(null, (tx, t) => logout(tx, t, c.token));
    expect(await s().read((q, t) => sessionExpired(q, t, c.sessionId))).toBe(false);
  });

  it('lists the audit trail newest first, ties broken by id (descending), filtered and paged alike', async () => {
    const times = [
      '2026-03-01T08:00:00.000Z',
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T10:00:00.000Z',
    ];
    const ids = ['a3', 'a1', 'a4', 'a2'];
    await s().write(null, async (tx, t) => {
      for (const [i, at] of times.entries()) {
        await recordAudit(tx, t, {
          action: `test.${i}`,
          meetingId: null,
          outcome: i % 2 ? 'refused' : 'ok',
          actorName: 'kiem-tra',
          details: { i },
        });
        // fixed ids and times, so that the order is decided by the rule and not by insertion
        await tx
          .update(t.auditLog)
          .set({ id: `${dialect}-${ids[i]}`, at })
          .where(eq(t.auditLog.action, `test.${i}`));
      }
    });
    const mine = async (f: Parameters<typeof listAudit>[2]) =>
      (await s().read((q, t) => listAudit(q, t, f))).filter((r) => r.actorName === 'kiem-tra').map((r) => r.action);
    expect(await mine({ limit: 1000 })).toEqual(['test.3', 'test.2', 'test.1', 'test.0']);
    expect(await mine({ limit: 1000, outcome: 'refused' })).toEqual(['test.3', 'test.1']);
    expect(await mine({ limit: 1000, before: '2026-03-01T10:00:00.000Z' })).toEqual(['test.2', 'test.1', 'test.0']);
    const firstPage = await s().read((q, t) => listAudit(q, t, { limit: 2 }));
    expect(firstPage.map((r) => r.action)).toEqual(['test.3', 'test.2']);
    expect(JSON.parse(firstPage[0]!.details)).toEqual({ i: 3 });
  });

  it('counts the applied migrations as this build ships them (the readiness probe and the status page)', async () => {
    const shipped = shippedMigrations(dialect);
    const applied = await appliedMigrations(s());
    expect(applied.n).toBe(shipped.count);
    expect(typeof applied.newest).toBe('number');
    expect(applied.newest).toBe(shipped.newest);
  });
});
