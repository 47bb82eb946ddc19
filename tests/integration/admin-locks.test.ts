// The status page's locks: sign-ins being slowed (login_throttles with a time to come) and deferred
// minutes signatures waiting for the signer's app; expired ones are not locks. Administrators only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session } from '../helpers/http';
import type { AdminStatus } from '../../shared/admin-api';
import { eq } from 'drizzle-orm';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('admin status: locks', () => {
  it('lists the slowed sign-ins and the waiting signatures, not the expired ones; refused to non-administrators', async () => {
    const admin = await session(t.app, 'admin');
    const empty = (await admin.get('/api/admin/status')).json() as AdminStatus;
    expect(empty.locks).toEqual({ loginBlocked: [], pendingSignatures: [] });

    // five wrong passwords for one account from one address: that pair is slowed
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'secretary', password: `sai-${i}-mat-khau` },
      });
    }
    const later = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
    const [meeting] = await t.app.database.read((q, tt) => q.select().from(tt.meetings).orderBy(tt.meetings.id).limit(1));
    const [chair] = await t.app.database.read((q, tt) => q.select().from(tt.users).where(eq(tt.users.username, 'chair')));
    const request = {
      meetingId: meeting!.id,
      version: 1,
      userId: chair!.id,
      baseSha256: 'a'.repeat(64),
      preparedSha256: 'b'.repeat(64),
      byteRange: '[0,1,2,3]',
      digest: 'c'.repeat(64),
      signedAt: new Date().toISOString(),
    };
    await t.app.database.write(null, (q, tt) =>
      q.insert(tt.minutesSigningRequests).values([
        { ...request, id: 'waiting', role: 'chair', expiresAt: later(15), status: 'pending' },
        { ...request, id: 'expired', role: 'chair', expiresAt: later(-1), status: 'pending' },
        { ...request, id: 'done', role: 'secretary', expiresAt: later(15), status: 'completed' },
      ]),
    );

    const s = (await admin.get('/api/admin/status')).json() as AdminStatus;
    const blocked = (await t.app.database.read((q, tt) => q.select().from(tt.loginThrottles))).filter(
      (l) => l.blockedUntil && l.blockedUntil > new Date().toISOString(),
    );
    expect(blocked.length).toBeGreaterThan(0);
    expect(s.locks.loginBlocked.map((l) => l.key).sort()).toEqual(blocked.map((l) => l.key).sort());
    expect(s.locks.loginBlocked.some((l) => l.account === 'secretary')).toBe(true);
    expect(s.locks.pendingSignatures).toEqual([
      {
        id: 'waiting',
        meetingId: meeting!.id,
        meetingTitle: meeting!.title,
        role: 'chair',
        signer: chair!.fullName,
        expiresAt: expect.any(String),
      },
    ]);

    const chairSession = await session(t.app, 'chair');
    expect((await chairSession.get('/api/admin/status')).statusCode).toBe(403);
  });
});
