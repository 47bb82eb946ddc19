// The audit trail: who did what, when, and whether it was refused. Written beside the action
// (never inside a meeting's hash chain), read by administrators only.
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Query, Store, Tables } from '../db/store';
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

/** recordAudit in a transaction of its own (an action with no write of its own to join). */
export async function recordAuditAlone(store: Store, e: AuditEntry): Promise<void> {
  await store.write(null, (tx, t) => recordAudit(tx, t, e));
}

/**
 * Newest first. `before` pages by time (the `at` of the last row seen). Rows of one millisecond
 * come in a fixed order on both databases (id, descending: the tie-breaker).
 */
export function listAudit(
  q: Query,
  t: Tables,
  f: { limit: number; before?: string; meetingId?: string; actorId?: string; outcome?: 'ok' | 'refused' },
): Promise<AuditRow[]> {
  const { auditLog } = t;
  const where: SQL[] = [];
  if (f.before) where.push(lt(auditLog.at, f.before));
  if (f.meetingId) where.push(eq(auditLog.meetingId, f.meetingId));
  if (f.actorId) where.push(eq(auditLog.actorId, f.actorId));
  if (f.outcome) where.push(eq(auditLog.outcome, f.outcome));
  return q
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(f.limit);
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
