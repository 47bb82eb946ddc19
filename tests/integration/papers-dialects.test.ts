// Invitations, notifications and the e-mail outbox on both databases (issue 14): the same cases on a
// real SQLite file and a real PostgreSQL cluster (tests/helpers/postgres.ts), as store.test.ts does.
//  - the outbox claim: senders claiming at once (on PostgreSQL from two pools = two processes)
//    never get the same mail, and together they claim every due mail once;
//  - unread counts are numbers (a raw count(*) is a string on PostgreSQL), per user, and the bell's
//    list pages newest first the same way on both;
//  - invitation version numbers under two concurrent issues: the version is taken under the
//    meeting's lock (store.write(meetingId)), so two issues get 1 and 2, never 1 twice; and an
//    issue whose number was taken meanwhile is refused (insertIssued);
//  - the personal calendar feed: its token found by hash, the member's meetings in time order,
//    the latest invitation's SEQUENCE, rotate and revoke;
//  - the minutes' table changes (the async bodies for LiveService's inTx): a signature recorded
//    once, the second over the same state refused (the UPDATE's returned rows, not SQLite's
//    `changes`), the deferred request completed, the version superseded.
// SQLite has one writer per process (the store's mutex): its "other process" is the same store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../server/db/client';
import { openPg } from '../../server/db/client-pg';
import { PgStore } from '../../server/db/store-pg';
import { SqliteStore, type Store } from '../../server/db/store';
import { newId } from '../../server/ids';
import { Calendars } from '../../server/invitations/calendar';
import { insertIssued, nextInvitationVersion } from '../../server/invitations/invitation-service';
import {
  completeSigningRequest,
  minutesVersionsOf,
  recordSignature,
  supersedeVersion,
  type SignatureUpdate,
} from '../../server/minutes/minutes-service';
import { MailOutbox } from '../../server/notifications/mail-outbox';
import { NotificationService } from '../../server/notifications/notification-service';
import { startPostgres, type PgCluster } from '../helpers/postgres';

