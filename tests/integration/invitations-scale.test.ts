// Figure for issue 15: time to issue a giấy mời to 100 members (render + sign + store + log +
// 100 notifications + 100 e-mails queued), and the e-mails delivered to a real SMTP server in this
// process. Prints the figures; asserts only what must hold (every invitee notified and mailed once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session } from '../helpers/http';
import { until } from '../helpers/live-client';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { and, eq } from 'drizzle-orm';

describe('invitation to 100 members', () => {
  let smtp: TestSmtp;
  let t: TestApp;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await buildTestApp({ config: { smtpUrl: smtp.url, mailPollMs: 60_000 } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('notifies and mails each of them once', async () => {
    const secretary = await session(t.app, 'secretary');
    const created = (
      await secretary.post('/api/meetings', {
        title: 'Họp toàn thể Hội đồng nhân dân',
        startsAt: '2026-12-15T01:00:00.000Z',
        location: 'Hội trường lớn',
      })
    ).json();
    expect(created.id).toBeTruthy();
    const mid = created.id as string;
    // 99 more members, written straight to the tables (the accounts are not what is measured)
    const now = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 1; i <= 99; i++) ids.push(`bulk-${i}`);
    await t.app.database.write(mid, async (tx, tt) => {
      await tx.insert(tt.users).values(
        ids.map((id, i) => ({
          id,
          username: `daibieu${i + 1}`,
          fullName: `Đại biểu số ${i + 1}`,
          passwordHash: 'x',
          email: `daibieu${i + 1}@example.test`,
          createdAt: now,
        })),
      );
      await tx
        .insert(tt.meetingMembers)
        .values(ids.map((id) => ({ meetingId: mid, userId: id, role: 'participant' as const, addedAt: now })));
    });
    const members = await t.app.database.read((q, tt) =>
      q.select().from(tt.meetingMembers).where(eq(tt.meetingMembers.meetingId, mid)),
    );
    expect(members.length).toBe(100);

    const started = performance.now();
    const res = await secretary.post(`/api/meetings/${mid}/invitations`, { number: '21/GM-HĐND' });
    const issueMs = performance.now() - started;
    expect(res.statusCode, res.body).toBe(201);
    const mailStart = performance.now();
    await until(() => smtp.received.length >= 99, 120_000);
    const mailMs = performance.now() - mailStart;

    const notified = await t.app.database.read((q, tt) =>
      q
        .select()
        .from(tt.notifications)
        .where(and(eq(tt.notifications.meetingId, mid), eq(tt.notifications.kind, 'invitation.issued'))),
    );
    expect(new Set(notified.map((n) => n.userId))).toEqual(new Set(ids)); // everyone but the issuer, once
    expect(smtp.received.length).toBe(99);
    expect(new Set(smtp.received.flatMap((m) => m.to)).size).toBe(99);
    // warm: a change notice to the same 100 (CA, fonts and libraries already loaded), issued by the
    // edit of the place itself (the edit's time includes rendering, signing and queueing)
    const warmStart = performance.now();
    expect((await secretary.patch(`/api/meetings/${mid}`, { location: 'Hội trường nhỏ' })).statusCode).toBe(200);
    const warmMs = performance.now() - warmStart;
    expect((await secretary.get(`/api/meetings/${mid}/invitations`)).json().versions[0]).toMatchObject({
      version: 2,
      changes: ['location'],
    });
    await until(() => smtp.received.length >= 198, 120_000);
    expect(smtp.received.length).toBe(198);
    console.log(
      `[invitation figures] change notice to the same 100 (warm): ${warmMs.toFixed(0)} ms; 198/198 e-mails delivered in all`,
    );
    console.log(
      `[invitation figures] issue to 100 members (render ${res.json().pageCount} pages, sign, store, log, 99 notifications + 99 e-mails queued): ${issueMs.toFixed(0)} ms; ` +
        `99/99 e-mails delivered to the test SMTP server ${mailMs.toFixed(0)} ms after the issue returned`,
    );
  }, 180_000);
});
