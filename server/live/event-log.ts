// The meeting's append-only, hash-chained log (docs/design-notes.md, Event log).
// hash = sha256(prev_hash || canonical JSON of { meetingId, seq, type, actor, at, payload });
// the exact text is specified in docs/canonical-json.md.
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { perDb } from '../db/prepared';
import * as sqliteSchema from '../db/schema';
import { meetingCommands, meetingEvents } from '../db/schema';
import type { Query, Tables } from '../db/store';
import { canonicalJson, canonicalText, canonicalValue } from './canonical-json';
import type { LiveEvent, LoggedEvent } from '../../shared/events';

/**
 * The legacy synchronous handle (the SQLite writer connection) that unconverted `inTx` callbacks
 * still receive (minutes, invitations, opinions, elections) until the lead connects them to the
 * asynchronous form `(tx: Query, t: Tables, event)`.
 */
export type Tx = Db;

/** An asynchronous writer's callback inside the append's transaction. */
export type InTx = (tx: Query, t: Tables, event: LiveEvent) => Promise<void>;

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
  // in pieces: the payload (a stroke's points: most of the bytes) is hashed as it is, not first
  // copied into one concatenated string
  return createHash('sha256')
    .update(prevHash)
    .update(
      `{"actor":${JSON.stringify(e.actor)},"at":${JSON.stringify(e.at)},"meetingId":${JSON.stringify(e.meetingId)},"payload":`,
    )
    .update(payloadText)
    .update(`,"seq":${e.seq},"type":${JSON.stringify(e.type)}}`)
    .digest('hex');
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
  /** the payload as stored (canonical JSON): what the catch-up sends, without serialising it again */
  payloadText: string;
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
/**
 * The statements prepared once (above) when `q` is a SQLite handle: `t` is then schema.ts itself,
 * and the handle a better-sqlite3 Drizzle database whose statements run inside the open write
 * (SqliteStore.write's transaction is on that same connection). On PostgreSQL (`t` is the pg
 * mirror) null: the builder's queries run on the transaction's pooled connection. Keeps the
 * command path's per-statement cost as it was on SQLite (bench persistence).
 */
function preparedFor(q: Query, t: Tables): ReturnType<typeof statements> | null {
  return t === (sqliteSchema as Tables) ? statements(q as unknown as Db) : null;
}

/**
 * appendEvent on the Store, inside the caller's write transaction (`store.write`, or a savepoint
 * of it): next seq, chained hash, the command id, and whatever the command must change in other
 * tables (`alsoInTx`), all in that transaction. The caller holds the meeting's write lock, so the
 * head (given, or read here) is the log's.
 */
export async function appendEvent(q: Query, t: Tables, input: AppendInput, alsoInTx?: InTx): Promise<Appended> {
  const p = preparedFor(q, t);
  const head = input.head ?? (await headOf(q, t, input.meetingId));
  const prevHash = head.hash;
  const payload = canonicalValue(input.payload ?? {});
  const payloadText = canonicalText(payload) ?? '{}';
  const event: LiveEvent = {
    meetingId: input.meetingId,
    seq: head.seq + 1,
    type: input.type,
    actor: input.actor,
    at: input.at,
    payload,
  };
  const hash = eventHashOfText(prevHash, event, payloadText);
  const row = {
    meetingId: event.meetingId,
    seq: event.seq,
    type: event.type,
    actor: event.actor,
    payload: payloadText,
    at: event.at,
    prevHash,
    hash,
  };
  const command =
    input.commandId !== undefined
      ? { meetingId: input.meetingId, commandId: input.commandId, actor: input.actor, seq: event.seq }
      : null;
  if (p) {
    p.insertEvent.run(row);
    if (command) p.insertCommand.run(command);
  } else {
    await q.insert(t.meetingEvents).values(row);
    if (command) await q.insert(t.meetingCommands).values(command);
  }
  if (alsoInTx) await alsoInTx(q, t, event);
  return { event, hash, payloadText };
}

/** The seq a command id already produced for this sender, if any. */
export async function seqForCommand(
  q: Query,
  t: Tables,
  meetingId: string,
  actor: string,
  commandId: string,
): Promise<number | undefined> {
  const p = preparedFor(q, t);
  if (p) return p.commandSeq.get({ meetingId, actor, commandId })?.seq;
  const [row] = await q
    .select({ seq: t.meetingCommands.seq })
    .from(t.meetingCommands)
    .where(
      and(
        eq(t.meetingCommands.meetingId, meetingId),
        eq(t.meetingCommands.actor, actor),
        eq(t.meetingCommands.commandId, commandId),
      ),
    );
  return row?.seq;
}

async function rowsAfter(q: Query, t: Tables, meetingId: string, afterSeq: number): Promise<EventRow[]> {
  const p = preparedFor(q, t);
  if (p) return p.after.all({ meetingId, afterSeq });
  return q
    .select()
    .from(t.meetingEvents)
    .where(and(eq(t.meetingEvents.meetingId, meetingId), gt(t.meetingEvents.seq, afterSeq)))
    .orderBy(asc(t.meetingEvents.seq));
}

/** Events after `afterSeq`, in order. */
export async function readEvents(q: Query, t: Tables, meetingId: string, afterSeq = 0): Promise<LiveEvent[]> {
  return (await rowsAfter(q, t, meetingId, afterSeq)).map(toLiveEvent);
}

/** Events after `afterSeq` with their hashes, in order: one read gives the events and the head they lead to. */
export async function readAppended(q: Query, t: Tables, meetingId: string, afterSeq = 0): Promise<Appended[]> {
  return (await rowsAfter(q, t, meetingId, afterSeq)).map((r) => ({
    event: toLiveEvent(r),
    hash: r.hash,
    payloadText: r.payload,
  }));
}

export async function headOf(q: Query, t: Tables, meetingId: string): Promise<{ seq: number; hash: string }> {
  const p = preparedFor(q, t);
  if (p) return p.head.get({ meetingId }) ?? { seq: 0, hash: GENESIS_HASH };
  const [row] = await q
    .select({ seq: t.meetingEvents.seq, hash: t.meetingEvents.hash })
    .from(t.meetingEvents)
    .where(eq(t.meetingEvents.meetingId, meetingId))
    .orderBy(desc(t.meetingEvents.seq))
    .limit(1);
  return row ?? { seq: 0, hash: GENESIS_HASH };
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
export function readEventsSync(db: Db, meetingId: string, afterSeq = 0): LiveEvent[] {
  return statements(db).after.all({ meetingId, afterSeq }).map(toLiveEvent);
}

/** Events after `afterSeq` with their hashes, in order: one read gives the events and the head they lead to. */
export function readAppendedSync(db: Db, meetingId: string, afterSeq = 0): Appended[] {
  return statements(db)
    .after.all({ meetingId, afterSeq })
    .map((r) => ({ event: toLiveEvent(r), hash: r.hash, payloadText: r.payload }));
}

export interface ChainCheck {
  events: LoggedEvent[];
  verified: boolean;
  headHash: string;
  /** first seq whose row does not hold (edited, removed or reordered), when not verified */
  brokenAtSeq: number | null;
}

/** Reads the whole log and recomputes every link of the chain from the stored rows. */
export async function verifyChain(q: Query, t: Tables, meetingId: string): Promise<ChainCheck> {
  return chainOf(
    await q.select().from(t.meetingEvents).where(eq(t.meetingEvents.meetingId, meetingId)).orderBy(asc(t.meetingEvents.seq)),
  );
}

function chainOf(rows: EventRow[]): ChainCheck {
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
