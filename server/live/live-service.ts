// The live meeting's rules, independent of Socket.IO: join (snapshot or catch-up), execute a
// command (validate → authorise → decide → append → apply), record a server-made event (the same
// transaction, idempotency and audience), check-in tokens, and the audited log.
// On the asynchronous Store (server/db/store.ts): a command's write is `store.write(meetingId, …)`
// (on PostgreSQL an advisory lock on the meeting orders it with the other processes' commands);
// its rules read on that transaction. A group commit locks every meeting of the batch, in one
// sorted order (no two writers can wait on each other).
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { SqliteStore, type Query, type Store, type Tables } from '../db/store';
import { AppError } from '../errors';
import { can, type MeetingAccess } from '../policies/meeting-policy';
import { accessFor } from './hot-reads';
import { isCommandType, type CommandEnvelope, type JoinRequest, type LiveEvent } from '../../shared/events';
import { quorumOf, type MeetingState } from '../../shared/meeting-state';
import type { QuorumInfo } from '../../shared/quorum';
import {
  appendEvent,
  readAppended,
  seqForCommand,
  verifyChain,
  type Appended,
  type AppendInput,
  type ChainCheck,
  type InTx,
} from './event-log';
import { liveSession } from '../services/auth';
import { COMMANDS, checkPayload, type AckExtras, type CommandDefinition } from './commands';
import type { LiveTokens } from './live-tokens';
import { MeetingRuntime } from './meeting-runtime';
import type { CommandNotifier } from './commands';
import { AnnotationRuntime, DEFAULT_ANNOTATION_LIMITS, type AnnotationLimits } from './annotation-runtime';
import { redactForViewer } from './annotation-service';
import { isStrokeEvent } from '../../shared/annotations';
import type { Principal } from './principal';
import { audienceOf, isVisibleTo, projectState, type Audience, type Viewer } from './visibility';
import { RecentEvents, recentEvent, type RecentEvent } from './recent-events';

export interface JoinResult {
  meetingId: string;
  viewer: Viewer;
  seq: number;
  snapshot?: MeetingState;
  /** a catch-up: the events after sinceSeq the viewer may see, each as its JSON text, in seq order */
  eventsJson?: string[];
}

export interface ExecuteResult {
  seq: number;
  /** absent when the command id was a repeat: nothing new to broadcast */
  event?: LiveEvent;
  audience?: Audience;
  /** extra fields for the sender's ack only (a secret ballot's receipt) */
  ack?: AckExtras;
}

/** An event the server records itself (minutes finalised or signed; later invitations, written opinions). */
export interface ServerEventInput {
  meetingId: string;
  type: string;
  /** the user on whose action the server records it (the secretary who finalised) */
  actor: string;
  payload: unknown;
  /**
   * Idempotency key, unique per meeting and actor (e.g. `minutes.sign:v2:chair`): a repeat records
   * nothing and answers with the first seq. Stored as `server/<key>` in meeting_commands, a form
   * no client command id can take (their ids have no '/').
   */
  key: string;
  /** other tables' changes, in the same write transaction; throwing rolls the event back too */
  inTx?: InTx;
}

export interface ServerEventResult {
  seq: number;
  /** absent when the key was a repeat */
  event?: LiveEvent;
}

/** One command of a group commit: its result (a repeat is a result too), or why it was refused. */
export type BatchOutcome = { ok: true; result: ExecuteResult } | { ok: false; error: unknown };

type Decided = { result: ExecuteResult; appended?: Appended; afterCommit?: () => void };

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/**
 * Event types whose writes touch only the log, the command ids, the marks and the attendance: none
 * of them changes a session, a membership, a meeting or a document, so the reads a group commit
 * memoises (BatchReads) still hold after one of them commits in the batch. Any other type clears them.
 */
const READS_NEUTRAL = new Set([
  'stroke.add',
  'stroke.erase',
  'stroke.undo',
  'stroke.redo',
  'page.set',
  'document.show',
  'attendance.mark',
  'attendance.checkIn',
]);

