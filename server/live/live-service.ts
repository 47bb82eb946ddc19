// The live meeting's rules, independent of Socket.IO: join (snapshot or catch-up), execute a
// command (validate → authorise → decide → append → apply), record a server-made event (the same
// transaction, idempotency and audience), check-in tokens, and the audited log.
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { can, meetingAccessSync, type MeetingAccess } from '../policies/meeting-policy';
import { isCommandType, type CommandEnvelope, type JoinRequest, type LiveEvent } from '../../shared/events';
import { quorumOf, type MeetingState } from '../../shared/meeting-state';
import type { QuorumInfo } from '../../shared/quorum';
import {
  appendEvent,
  headOf,
  readEvents,
  seqForCommand,
  verifyChain,
  type Appended,
  type AppendInput,
  type ChainCheck,
  type Tx,
} from './event-log';
import { inTransaction, inWriteTransaction } from '../db/transaction';
import { liveSessionSync } from '../services/auth';
import { COMMANDS, checkPayload, type AckExtras, type CommandDefinition } from './commands';
import type { LiveTokens } from './live-tokens';
import { MeetingRuntime } from './meeting-runtime';
import type { CommandNotifier } from './commands';
import { AnnotationRuntime, DEFAULT_ANNOTATION_LIMITS, type AnnotationLimits } from './annotation-runtime';
import { redactForViewer } from './annotation-service';
import { isStrokeEvent } from '../../shared/annotations';
import type { Principal } from './principal';
import { audienceOf, isVisibleTo, projectState, type Audience, type Viewer } from './visibility';

export interface JoinResult {
  meetingId: string;
  viewer: Viewer;
  seq: number;
  snapshot?: MeetingState;
  events?: LiveEvent[];
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
  inTx?: (tx: Tx, event: LiveEvent) => void;
}

export interface ServerEventResult {
  seq: number;
  /** absent when the key was a repeat */
  event?: LiveEvent;
}

/** One command of a group commit: its result (a repeat is a result too), or why it was refused. */
export type BatchOutcome = { ok: true; result: ExecuteResult } | { ok: false; error: unknown };

type Decided = { result: ExecuteResult; appended?: Appended; afterCommit?: () => void };
/** What a command's attempt learnt before it threw: its access, for the repeat lookup. */
interface Attempt {
  access: MeetingAccess | null;
}

/** Where committed events go out (the realtime plugin broadcasts them to their audience). */
export type Publish = (event: LiveEvent, audience: Audience) => void;

export class LiveService {
  readonly runtime: MeetingRuntime;
  readonly annotations: AnnotationRuntime;
  /** set by the notifications plugin (it starts after this service); commands' `notify` need it */
  private notifier: CommandNotifier | null = null;

  setNotifier(notifier: CommandNotifier): void {
    this.notifier = notifier;
  }

  constructor(
    private readonly db: Db,
    readonly tokens: LiveTokens,
    private readonly opts: {
      catchUpMaxEvents: number;
      publicUrl?: (path: string) => string;
      annotationLimits?: AnnotationLimits;
      publish?: Publish;
    },
  ) {
    // Annotation state has no seq of its own to skip duplicates by: when another process appended
    // strokes, it is dropped and rebuilt from the log on next use.
    this.runtime = new MeetingRuntime(db, (meetingId, missed) => {
      if (missed.some((a) => isStrokeEvent(a.event.type))) this.annotations.forget(meetingId);
    });
    this.annotations = new AnnotationRuntime(db, opts.annotationLimits ?? DEFAULT_ANNOTATION_LIMITS);
  }

  /** The principal's standing in a meeting; NOT_FOUND for non-members, exactly like a missing meeting. */
  access(principal: Principal, meetingId: string): { access: MeetingAccess | null; viewer: Viewer } {
    if (principal.kind === 'roomScreen') {
      if (principal.meetingId !== meetingId) throw new AppError('NOT_FOUND', 'Meeting not found');
      meetingAccessSync(this.db, { id: '', isAdmin: true }, meetingId); // the meeting must still exist
      return { access: null, viewer: { userId: null, role: null, isAdmin: false, roomScreen: true } };
    }
    const access = meetingAccessSync(this.db, principal.user, meetingId);
    return { access, viewer: { userId: access.userId, role: access.role, isAdmin: access.isAdmin, roomScreen: false } };
  }

  join(principal: Principal, req: JoinRequest): JoinResult {
    const { viewer } = this.access(principal, req.meetingId);
    // another process may have appended since this one last looked: join on the log's head
    this.runtime.catchUp(req.meetingId);
    const state = this.runtime.state(req.meetingId);
    const head = state.lastSeq;
    const since = req.sinceSeq;
    if (since !== undefined && since <= head && head - since <= this.opts.catchUpMaxEvents) {
      const events =
        since === head ? [] : readEvents(this.db, req.meetingId, since).filter((e) => isVisibleTo(audienceOf(e), viewer));
      return { meetingId: req.meetingId, viewer, seq: head, events };
    }
    const fresh = this.runtime.refreshMembers(req.meetingId);
    return { meetingId: req.meetingId, viewer, seq: head, snapshot: projectState(fresh, viewer) };
  }

