// The meeting's append-only, hash-chained log (docs/design-notes.md, Event log).
// hash = sha256(prev_hash || canonical JSON of { meetingId, seq, type, actor, at, payload });
// the exact text is specified in docs/canonical-json.md.
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { perDb } from '../db/prepared';
import { inTransaction } from '../db/transaction';
import { meetingCommands, meetingEvents } from '../db/schema';
import { canonicalJson, canonicalText, canonicalValue } from './canonical-json';
import type { LiveEvent, LoggedEvent } from '../../shared/events';

/** What `alsoInTx` writers get inside appendEvent's transaction: the database itself (server/db/transaction.ts). */
export type Tx = Db;

/** prev_hash of the first event of every meeting */
export const GENESIS_HASH = '0'.repeat(64);

export function eventHash(prevHash: string, e: LiveEvent): string {
  const body = canonicalJson({ meetingId: e.meetingId, seq: e.seq, type: e.type, actor: e.actor, at: e.at, payload: e.payload });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/**
 * eventHash of an event whose payload is already canonical text (appendEvent serialises it once):
 * the same bytes as canonicalJson of the whole event, keys in sorted order, with that text spliced
 * in as the payload (canonical JSON of a parsed canonical text is that text again).
 */
function eventHashOfText(prevHash: string, e: LiveEvent, payloadText: string): string {
  if (
    typeof e.actor !== 'string' ||
    typeof e.at !== 'string' ||
    typeof e.meetingId !== 'string' ||
    typeof e.type !== 'string' ||
    !Number.isSafeInteger(e.seq)
  ) {
    return eventHash(prevHash, e);
  }
  const body =
    `{"actor":${JSON.stringify(e.actor)},"at":${JSON.stringify(e.at)},"meetingId":${JSON.stringify(e.meetingId)},` +
    `"payload":${payloadText},"seq":${e.seq},"type":${JSON.stringify(e.type)}}`;
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
  /**
   * The head of the log as the caller holds it in memory (MeetingRuntime), which saves reading it.
   * A stale head cannot fork the chain: (meeting_id, seq) is the primary key, so the insert fails
   * and nothing commits. Read from the log when absent.
   */
  head?: { seq: number; hash: string };
}

export interface Appended {
  event: LiveEvent;
  hash: string;
}

// Every statement of the command path, prepared once per database (server/db/prepared.ts).
const ph = sql.placeholder;
const statements = perDb((db) => ({
  head: db
    .select({ seq: meetingEvents.seq, hash: meetingEvents.hash })
    .from(meetingEvents)
    .where(eq(meetingEvents.meetingId, ph('meetingId')))
    .orderBy(desc(meetingEvents.seq))
    .limit(1)
    .prepare(),
  after: db
    .select()
    .from(meetingEvents)
    .where(and(eq(meetingEvents.meetingId, ph('meetingId')), gt(meetingEvents.seq, ph('afterSeq'))))
    .orderBy(asc(meetingEvents.seq))
    .prepare(),
  insertEvent: db
    .insert(meetingEvents)
    .values({
      meetingId: ph('meetingId'),
      seq: ph('seq'),
      type: ph('type'),
      actor: ph('actor'),
      payload: ph('payload'),
      at: ph('at'),
      prevHash: ph('prevHash'),
      hash: ph('hash'),
    })
    .prepare(),
  insertCommand: db
    .insert(meetingCommands)
    .values({ meetingId: ph('meetingId'), commandId: ph('commandId'), actor: ph('actor'), seq: ph('seq') })
    .prepare(),
  commandSeq: db
    .select({ seq: meetingCommands.seq })
    .from(meetingCommands)
    .where(
      and(
        eq(meetingCommands.meetingId, ph('meetingId')),
        eq(meetingCommands.actor, ph('actor')),
        eq(meetingCommands.commandId, ph('commandId')),
      ),
    )
    .prepare(),
}));

/**
 * Appends one event in one transaction: next seq, chained hash, the command id, and whatever the
 * command must change in other tables (`alsoInTx`). Either all of it is durable or none of it.
 */
export function appendEvent(db: Db, input: AppendInput, alsoInTx?: (tx: Tx, event: LiveEvent) => void): Appended {
  const q = statements(db);
  return inTransaction(db, () => {
    const head = input.head ?? q.head.get({ meetingId: input.meetingId });
    const prevHash = head?.hash ?? GENESIS_HASH;
    // the canonical form is a fresh tree equal to JSON.parse of its own text, so the in-memory
    // payload is exactly what was stored and hashed without a parse round trip
    const payload = canonicalValue(input.payload ?? {});
    const payloadText = canonicalText(payload) ?? '{}';
    const event: LiveEvent = {
      meetingId: input.meetingId,
      seq: (head?.seq ?? 0) + 1,
      type: input.type,
      actor: input.actor,
      at: input.at,
      payload,
    };
    const hash = eventHashOfText(prevHash, event, payloadText);
    q.insertEvent.run({
      meetingId: event.meetingId,
      seq: event.seq,
      type: event.type,
      actor: event.actor,
      payload: payloadText,
      at: event.at,
      prevHash,
      hash,
    });
    if (input.commandId !== undefined) {
      q.insertCommand.run({ meetingId: input.meetingId, commandId: input.commandId, actor: input.actor, seq: event.seq });
    }
    alsoInTx?.(db, event);
    return { event, hash };
  });
}

/** The seq a command id already produced for this sender, if any. */
export function seqForCommand(db: Db, meetingId: string, actor: string, commandId: string): number | undefined {
  return statements(db).commandSeq.get({ meetingId, actor, commandId })?.seq;
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
  meetingId: r.meetingId,
  seq: r.seq,
  type: r.type,
  actor: r.actor,
  at: r.at,
  payload: parsePayload(r.payload),
});

/** Events after `afterSeq`, in order. */
export function readEvents(db: Db, meetingId: string, afterSeq = 0): LiveEvent[] {
  return statements(db).after.all({ meetingId, afterSeq }).map(toLiveEvent);
}

/** Events after `afterSeq` with their hashes, in order: one read gives the events and the head they lead to. */
export function readAppended(db: Db, meetingId: string, afterSeq = 0): Appended[] {
  return statements(db)
    .after.all({ meetingId, afterSeq })
    .map((r) => ({ event: toLiveEvent(r), hash: r.hash }));
}

export function headOf(db: Db, meetingId: string): { seq: number; hash: string } {
  return statements(db).head.get({ meetingId }) ?? { seq: 0, hash: GENESIS_HASH };
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
  const rows = db
    .select()
    .from(meetingEvents)
    .where(eq(meetingEvents.meetingId, meetingId))
    .orderBy(asc(meetingEvents.seq))
    .all();
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
    events: rows.map((r) => ({
      seq: r.seq,
      type: r.type,
      actor: r.actor,
      at: r.at,
      payload: parsePayload(r.payload) ?? null,
      prevHash: r.prevHash,
      hash: r.hash,
    })),
    verified: brokenAtSeq === null,
    headHash: rows.at(-1)?.hash ?? GENESIS_HASH,
    brokenAtSeq,
  };
}
