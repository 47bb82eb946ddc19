// The meeting's append-only, hash-chained log (DESIGN.md "The live meeting is an event log").
// hash = sha256(prev_hash || canonical JSON of { meetingId, seq, type, actor, at, payload }).
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { meetingCommands, meetingEvents } from '../db/schema';
import { canonicalJson } from './canonical-json';
import type { LiveEvent, LoggedEvent } from '../../shared/events';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** prev_hash of the first event of every meeting */
export const GENESIS_HASH = '0'.repeat(64);

export function eventHash(prevHash: string, e: LiveEvent): string {
  const body = canonicalJson({ meetingId: e.meetingId, seq: e.seq, type: e.type, actor: e.actor, at: e.at, payload: e.payload });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

export interface AppendInput {
  meetingId: string;
  type: string;
  actor: string;
  payload: unknown;
  at: string;
  /** the client's idempotency key, recorded in the same transaction */
  commandId?: string;
}

export interface Appended {
  event: LiveEvent;
  hash: string;
}

/**
 * Appends one event in one transaction: next seq, chained hash, the command id, and whatever the
 * command must change in other tables (`alsoInTx`). Either all of it is durable or none of it.
 */
export function appendEvent(db: Db, input: AppendInput, alsoInTx?: (tx: Tx, event: LiveEvent) => void): Appended {
  return db.transaction((tx) => {
    const head = tx.select({ seq: meetingEvents.seq, hash: meetingEvents.hash }).from(meetingEvents)
      .where(eq(meetingEvents.meetingId, input.meetingId)).orderBy(desc(meetingEvents.seq)).limit(1).get();
    const prevHash = head?.hash ?? GENESIS_HASH;
    // round-trip through canonical JSON so the in-memory payload is exactly what was stored and hashed
    const payloadText = canonicalJson(input.payload ?? {});
    const event: LiveEvent = {
      meetingId: input.meetingId, seq: (head?.seq ?? 0) + 1, type: input.type, actor: input.actor, at: input.at,
      payload: JSON.parse(payloadText) as unknown,
    };
    const hash = eventHash(prevHash, event);
    tx.insert(meetingEvents).values({
      meetingId: event.meetingId, seq: event.seq, type: event.type, actor: event.actor, payload: payloadText,
      at: event.at, prevHash, hash,
    }).run();
    if (input.commandId !== undefined) {
      tx.insert(meetingCommands).values({ meetingId: input.meetingId, commandId: input.commandId, actor: input.actor, seq: event.seq }).run();
    }
    alsoInTx?.(tx, event);
    return { event, hash };
  });
}

/** The seq a command id already produced for this sender, if any. */
export function seqForCommand(db: Db, meetingId: string, actor: string, commandId: string): number | undefined {
  return db.select({ seq: meetingCommands.seq }).from(meetingCommands)
    .where(and(eq(meetingCommands.meetingId, meetingId), eq(meetingCommands.actor, actor), eq(meetingCommands.commandId, commandId)))
    .get()?.seq;
}

type EventRow = typeof meetingEvents.$inferSelect;

const parsePayload = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

const toLiveEvent = (r: EventRow): LiveEvent => ({
  meetingId: r.meetingId, seq: r.seq, type: r.type, actor: r.actor, at: r.at, payload: parsePayload(r.payload),
});

/** Events after `afterSeq`, in order. */
export function readEvents(db: Db, meetingId: string, afterSeq = 0): LiveEvent[] {
  return db.select().from(meetingEvents)
    .where(and(eq(meetingEvents.meetingId, meetingId), gt(meetingEvents.seq, afterSeq)))
    .orderBy(asc(meetingEvents.seq)).all().map(toLiveEvent);
}

export function headOf(db: Db, meetingId: string): { seq: number; hash: string } {
  const head = db.select({ seq: meetingEvents.seq, hash: meetingEvents.hash }).from(meetingEvents)
    .where(eq(meetingEvents.meetingId, meetingId)).orderBy(desc(meetingEvents.seq)).limit(1).get();
  return head ?? { seq: 0, hash: GENESIS_HASH };
}

export interface ChainCheck {
  events: LoggedEvent[];
  verified: boolean;
  headHash: string;
  /** first seq whose row does not hold (edited, removed or reordered), when not verified */
  brokenAtSeq: number | null;
}

/** Reads the whole log and recomputes every link of the chain from the stored rows. */
export function verifyChain(db: Db, meetingId: string): ChainCheck {
  const rows = db.select().from(meetingEvents).where(eq(meetingEvents.meetingId, meetingId)).orderBy(asc(meetingEvents.seq)).all();
  let prev = GENESIS_HASH;
  let brokenAtSeq: number | null = null;
  rows.forEach((r, i) => {
    if (brokenAtSeq !== null) return;
    const payload = parsePayload(r.payload);
    const ok = r.seq === i + 1 && r.prevHash === prev && payload !== undefined && eventHash(prev, toLiveEvent(r)) === r.hash;
    if (!ok) brokenAtSeq = r.seq;
    prev = r.hash;
  });
  return {
    events: rows.map((r) => ({ seq: r.seq, type: r.type, actor: r.actor, at: r.at, payload: parsePayload(r.payload) ?? null, prevHash: r.prevHash, hash: r.hash })),
    verified: brokenAtSeq === null,
    headHash: rows.at(-1)?.hash ?? GENESIS_HASH,
    brokenAtSeq,
  };
}