  execute(principal: Principal, cmd: CommandEnvelope, now = new Date()): ExecuteResult {
    if (principal.kind === 'roomScreen') throw new AppError('FORBIDDEN', 'The room screen is read-only');
    const attempt: Attempt = { access: null };
    let decided: Decided;
    try {
      // One transaction from the access check to the append: the rules are checked against what the
      // write commits on, and a command costs one transaction (each one takes and drops file locks).
      decided = inWriteTransaction(this.db, () => this.decideInTx(principal, cmd, now, attempt));
    } catch (err) {
      return this.answerRefused(err, cmd, attempt, now);
    }
    // memory moves only once the event is durable (and outside the catch above: a failure here is
    // not a refused command, and must not be answered as a repeat of the one just committed)
    if (decided.appended) {
      this.applyCommitted(decided.appended);
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
  executeMany(items: readonly { principal: Principal; cmd: CommandEnvelope }[], now = new Date()): BatchOutcome[] {
    const outcomes: BatchOutcome[] = [];
    const touched = new Set<string>();
    const after: (() => void)[] = [];
    try {
      inWriteTransaction(this.db, () => {
        for (const { principal, cmd } of items) {
          if (principal.kind === 'roomScreen') {
            outcomes.push({ ok: false, error: new AppError('FORBIDDEN', 'The room screen is read-only') });
            continue;
          }
          const attempt: Attempt = { access: null };
          let decided: Decided;
          try {
            decided = inTransaction(this.db, () => this.decideInTx(principal, cmd, now, attempt)); // a savepoint
          } catch (err) {
            try {
              outcomes.push({ ok: true, result: this.answerRefused(err, cmd, attempt, now) });
            } catch (refused) {
              outcomes.push({ ok: false, error: refused });
            }
            continue;
          }
          if (decided.appended) {
            touched.add(cmd.meetingId);
            this.applyCommitted(decided.appended);
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
    for (const f of after) f();
    return outcomes;
  }

  /** Inside a write transaction (or a savepoint of one): the session, the access, then the decision. */
  private decideInTx(
    principal: Exclude<Principal, { kind: 'roomScreen' }>,
    cmd: CommandEnvelope,
    now: Date,
    attempt: Attempt,
  ): Decided {
    // the socket's session must still stand, checked where the command commits (a logout or a
    // password change in any process is seen here, not only the ones this process was told of)
    let actor = principal;
    if (principal.sessionId !== undefined) {
      const session = liveSessionSync(this.db, principal.sessionId);
      if (!session) throw new AppError('UNAUTHENTICATED', 'Your session has ended; please log in again');
      // administrator rights as they are now, not as they were when the socket connected
      if (session.isAdmin !== principal.user.isAdmin)
        actor = { ...principal, user: { ...principal.user, isAdmin: session.isAdmin } };
    }
    const access = this.access(actor, cmd.meetingId).access;
    attempt.access = access;
    if (!access) throw new AppError('FORBIDDEN', 'Read-only');
    // holding the write lock: what other processes committed is final, fold it in before deciding
    // (committed already: memory may move even if this transaction rolls back)
    this.runtime.catchUp(cmd.meetingId);
    return this.executeNew(access, cmd, now);
  }

  /**
   * A command that threw: a retried command id (its ack was lost) is answered with its first result;
   * anything else is rethrown. A repeat always fails — on its own checks, or at the latest on the
   * command key when it is appended (meeting_commands is unique per meeting, sender and id) — so the
   * lookup is paid only by refused commands and repeats, not by every stroke.
   */
  private answerRefused(err: unknown, cmd: CommandEnvelope, attempt: Attempt, now: Date): ExecuteResult {
    const a = attempt.access;
    if (!a) throw err;
    const repeat = seqForCommand(this.db, cmd.meetingId, a.userId, cmd.id);
    if (repeat !== undefined) return { seq: repeat, ...this.repeatAck(cmd, a, repeat, now) };
    throw err;
  }

  /** Inside execute's transaction: validate, authorise, decide, append. Memory is not touched. */
  private executeNew(access: MeetingAccess, cmd: CommandEnvelope, now: Date): Decided {
    if (!isCommandType(cmd.type)) throw new AppError('INVALID', `Unknown command type ${cmd.type}`);
    const payload = cmd.payload ?? {};
    if (!checkPayload(cmd.type, payload)) throw new AppError('INVALID', `Invalid payload for ${cmd.type}`);
    // One generic path for every command type; the registry entry is typed per type.
    const def = COMMANDS[cmd.type] as CommandDefinition<typeof cmd.type>;
    const state = this.runtime.state(cmd.meetingId);
    if (!def.authorize(access, state)) throw new AppError('FORBIDDEN', `Your role may not ${cmd.type} in this meeting`);
    const ctx = {
      db: this.db,
      tokens: this.tokens,
      meetingId: cmd.meetingId,
      state,
      access,
      payload,
      now,
      annotations: this.annotations,
    };
    const earlier = def.existing?.(ctx);
    if (earlier) return { result: { seq: earlier.seq, ...(earlier.ack ? { ack: earlier.ack } : {}) } };
    const eventPayload = def.decide(ctx);
    const at = now.toISOString();
    const notifier = this.notifier;
    const notices = notifier && def.notify ? def.notify(ctx, eventPayload) : [];
    const staged: unknown[] = [];
    const appended = this.appendAtHead(
      { meetingId: cmd.meetingId, type: cmd.type, actor: access.userId, payload: eventPayload, at, commandId: cmd.id },
      def.alsoInTx || def.privateInTx || notices.length > 0
        ? (tx, ev) => {
            def.alsoInTx?.(tx, cmd.meetingId, eventPayload, at, ev);
            def.privateInTx?.(tx, ctx, ev);
            for (const n of notices) staged.push(notifier!.stage(tx, n));
          }
        : undefined,
    );
    const ack = def.ackExtras?.(ctx, eventPayload);
    const event = appended.event;
    const after = def.afterCommit;
    return {
      result: { seq: event.seq, event, audience: audienceOf(event), ...(ack ? { ack } : {}) },
      appended,
      ...(after || staged.length > 0
        ? {
            afterCommit: () => {
              after?.(this.db, eventPayload);
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
  private appendAtHead(input: Omit<AppendInput, 'head'>, inTx?: (tx: Tx, event: LiveEvent) => void): Appended {
    const head = this.runtime.head(input.meetingId);
    try {
      return appendEvent(this.db, { ...input, head }, inTx);
    } catch (err) {
      // nothing appended; if the log moved under the head we held (another writer), rebuild from it
      if (headOf(this.db, input.meetingId).seq !== head.seq) {
        this.runtime.forget(input.meetingId);
        this.annotations.forget(input.meetingId);
      }
      throw err;
    }
  }

  /** Memory moves only once the event is durable. */
  private applyCommitted(appended: Appended): void {
    this.runtime.apply(appended.event, appended.hash);
    this.annotations.apply(appended.event);
  }

  /**
   * The one write path for events the server makes itself, beside execute for the users' commands:
   * the same write transaction (the key check, the append and `inTx` commit together or not at all),
   * the same idempotency table, memory moved after the commit, and the event published to its
   * audience only. The caller has already decided the event is allowed (its service holds the rules).
   */
  recordServerEvent(input: ServerEventInput, now = new Date()): ServerEventResult {
    const commandId = `server/${input.key}`;
    const decided = inWriteTransaction(this.db, (): { seq: number; appended?: Appended } => {
      const earlier = seqForCommand(this.db, input.meetingId, input.actor, commandId);
      if (earlier !== undefined) return { seq: earlier };
      const appended = this.appendAtHead(
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
    if (!decided.appended) return { seq: decided.seq };
    this.applyCommitted(decided.appended);
    const event = decided.appended.event;
    this.opts.publish?.(event, audienceOf(event));
    return { seq: event.seq, event };
  }

  /** A retried command id: the first seq, and what its first ack carried (a secret ballot's receipt). */
  private repeatAck(cmd: CommandEnvelope, access: MeetingAccess, seq: number, now: Date): { ack?: AckExtras } {
    if (!isCommandType(cmd.type)) return {};
    const def = COMMANDS[cmd.type] as CommandDefinition<typeof cmd.type>;
    if (!def.repeatAck) return {};
    const state = this.runtime.state(cmd.meetingId);
    const ack = def.repeatAck(
      { db: this.db, tokens: this.tokens, meetingId: cmd.meetingId, state, access, now, annotations: this.annotations },
      seq,
    );
    return ack ? { ack } : {};
  }

  quorum(meetingId: string): QuorumInfo {
    return quorumOf(this.runtime.state(meetingId));
  }

  /** For the room screen's QR, and officers who show it on their own device. */
  checkInToken(principal: Principal, meetingId: string, now = Date.now()): { token: string; expiresAt: string } {
    const { access } = this.access(principal, meetingId);
    if (access && !can(access, 'issueRoomToken'))
      throw new AppError('FORBIDDEN', 'Only the room screen and officers show the check-in code');
    return this.tokens.checkInToken(meetingId, now);
  }

  roomToken(access: MeetingAccess): { token: string; expiresAt: string } {
    if (!can(access, 'issueRoomToken'))
      throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator opens the room screen');
    return this.tokens.roomToken(access.meetingId);
  }

  eventLog(access: MeetingAccess): ChainCheck {
    if (!can(access, 'readEventLog'))
      throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator reads the log');
    // verified over the real rows; marks on others' private layers leave only their outline
    return redactForViewer(verifyChain(this.db, access.meetingId), access);
  }
}
