// Who opened which document and how far they read (issue 15). The page a member is on comes over
// the socket with their presence (realtime/handlers.ts, 'presence.update' with documentId + page),
// which is volatile and throttled; it is gathered here in memory and written in batches: at most
// one write transaction per flush interval for the whole process, one row per (document, reader)
// that moved, never one write per page turn. What is not flushed yet is still shown: readers()
// merges it. A crash loses at most one interval of progress, which is acceptable for a "has read"
// indicator (nothing in the meeting's record depends on it).
// On the Store: a flush is one write under the lock key 'document-reads', so two processes merging
// the same reader's pages (read, union, write) never interleave on PostgreSQL.
import { and, eq, inArray } from 'drizzle-orm';
import type { Store } from '../db/store';
import { nowIso } from '../ids';
import type { DocumentReads } from '../../shared/api';

interface Pending {
  documentId: string;
  userId: string;
  pages: Set<number>;
  firstAt: string;
  lastAt: string;
}

export interface ReadTrackerStats {
  /** page views accepted from sockets */
  views: number;
  /** write transactions (one per flush that had something to write) */
  flushes: number;
  /** rows written (upserts) */
  rows: number;
}

type Log = { warn: (obj: object, msg: string) => void };

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const parsePages = (json: string): number[] => {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((n): n is number => Number.isSafeInteger(n) && n > 0) : [];
  } catch {
    return [];
  }
};

export class ReadTracker {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** the flushes under way, in order: close() waits for them */
  private flushing: Promise<void> = Promise.resolve();
  readonly stats: ReadTrackerStats = { views: 0, flushes: 0, rows: 0 };

  constructor(
    private readonly database: Store,
    private readonly opts: { flushMs: number; log?: Log },
  ) {}

  /**
   * A member saw `page` of a document (already checked: they may read it, the page exists).
   * Memory only; written at the next flush.
   */
  view(documentId: string, userId: string, page: number, at = nowIso()): void {
    if (this.closed) return;
    this.stats.views++;
    const key = `${documentId}\u0000${userId}`;
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = { documentId, userId, pages: new Set(), firstAt: at, lastAt: at }));
    p.pages.add(page);
    p.lastAt = at;
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.opts.flushMs);
      this.timer.unref();
    }
  }

  /** Writes what was gathered, in one transaction. Safe to call at any time (tests, shutdown). */
  flush(): Promise<void> {
    if (this.pending.size === 0) return this.flushing;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const rows = await this.database.write('document-reads', async (tx, t) => {
        const docIds = [...new Set(batch.map((p) => p.documentId))];
        const userIds = [...new Set(batch.map((p) => p.userId))];
        // the document (or the account) may have gone since: its reads go with it
        const existing = new Set(
          (await tx.select({ id: t.documents.id }).from(t.documents).where(inArray(t.documents.id, docIds))).map((d) => d.id),
        );
        const stored = await tx
          .select()
          .from(t.documentReads)
          .where(and(inArray(t.documentReads.documentId, docIds), inArray(t.documentReads.userId, userIds)));
        const byKey = new Map(stored.map((r) => [`${r.documentId}\u0000${r.userId}`, r]));
        let written = 0;
        for (const p of batch) {
          if (!existing.has(p.documentId)) continue;
          const row = byKey.get(`${p.documentId}\u0000${p.userId}`);
          const pages = [...new Set([...(row ? parsePages(row.pages) : []), ...p.pages])].sort((a, b) => a - b);
          const values = { pages: JSON.stringify(pages), pagesViewed: pages.length, lastReadAt: p.lastAt };
          if (row) {
            await tx
              .update(t.documentReads)
              .set(values)
              .where(and(eq(t.documentReads.documentId, p.documentId), eq(t.documentReads.userId, p.userId)));
          } else {
            await tx
              .insert(t.documentReads)
              .values({ documentId: p.documentId, userId: p.userId, firstOpenedAt: p.firstAt, ...values });
          }
          written++;
        }
        return written;
      });
      this.stats.rows += rows;
      this.stats.flushes++;
    } catch (err) {
      // a full disk or a removed account must not end the server; this batch of progress is lost
      this.opts.log?.warn({ err, readers: batch.length }, 'reading progress could not be saved');
    }
  }

  /** Flushes and stops accepting views (before the database closes). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.closed = true;
    await this.flush();
  }

  /**
   * Every member of the meeting with how far they read the document: stored progress merged with
   * what is still in memory, so the secretary sees a page turn before it is flushed.
   */
  async readers(documentId: string, meetingId: string): Promise<DocumentReads> {
    const { doc, members, stored } = await this.database.read(async (q, t) => {
      const [doc] = await q.select({ pageCount: t.documents.pageCount }).from(t.documents).where(eq(t.documents.id, documentId));
      const members = await q
        .select({ userId: t.users.id, fullName: t.users.fullName, role: t.meetingMembers.role })
        .from(t.meetingMembers)
        .innerJoin(t.users, eq(t.users.id, t.meetingMembers.userId))
        .where(eq(t.meetingMembers.meetingId, meetingId));
      // by name in code-unit order, as SQLite sorted it (PostgreSQL's collation would order Vietnamese otherwise)
      members.sort((a, b) => cmp(a.fullName, b.fullName) || cmp(a.userId, b.userId));
      const stored =
        members.length === 0
          ? []
          : await q
              .select()
              .from(t.documentReads)
              .where(
                and(
                  eq(t.documentReads.documentId, documentId),
                  inArray(
                    t.documentReads.userId,
                    members.map((m) => m.userId),
                  ),
                ),
              );
      return { doc, members, stored };
    });
    const byUser = new Map(stored.map((r) => [r.userId, r]));
    return {
      documentId,
      pageCount: doc?.pageCount ?? 0,
      readers: members.map((m) => {
        const row = byUser.get(m.userId);
        const mem = this.pending.get(`${documentId}\u0000${m.userId}`);
        const pages = [...new Set([...(row ? parsePages(row.pages) : []), ...(mem?.pages ?? [])])].sort((a, b) => a - b);
        return {
          userId: m.userId,
          fullName: m.fullName,
          role: m.role,
          pagesViewed: pages.length,
          pages,
          firstOpenedAt: row?.firstOpenedAt ?? mem?.firstAt ?? null,
          lastReadAt: mem?.lastAt ?? row?.lastReadAt ?? null,
        };
      }),
    };
  }
}