/**
 * The reads of one group commit that every command repeats (the session, the member's standing,
 * the document a stroke names, the meeting's catch-up), made once per batch: the batch holds the
 * write lock of all its meetings (SQLite: the one writer; PostgreSQL: their advisory locks), so no
 * other process appends to them meanwhile, and its own commands change none of those rows unless
 * their type is outside READS_NEUTRAL, which clears the memo. Only answers are kept, never
 * refusals: a refused read is made again by the next command that needs it.
 */
export class BatchReads {
  private readonly values = new Map<string, unknown>();
  /** meetings whose log this batch has folded into memory (under their lock) */
  readonly caughtUp = new Set<string>();

  async once<T>(key: string, read: () => Promise<T>): Promise<T> {
    if (this.values.has(key)) return this.values.get(key) as T;
    const v = await read();
    this.values.set(key, v);
    return v;
  }

  /** after a committed command that may have changed what was read */
  afterCommitted(type: string): void {
    if (!READS_NEUTRAL.has(type)) this.values.clear();
  }
}

/** What a command's attempt learnt before it threw: its access, for the repeat lookup. */
interface Attempt {
  access: MeetingAccess | null;
}

/** Where committed events go out (the realtime plugin broadcasts them to their audience). */
export type Publish = (event: LiveEvent, audience: Audience) => void;

export class LiveService {
  readonly runtime: MeetingRuntime;
  readonly annotations: AnnotationRuntime;
  /** each meeting's latest committed events, serialised: a recent catch-up reads nothing */
  readonly recent: RecentEvents;
  /** the SQLite writer connection (null on PostgreSQL): the legacy synchronous paths use it */
  private readonly writer: Db | null;
  /** set by the notifications plugin (it starts after this service); commands' `notify` need it */
  private notifier: CommandNotifier | null = null;

  setNotifier(notifier: CommandNotifier): void {
    this.notifier = notifier;
  }

  constructor(
    readonly store: Store,
    readonly tokens: LiveTokens,
    private readonly opts: {
      catchUpMaxEvents: number;
      /** bytes of recent events kept in memory over all meetings (0: none; every catch-up reads the log) */
      recentEventsBytes?: number;
      publicUrl?: (path: string) => string;
      annotationLimits?: AnnotationLimits;
      publish?: Publish;
    },
  ) {
    this.writer = store instanceof SqliteStore ? store.db : null;
    this.recent = new RecentEvents({ maxEvents: opts.catchUpMaxEvents, maxBytes: opts.recentEventsBytes ?? 32 * 1024 * 1024 });
    // Annotation state has no seq of its own to skip duplicates by: when another process appended
    // strokes (or the meeting's entry was dropped on a gap: `missed` empty), it is dropped and
    // rebuilt from the log on next use.
    // What another process appended is committed: the recent events take it too (in seq order,
    // after what this process held, so their run stays whole).
    this.runtime = new MeetingRuntime(store, this.writer, (meetingId, missed) => {
      if (missed.length === 0 || missed.some((a) => isStrokeEvent(a.event.type))) this.annotations.forget(meetingId);
      this.recent.addRun(
        meetingId,
        missed.map((a) => recentEvent(a.event, a.payloadText)),
      );
    });
    this.annotations = new AnnotationRuntime(this.writer, opts.annotationLimits ?? DEFAULT_ANNOTATION_LIMITS);
  }

  /** The principal's standing in a meeting; NOT_FOUND for non-members, exactly like a missing meeting. */
  async access(
    q: Query,
    t: Tables,
    principal: Principal,
    meetingId: string,
  ): Promise<{ access: MeetingAccess | null; viewer: Viewer }> {
    if (principal.kind === 'roomScreen') {
      if (principal.meetingId !== meetingId) throw new AppError('NOT_FOUND', 'Meeting not found');
      await accessFor(q, t, { id: '', isAdmin: true }, meetingId); // the meeting must still exist
      return { access: null, viewer: { userId: null, role: null, isAdmin: false, roomScreen: true } };
    }
    const access = await accessFor(q, t, principal.user, meetingId);
    return { access, viewer: { userId: access.userId, role: access.role, isAdmin: access.isAdmin, roomScreen: false } };
  }