let cluster: PgCluster;
let dataDir: string;
let sqliteDb: Db;
const stores: Record<'sqlite' | 'pg', Store> = {} as never;
const others: Record<'sqlite' | 'pg', Store> = {} as never;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-papers-'));
  sqliteDb = openDb(dataDir);
  stores.sqlite = new SqliteStore(sqliteDb);
  others.sqlite = stores.sqlite;
  cluster = await startPostgres();
  stores.pg = new PgStore(await openPg(cluster.url));
  others.pg = new PgStore(await openPg(cluster.url));
}, 120_000);
afterAll(async () => {
  await stores.sqlite?.close();
  sqliteDb?.$client.close();
  await stores.pg?.close().catch(() => {});
  await others.pg?.close().catch(() => {});
  cluster?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const outboxOf = (store: Store) =>
  new MailOutbox(store, {
    smtpUrl: 'smtp://127.0.0.1:9', // never sent to: these cases only queue and claim
    from: 'hop@example.test',
    pollMs: 60_000,
    retryBaseMs: 1000,
    retryMaxMs: 1000,
    maxAttempts: 3,
    batch: 4,
  });

async function addUsers(store: Store, prefix: string, n: number): Promise<string[]> {
  const at = new Date().toISOString();
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  await store.write(null, (tx, t) =>
    tx.insert(t.users).values(ids.map((id) => ({ id, username: id, fullName: id, passwordHash: 'x', createdAt: at }))),
  );
  return ids;
}

describe.each(['sqlite', 'pg'] as const)('papers on %s', (dialect) => {
  const s = () => stores[dialect];
  const other = () => others[dialect];

  it('two senders claiming the outbox at once never take the same mail, and take every due one', async () => {
    const a = outboxOf(s());
    const b = outboxOf(other());
    const mails = Array.from({ length: 30 }, (_, i) => ({ userId: null, to: `m${i}@example.test`, subject: 's', body: 'b' }));
    await s().write(null, (tx, t) => a.enqueue(tx, t, mails));
    const later = new Date(Date.now() + 1000); // every queued mail is due then
    // 16 claims of 4 each (room for 64) from both senders, all at once
    const claims = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).claimDue(later)));
    const claimed = claims.flat().map((r) => r.toAddress);
    // never one mail twice (the UPDATE's re-check) …
    expect(new Set(claimed).size).toBe(claimed.length);
    // … and none left behind by a claim that lost a race (the claims are ordered by their lock)
    expect(claimed.length).toBe(30);
    // a claimed mail is leased: nobody claims it again while the lease runs
    expect(await a.claimDue(later)).toEqual([]);
    // the lease is in the rows as stored
    const leased = await s().read((q, t) => q.select({ l: t.mailOutbox.lockedUntil }).from(t.mailOutbox));
    expect(leased.every((r) => r.l !== null)).toBe(true);
    // and it ends: after it, the mails are due again (a sender that died released them)
    const afterLease = new Date(Date.now() + 10 * 60_000);
    const again = await Promise.all([a.claimDue(afterLease), b.claimDue(afterLease)]);
    expect(new Set(again.flat().map((r) => r.id)).size).toBe(again.flat().length);
  });

  it('unread counts are numbers per user; the bell pages newest first; marking read is one’s own', async () => {
    const [u1, u2] = await addUsers(s(), `${dialect}-bell`, 2);
    const pushes: { userId: string; unread: number }[] = [];
    const service = new NotificationService(s(), outboxOf(s()), {
      publicUrl: 'https://hop.example.test',
      push: (userId, msg) => pushes.push({ userId, unread: msg.unread }),
    });
    for (let i = 0; i < 5; i++) {
      const pushed = pushes.length;
      const stored = await service.notify({
        userIds: [u1!, i < 2 ? u2! : u1!],
        kind: 'test.hello',
        params: { n: i },
        link: '/meetings',
      });
      // the pushes follow the commit (publish returns at once): wait for them, one per recipient
      for (let w = 0; pushes.length < pushed + stored && w < 400; w++) await sleep(5);
    }
    expect(await service.unreadCount(u1!)).toBe(5);
    expect(await service.unreadCount(u2!)).toBe(2);
    const counts = await service.unreadCounts([u1!, u2!, 'nobody']);
    expect([...counts.entries()].sort()).toEqual([
      [u1, 5],
      [u2, 2],
    ]);
    expect(typeof counts.get(u1!)).toBe('number');

    const seen: number[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await service.list(u1!, { limit: 2, ...(before ? { before } : {}) });
      expect(page.unread).toBe(5);
      seen.push(...page.items.map((n) => n.params.n as number));
      if (!page.next) break;
      before = page.next;
    }
    expect(seen).toEqual([4, 3, 2, 1, 0]);

    const newest = (await service.list(u2!, { limit: 1 })).items[0]!;
    await expect(service.markRead(u1!, newest.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await service.markRead(u2!, newest.id)).toBe(1);
    expect(await service.markRead(u2!, newest.id)).toBe(1);
    expect(await service.markAllRead(u1!)).toBe(0);
    expect(await service.unreadCount(u1!)).toBe(0);
    expect(await service.unreadCount(u2!)).toBe(1);
    // the pushes went out after each commit, each with the recipient's count as committed then
    expect(pushes.filter((p) => p.userId === u2).map((p) => p.unread)).toEqual([1, 2]);
    expect(pushes.filter((p) => p.userId === u1).map((p) => p.unread)).toEqual([1, 2, 3, 4, 5]);
  });

  it('two concurrent issues of one meeting take versions 1 and 2 under the meeting’s lock; a stale one is refused', async () => {
    const [issuer] = await addUsers(s(), `${dialect}-issuer`, 1);
    const meetingId = newId();
    const at = new Date().toISOString();
    await s().write(null, (tx, t) =>
      tx
        .insert(t.meetings)
        .values({ id: meetingId, title: 'Họp giao ban', startsAt: at, location: 'P1', createdAt: at, updatedAt: at }),
    );
    const row = (version: number) => ({
      id: newId(),
      meetingId,
      version,
      number: '1/GM',
      title: 'Họp giao ban',
      startsAt: at,
      location: 'P1',
      document: '{}',
      sha256: 'x'.repeat(64),
      size: 1,
      pageCount: 1,
      issuedBy: issuer!,
      issuedAt: at,
    });
    const issue = (store: Store) =>
      store.write(meetingId, async (tx, t) => {
        const version = await nextInvitationVersion(tx, t, meetingId);
        await sleep(30); // the other issue runs meanwhile (another process on PostgreSQL)
        await tx.insert(t.invitations).values(row(version));
        return version;
      });
    const versions = await Promise.all([issue(s()), issue(other())]);
    expect(versions.sort()).toEqual([1, 2]);

    // rendered and signed as version 2 outside the transaction, but 2 is taken: refused, nothing stored
    const service = new NotificationService(s(), outboxOf(s()), { publicUrl: 'https://hop.example.test', push: () => {} });
    const notice = { userIds: [issuer!], kind: 'invitation.changed', meetingId, link: `/meetings/${meetingId}` };
    await expect(s().write(meetingId, (tx, t) => insertIssued(tx, t, service, row(2), notice))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const staged = await s().write(meetingId, (tx, t) => insertIssued(tx, t, service, row(3), notice));
    expect(staged.pushes.map((p) => p.userId)).toEqual([issuer]);
    const stored = await s().read((q, t) =>
      q
        .select({ v: t.invitations.version })
        .from(t.invitations)
        .where(eq(t.invitations.meetingId, meetingId))
        .orderBy(t.invitations.version),
    );
    expect(stored.map((r) => r.v)).toEqual([1, 2, 3]);
    expect(await service.unreadCount(issuer!)).toBe(1);
  });

  it('minutes: a signature is recorded once over the state it was made on; a second is ALREADY_SIGNED', async () => {
    const [secretary, chair] = await addUsers(s(), `${dialect}-signers`, 2);
    const meetingId = newId();
    const at = new Date().toISOString();
    const versionId = newId();
    const requestId = newId();
    await s().write(meetingId, async (tx, t) => {
      await tx.insert(t.meetings).values({ id: meetingId, title: 'Họp', createdAt: at, updatedAt: at });
      await tx.insert(t.minutesVersions).values({
        id: versionId,
        meetingId,
        version: 1,
        status: 'final',
        document: '{}',
        signatureBoxes: '{}',
        pageCount: 1,
        headHash: '0'.repeat(64),
        headSeq: 1,
        finalSha256: 'a'.repeat(64),
        currentSha256: 'a'.repeat(64),
        currentSize: 1,
        finalizedBy: secretary!,
        finalizedAt: at,
        secretaryId: null,
        secretarySignedAt: null,
        chairId: null,
        chairSignedAt: null,
      });
      await tx.insert(t.minutesSigningRequests).values({
        id: requestId,
        meetingId,
        version: 1,
        role: 'secretary',
        userId: secretary!,
        baseSha256: 'a'.repeat(64),
        preparedSha256: 'b'.repeat(64),
        byteRange: '[0,1,2,3]',
        digest: 'c'.repeat(64),
        signedAttributes: null,
        certificateChain: null,
        signedAt: at,
        expiresAt: at,
        status: 'pending',
        problem: null,
      });
    });
    const bySecretary: SignatureUpdate = {
      versionId,
      role: 'secretary',
      expected: 'final',
      previousSha256: 'a'.repeat(64),
      next: 'signed_secretary',
      sha256: 'd'.repeat(64),
      size: 2,
      userId: secretary!,
      signedAt: at,
    };
    await s().write(meetingId, async (tx, t) => {
      await recordSignature(tx, t, bySecretary);
      await completeSigningRequest(tx, t, requestId);
    });
    // the same signature again (another process that signed the same state): refused, nothing changes
    await expect(s().write(meetingId, (tx, t) => recordSignature(tx, t, bySecretary))).rejects.toMatchObject({
      code: 'ALREADY_SIGNED',
    });
    const byChair: SignatureUpdate = {
      ...bySecretary,
      role: 'chair',
      expected: 'signed_secretary',
      previousSha256: 'd'.repeat(64),
      next: 'signed_all',
      sha256: 'e'.repeat(64),
      userId: chair!,
    };
    await s().write(meetingId, (tx, t) => recordSignature(tx, t, byChair));
    let [row] = await s().read((q, t) => minutesVersionsOf(q, t, meetingId));
    expect(row).toMatchObject({ status: 'signed_all', currentSha256: 'e'.repeat(64), secretaryId: secretary, chairId: chair });
    const [request] = await s().read((q, t) =>
      q.select().from(t.minutesSigningRequests).where(eq(t.minutesSigningRequests.id, requestId)),
    );
    expect(request).toMatchObject({ status: 'completed', problem: null });
    await s().write(meetingId, (tx, t) => supersedeVersion(tx, t, meetingId, 1));
    [row] = await s().read((q, t) => minutesVersionsOf(q, t, meetingId));
    expect(row?.status).toBe('superseded');
  });

  it('calendar feed: the token opens the member’s meetings in time order with SEQUENCE; rotate and revoke end it', async () => {
    const [member, outsider] = await addUsers(s(), `${dialect}-cal`, 2);
    const at = new Date().toISOString();
    const ids = [newId(), newId(), newId()];
    const starts = ['2026-12-20T01:00:00.000Z', '2026-12-10T01:00:00.000Z', null];
    await s().write(null, async (tx, t) => {
      await tx
        .insert(t.meetings)
        .values(
          ids.map((id, i) => ({ id, title: `Họp ${i}`, startsAt: starts[i], location: 'P1', createdAt: at, updatedAt: at })),
        );
      await tx
        .insert(t.meetingMembers)
        .values(ids.map((meetingId) => ({ meetingId, userId: member!, role: 'participant' as const, addedAt: at })));
      // two versions of the first meeting's invitation: SEQUENCE 1
      for (const version of [1, 2])
        await tx.insert(t.invitations).values({
          id: newId(),
          meetingId: ids[0]!,
          version,
          number: '7/GM',
          title: 'Họp 0',
          startsAt: starts[0]!,
          location: 'P1',
          document: '{}',
          sha256: 'f'.repeat(64),
          size: 1,
          pageCount: 1,
          issuedBy: member!,
          issuedAt: at,
        });
    });
    const calendars = new Calendars(s(), { publicUrl: 'https://hop.example.test', domain: 'hop.example.test' });
    expect(await calendars.feedInfo(member!)).toEqual({ active: false, createdAt: null });
    const first = await calendars.rotate(member!);
    const token = (u: string | undefined) => /\/api\/calendar\/([A-Za-z0-9_-]{43})\.ics$/.exec(u ?? '')![1]!;
    const ics = (await calendars.feedIcs(token(first.url)))!;
    // the meeting without a time is left out; the others in time order, with the invitation's SEQUENCE
    expect([...ics.matchAll(/SUMMARY:(.*)/g)].map((m) => m[1]!.trim())).toEqual(['Họp 1', 'Họp 0']);
    expect(ics).toMatch(new RegExp(`UID:${ids[0]}@hop.example.test[\\s\\S]*?SEQUENCE:1`));
    expect(ics).toContain('Giấy mời số 7/GM');
    expect((await calendars.feedInfo(member!)).active).toBe(true);
    // a new URL ends the old one; revoking ends the new one; the outsider never had one
    const second = await calendars.rotate(member!);
    expect(await calendars.feedIcs(token(first.url))).toBeNull();
    expect(await calendars.feedIcs(token(second.url))).not.toBeNull();
    await calendars.revoke(member!);
    expect(await calendars.feedIcs(token(second.url))).toBeNull();
    expect(await calendars.feedInfo(outsider!)).toEqual({ active: false, createdAt: null });
  });
});
