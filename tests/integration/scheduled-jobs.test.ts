// The server's periodic jobs run through one scheduler (server/ops/scheduler.ts), wired by the
// plugins that own them: the mail outbox only with SMTP (and then it sends what was queued before
// start without any request), task and written-opinion reminders unless their interval is 0.
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/build-app';
import { startSmtp } from '../helpers/smtp';

describe('scheduled jobs', () => {
  it('without SMTP: the two reminder jobs, no outbox job', async () => {
    const t = await buildTestApp();
    try {
      expect(t.app.scheduler.names().sort()).toEqual(['opinion-reminders', 'task-reminders']);
    } finally {
      await t.close();
    }
  });

  it('intervals of 0 turn the reminder jobs off', async () => {
    const t = await buildTestApp({ config: { taskReminderPollMs: 0, opinionReminderPollMs: 0 } });
    try {
      expect(t.app.scheduler.names()).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('with SMTP: the outbox job sends at start what was queued before it, with no request', async () => {
    const smtp = await startSmtp();
    const first = await buildTestApp({ config: { smtpUrl: smtp.url, mailPollMs: 3_600_000 } });
    // queued by a server that stopped before sending it (its poll never came)
    await first.app.database.write(null, (tx, tt) =>
      first.app.mailOutbox.enqueue(tx, tt, [
        { userId: null, to: 'ban@example.test', subject: 'Giấy mời họp', body: 'Kính mời.' },
      ]),
    );
    await first.app.close();
    const t = await buildTestApp({ dataDir: first.dataDir, config: { smtpUrl: smtp.url, mailPollMs: 3_600_000 } });
    try {
      expect(t.app.scheduler.names()).toContain('mail-outbox');
      const end = Date.now() + 20_000;
      while (smtp.received.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(smtp.received.map((m) => m.to)).toEqual([['ban@example.test']]);
      await t.app.scheduler.runNow('mail-outbox');
      expect(await t.app.database.read((q, tt) => q.select({ s: tt.mailOutbox.status }).from(tt.mailOutbox))).toEqual([
        { s: 'sent' },
      ]);
    } finally {
      await t.close();
      await first.close().catch(() => {});
      await smtp.close();
    }
  });
});