  /**
   * The snapshot or the catch-up for a socket joining. The caller joins the socket's rooms right
   * after this resolves, in the same microtask: events committed while the reads were awaited are
   * at most re-sent (the client skips seqs it holds), never lost, because their broadcast comes
   * after their apply, which comes after the head read here only if they are in it.
   */
  async join(principal: Principal, req: JoinRequest): Promise<JoinResult> {
    return this.store.read(async (q, t) => {
      const { viewer } = await this.access(q, t, principal, req.meetingId);
      // another process may have appended since this one last looked: join on the log's head
      await this.runtime.catchUp(q, t, req.meetingId);
      const head = this.runtime.state(req.meetingId).lastSeq;
      const since = req.sinceSeq;
      if (since !== undefined && since <= head && head - since <= this.opts.catchUpMaxEvents) {
        const events = this.recent.range(req.meetingId, since, head) ?? (await this.readTail(q, t, req.meetingId, since, head));
        const eventsJson: string[] = [];
        for (const e of events) if (isVisibleTo(e.audience, viewer)) eventsJson.push(e.json);
        return { meetingId: req.meetingId, viewer, seq: head, eventsJson };
      }
      const fresh = await this.runtime.refreshMembers(q, t, req.meetingId);
      return { meetingId: req.meetingId, viewer, seq: fresh.lastSeq, snapshot: projectState(fresh, viewer) };
    });
  }

  /**
   * The log after `since` up to `head`, read (what memory did not hold: a restart, another
   * process's older events); kept as recent events, so the next catch-up of this stretch reads nothing.
   */
  private async readTail(q: Query, t: Tables, meetingId: string, since: number, head: number): Promise<RecentEvent[]> {
    const read = (await readAppended(q, t, meetingId, since)).map((a) => recentEvent(a.event, a.payloadText));
    this.recent.addRun(meetingId, read);
    return read.filter((e) => e.seq <= head);
  }

  async execute(principal: Principal, cmd: CommandEnvelope, now = new Date()): Promise<ExecuteResult> {
    if (principal.kind === 'roomScreen') throw new AppError('FORBIDDEN', 'The room screen is read-only');
    const attempt: Attempt = { access: null };
    let decided: Decided;
    try {
      // One transaction from the access check to the append: the rules are checked against what the
      // write commits on, and a command costs one transaction (each one takes and drops file locks).
      decided = await this.store.write(cmd.meetingId, (tx, t) => this.decideInTx(tx, t, principal, cmd, now, attempt));
    } catch (err) {
      return this.store.read((q, t) => this.answerRefused(q, t, err, cmd, attempt, now));
    }
    // memory moves only once the event is durable (and outside the catch above: a failure here is
    // not a refused command, and must not be answered as a repeat of the one just committed)
    if (decided.appended) {
      this.applyCommitted(decided.appended);
      this.keepRecent(decided.appended);
      decided.afterCommit?.();
    }
    return decided.result;
  }

