// The audit trail: who did what, when, and whether it was refused. Written beside the action
// (never inside a meeting's hash chain), read by administrators only.
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { Query, Tables } from '../db/store';
import { auditLog } from '../db/schema';
import { newId, nowIso } from '../ids';

export type AuditRow = typeof auditLog.$inferSelect;

export interface AuditEntry {
  actorId?: string | null;
  actorName?: string | null;
  action: string;
  meetingId?: string | null;
  outcome: 'ok' | 'refused';
  code?: string | null;
  details?: Record<string, unknown>;
}

const auditRow = (e: AuditEntry) => ({
  id: newId(),
  at: nowIso(),
  actorId: e.actorId ?? null,
  actorName: e.actorName ?? null,
  action: e.action,
  meetingId: e.meetingId ?? null,
  outcome: e.outcome,
  code: e.code ?? null,
  details: JSON.stringify(e.details ?? {}),
});

/** Written beside the action: in its write transaction (`q`), or in one of its own. */
export async function recordAudit(q: Query, t: Tables, e: AuditEntry): Promise<void> {
  await q.insert(t.auditLog).values(auditRow(e));
}

/** recordAudit for the code not yet on the Store (docs/scale-out.md). */
export function recordAuditSync(db: Db, e: AuditEntry): void {
  db.insert(auditLog).values(auditRow(e)).run();
}

export function listAudit(
  db: Db,
  q: { limit: number; before?: string; meetingId?: string; actorId?: string; outcome?: 'ok' | 'refused' },
): AuditRow[] {
  const where: SQL[] = [];
  if (q.before) where.push(lt(auditLog.at, q.before));
  if (q.meetingId) where.push(eq(auditLog.meetingId, q.meetingId));
  if (q.actorId) where.push(eq(auditLog.actorId, q.actorId));
  if (q.outcome) where.push(eq(auditLog.outcome, q.outcome));
  return db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.at))
    .limit(q.limit)
    .all();
}

/**
 * Refused commands are recorded, but a client that floods refusals must not flood the table:
 * at most `perMinute` rows per key (socket) per minute; the rest still reach the structured log.
 */
export class AuditThrottle {
  private readonly counts = new Map<string, { minute: number; n: number }>();
  constructor(private readonly perMinute = 20) {}
  allow(key: string, now = Date.now()): boolean {
    const minute = Math.floor(now / 60_000);
    const c = this.counts.get(key);
    if (!c || c.minute !== minute) {
      if (this.counts.size > 10_000) this.counts.clear();
      this.counts.set(key, { minute, n: 1 });
      return true;
    }
    c.n++;
    return c.n <= this.perMinute;
  }
}
