// Who opened which document and how far they read (issue 15). The page a member is on comes over
// the socket with their presence (realtime/handlers.ts, 'presence.update' with documentId + page),
// which is volatile and throttled; it is gathered here in memory and written in batches: at most
// one write transaction per flush interval for the whole process, one row per (document, reader)
// that moved, never one write per page turn. What is not flushed yet is still shown: readers()
// merges it. A crash loses at most one interval of progress, which is acceptable for a "has read"
// indicator (nothing in the meeting's record depends on it).
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { documentReads, documents, meetingMembers, users } from '../db/schema';
import { inWriteTransaction } from '../db/transaction';
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
  readonly stats: ReadTrackerStats = { views: 0, flushes: 0, rows: 0 };

  constructor(
    private readonly db: Db,
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
        this.flush();
      }, this.opts.flushMs);
      this.timer.unref();
    }
  }

  /** Writes what was gathered, in one transaction. Safe to call at any time (tests, shutdown). */
  flush(): void {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      inWriteTransaction(this.db, () => {
        for (const p of batch) {
          const row = this.db
            .select()
            .from(documentReads)
            .where(and(eq(documentReads.documentId, p.documentId), eq(documentReads.userId, p.userId)))
            .get();
          const pages = [...new Set([...(row ? parsePages(row.pages) : []), ...p.pages])].sort((a, b) => a - b);
          const values = { pages: JSON.stringify(pages), pagesViewed: pages.length, lastReadAt: p.lastAt };
          // the document (or the account) may have gone since: its reads go with it
          const docExists = this.db.select({ id: documents.id }).from(documents).where(eq(documents.id, p.documentId)).get();
          if (!docExists) continue;
          if (row) {
            this.db
              .update(documentReads)
              .set(values)
              .where(and(eq(documentReads.documentId, p.documentId), eq(documentReads.userId, p.userId)))
              .run();
          } else {
            this.db
              .insert(documentReads)
              .values({ documentId: p.documentId, userId: p.userId, firstOpenedAt: p.firstAt, ...values })
              .run();
          }
          this.stats.rows++;
        }
      });
      this.stats.flushes++;
    } catch (err) {
      // a full disk or a removed account must not end the server; this batch of progress is lost
      this.opts.log?.warn({ err, readers: batch.length }, 'reading progress could not be saved');
    }
  }

  /** Flushes and stops accepting views (before the database closes). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flush();
    this.closed = true;
  }

  /**
   * Every member of the meeting with how far they read the document: stored progress merged with
   * what is still in memory, so the secretary sees a page turn before it is flushed.
   */
  readers(documentId: string, meetingId: string): DocumentReads {
    const doc = this.db.select({ pageCount: documents.pageCount }).from(documents).where(eq(documents.id, documentId)).get();
    const members = this.db
      .select({ userId: users.id, fullName: users.fullName, role: meetingMembers.role })
      .from(meetingMembers)
      .innerJoin(users, eq(users.id, meetingMembers.userId))
      .where(eq(meetingMembers.meetingId, meetingId))
      .orderBy(users.fullName)
      .all();
    const stored =
      members.length === 0
        ? []
        : this.db
            .select()
            .from(documentReads)
            .where(
              and(
                eq(documentReads.documentId, documentId),
                inArray(
                  documentReads.userId,
                  members.map((m) => m.userId),
                ),
              ),
            )
            .all();
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