  /**
   * Group commit: several commands (those that arrived in one event-loop turn, from any sockets and
   * meetings) in ONE write transaction, each under its own savepoint, so that a refused command
   * fails alone and the others commit. Results come back in order, only after the commit; the
   * caller acknowledges and broadcasts them then. Memory moves as each savepoint is released (the
   * next command of the batch decides on it); if the commit itself fails, every meeting the batch
   * touched is rebuilt from the database and every command fails.
   */
  async executeMany(items: readonly { principal: Principal; cmd: CommandEnvelope }[], now = new Date()): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = [];
    const touched = new Set<string>();
    const after: (() => void)[] = [];
    // kept as recent events only once the whole batch has committed (a join in between reads the log)
    const committed: Appended[] = [];
    // every meeting of the batch is locked, in sorted order (the first by the write itself)
    const meetingIds = [...new Set(items.map((i) => i.cmd.meetingId))].sort(byId);
    try {
      const reads = new BatchReads();
      await this.store.write(meetingIds[0] ?? null, async (tx, t) => {
        if (this.store.dialect === 'pg')
          for (const id of meetingIds.slice(1)) await this.store.execute(tx, sql`SELECT pg_advisory_xact_lock(hashtext(${id}))`);
        for (const { principal, cmd } of items) {
          if (principal.kind === 'roomScreen') {
            outcomes.push({ ok: false, error: new AppError('FORBIDDEN', 'The room screen is read-only') });
            continue;
          }
          const attempt: Attempt = { access: null };
          let decided: Decided;
          try {
            decided = await this.store.batchSavepoint(tx, () => this.decideInTx(tx, t, principal, cmd, now, attempt, reads));
          } catch (err) {
            // a failed append marks the head suspect: the next command of the meeting reads the log
            reads.caughtUp.delete(cmd.meetingId);
            try {
              outcomes.push({ ok: true, result: await this.answerRefused(tx, t, err, cmd, attempt, now) });
            } catch (refused) {
              outcomes.push({ ok: false, error: refused });
            }
            continue;
          }
          if (decided.appended) {
            touched.add(cmd.meetingId);
            reads.afterCommitted(decided.appended.event.type);
            this.applyCommitted(decided.appended);
            committed.push(decided.appended);
            if (decided.afterCommit) after.push(decided.afterCommit);
          }
          outcomes.push({ ok: true, result: decided.result });
        }
      });
    } catch (err) {
      for (const meetingId of touched) {
        this.runtime.forget(meetingId);
        this.annotations.forget(meetingId);
      }
      return items.map(() => ({ ok: false as const, error: err }));
    }
    for (const a of committed) this.keepRecent(a);
    for (const f of after) f();
    return outcomes;
  }

  /** Inside a write transaction (or a savepoint of one): the session, the access, then the decision. */
  private async decideInTx(
    tx: Query,
    t: Tables,
    principal: Exclude<Principal, { kind: 'roomScreen' }>,
    cmd: CommandEnvelope,
    now: Date,
    attempt: Attempt,
    reads?: BatchReads,
  ): Promise<Decided> {
    // the socket's session must still stand, checked where the command commits (a logout or a
    // password change in any process is seen here, not only the ones this process was told of;
    // in a group commit once per batch: a logout committed meanwhile counts as after the batch)
    let actor = principal;
    if (principal.sessionId !== undefined) {
      const sessionId = principal.sessionId;
      const session = reads
        ? await reads.once(`session:${sessionId}`, () => liveSession(tx, t, sessionId))
        : await liveSession(tx, t, sessionId);
      if (!session) throw new AppError('UNAUTHENTICATED', 'Your session has ended; please log in again');
      // administrator rights as they are now, not as they were when the socket connected
      if (session.isAdmin !== principal.user.isAdmin)
        actor = { ...principal, user: { ...principal.user, isAdmin: session.isAdmin } };
    }
    const who = actor;
    const access = reads
      ? await reads.once(`access:${who.user.id}:${who.user.isAdmin}:${cmd.meetingId}`, () =>
          accessFor(tx, t, who.user, cmd.meetingId),
        )
      : (await this.access(tx, t, who, cmd.meetingId)).access;
    attempt.access = access;
    if (!access) throw new AppError('FORBIDDEN', 'Read-only');
    // holding the write lock: what other processes committed is final, fold it in before deciding
    // (committed already: memory may move even if this transaction rolls back). Once per meeting
    // and batch: the batch holds the meeting's lock, nobody else appends until it commits.
    if (!reads?.caughtUp.has(cmd.meetingId)) {
      await this.runtime.catchUp(tx, t, cmd.meetingId);
      reads?.caughtUp.add(cmd.meetingId);
    }
    return this.executeNew(tx, t, access, cmd, now, reads);
  }

  /**
   * A command that threw: a retried command id (its ack was lost) is answered with its first result;
   * anything else is rethrown. A repeat always fails — on its own checks, or at the latest on the
   * command key when it is appended (meeting_commands is unique per meeting, sender and id) — so the
   * lookup is paid only by refused commands and repeats, not by every stroke.
   */
  private async answerRefused(
    q: Query,
    t: Tables,
    err: unknown,
    cmd: CommandEnvelope,
    attempt: Attempt,
    now: Date,
  ): Promise<ExecuteResult> {
    const a = attempt.access;
    if (!a) throw err;
    const repeat = await seqForCommand(q, t, cmd.meetingId, a.userId, cmd.id);
    if (repeat !== undefined) return { seq: repeat, ...(await this.repeatAck(q, t, cmd, a, repeat, now)) };
    throw err;
  }

  /** Inside execute's transaction: validate, authorise, decide, append. Memory is not touched. */
  private async executeNew(
    tx: Query,
    t: Tables,
    access: MeetingAccess,
    cmd: CommandEnvelope,
    now: Date,
    reads?: BatchReads,
  ): Promise<Decided> {
    if (!isCommandType(cmd.type)) throw new AppError('INVALID', `Unknown command type ${cmd.type}`);
    const payload = cmd.payload ?? {};
    if (!checkPayload(cmd.type, payload)) throw new AppError('INVALID', `Invalid payload for ${cmd.type}`);
    // One generic path for every command type; the registry entry is typed per type.
    const def = COMMANDS[cmd.type] as CommandDefinition<typeof cmd.type>;
    const state = this.runtime.state(cmd.meetingId);
    if (!def.authorize(access, state)) throw new AppError('FORBIDDEN', `Your role may not ${cmd.type} in this meeting`);
    // the marks' rules (erase, undo, quotas) decide on the meeting's annotation state
    if (isStrokeEvent(cmd.type)) await this.annotations.load(tx, t, cmd.meetingId);
    const ctx = {
      q: tx,
      t,
      tokens: this.tokens,
      meetingId: cmd.meetingId,
      state,
      access,
      payload,
      now,
      annotations: this.annotations,
      ...(reads ? { reads } : {}),
    };
    const earlier = def.existing ? await def.existing(ctx) : undefined;
    if (earlier) return { result: { seq: earlier.seq, ...(earlier.ack ? { ack: earlier.ack } : {}) } };
    const eventPayload = await def.decide(ctx);
    const at = now.toISOString();
    const notifier = this.notifier;
    const notices = notifier && def.notify ? await def.notify(ctx, eventPayload) : [];
    const staged: unknown[] = [];
    const appended = await this.appendAtHead(
      tx,
      t,
      { meetingId: cmd.meetingId, type: cmd.type, actor: access.userId, payload: eventPayload, at, commandId: cmd.id },
      def.alsoInTx || def.privateInTx || notices.length > 0
        ? async (q, tt, ev) => {
            if (def.alsoInTx) await def.alsoInTx(q, tt, cmd.meetingId, eventPayload, at, ev);
            if (def.privateInTx) await def.privateInTx(q, tt, ctx, ev);
            for (const n of notices) staged.push(await notifier!.stage(q, tt, n));
          }
        : undefined,
    );
    const ack = def.ackExtras ? await def.ackExtras(ctx, eventPayload) : undefined;
    const event = appended.event;
    const after = def.afterCommit;
    return {
      result: { seq: event.seq, event, audience: audienceOf(event), ...(ack ? { ack } : {}) },
      appended,
      ...(after || staged.length > 0
        ? {
            afterCommit: () => {
              after?.(this.store, eventPayload);
              for (const st of staged) notifier!.publish(st);
            },
          }
        : {}),
    };
  }

  /**
   * Inside a write transaction: appends after the head held in memory (only this path and
   * runtime.apply move it, and only after a commit). Memory is not touched.
   */
  private async appendAtHead(tx: Query, t: Tables, input: Omit<AppendInput, 'head'>, inTx?: InTx): Promise<Appended> {
    const head = this.runtime.head(input.meetingId);
    try {
      return await appendEvent(tx, t, { ...input, head }, inTx);
    } catch (err) {
      // nothing appended (the transaction or its savepoint rolls back). If the head we held was
      // stale (another writer), the next catch-up must read the log rather than trust data_version:
      // it folds in what is missing (and drops the marks if strokes were among it). The log cannot
      // be read here: the failed statements are still in this transaction (on PostgreSQL aborted).
      this.runtime.suspect(input.meetingId);
      throw err;
    }
  }

  /** Memory moves only once the event is durable. */
  private applyCommitted(appended: Appended): void {
    this.runtime.apply(appended.event, appended.hash);
    this.annotations.apply(appended.event);
  }

  /** Only after the commit (a group commit's savepoints move the runtime before it). */
  private keepRecent(appended: Appended): void {
    this.recent.add(appended.event.meetingId, recentEvent(appended.event, appended.payloadText));
  }

  /**
   * The one write path for events the server makes itself, beside execute for the users' commands:
   * the same write transaction (the key check, the append and `inTx` commit together or not at all),
   * the same idempotency table, memory moved after the commit, and the event published to its
   * audience only. The caller has already decided the event is allowed (its service holds the rules).
   */
  async recordServerEvent(input: ServerEventInput, now = new Date()): Promise<ServerEventResult> {
    const commandId = `server/${input.key}`;
    const decided = await this.store.write(input.meetingId, async (tx, t): Promise<{ seq: number; appended?: Appended }> => {
      const earlier = await seqForCommand(tx, t, input.meetingId, input.actor, commandId);
      if (earlier !== undefined) return { seq: earlier };
      await this.runtime.catchUp(tx, t, input.meetingId);
      const appended = await this.appendAtHead(
        tx,
        t,
        {
          meetingId: input.meetingId,
          type: input.type,
          actor: input.actor,
          payload: input.payload,
          at: now.toISOString(),
          commandId,
        },
        input.inTx,
      );
      return { seq: appended.event.seq, appended };
    });
    return this.afterServerEvent(decided);
  }

  private afterServerEvent(decided: { seq: number; appended?: Appended }): ServerEventResult {
    if (!decided.appended) return { seq: decided.seq };
    this.applyCommitted(decided.appended);
    this.keepRecent(decided.appended);
    const event = decided.appended.event;
    this.opts.publish?.(event, audienceOf(event));
    return { seq: event.seq, event };
  }

  /** A retried command id: the first seq, and what its first ack carried (a secret ballot's receipt). */
  private async repeatAck(
    q: Query,
    t: Tables,
    cmd: CommandEnvelope,
    access: MeetingAccess,
    seq: number,
    now: Date,
  ): Promise<{ ack?: AckExtras }> {
    if (!isCommandType(cmd.type)) return {};
    const def = COMMANDS[cmd.type] as CommandDefinition<typeof cmd.type>;
    if (!def.repeatAck) return {};
    await this.runtime.load(q, t, cmd.meetingId);
    const state = this.runtime.state(cmd.meetingId);
    const ack = await def.repeatAck(
      { q, t, tokens: this.tokens, meetingId: cmd.meetingId, state, access, now, annotations: this.annotations },
      seq,
    );
    return ack ? { ack } : {};
  }

  quorum(meetingId: string): QuorumInfo {
    return quorumOf(this.runtime.state(meetingId));
  }

  /** For the room screen's QR, and officers who show it on their own device. */
  async checkInToken(principal: Principal, meetingId: string, now = Date.now()): Promise<{ token: string; expiresAt: string }> {
    const { access } = await this.store.read((q, t) => this.access(q, t, principal, meetingId));
    if (access && !can(access, 'issueRoomToken'))
      throw new AppError('FORBIDDEN', 'Only the room screen and officers show the check-in code');
    return this.tokens.checkInToken(meetingId, now);
  }

  roomToken(access: MeetingAccess): { token: string; expiresAt: string } {
    if (!can(access, 'issueRoomToken'))
      throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator opens the room screen');
    return this.tokens.roomToken(access.meetingId);
  }

  async eventLog(access: MeetingAccess): Promise<ChainCheck> {
    if (!can(access, 'readEventLog'))
      throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator reads the log');
    // verified over the real rows; marks on others' private layers leave only their outline
    return redactForViewer(await this.store.read((q, t) => verifyChain(q, t, access.meetingId)), access);
  }
}
