// The live meeting's rules, independent of Socket.IO: join (snapshot or catch-up), execute a
// command (validate → authorise → decide → append → apply), check-in tokens, and the audited log.
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { can, meetingAccess, type MeetingAccess } from '../policies/meeting-policy';
import { isCommandType, type CommandEnvelope, type JoinRequest, type LiveEvent } from '../../shared/events';
import { quorumOf, type MeetingState } from '../../shared/meeting-state';
import type { QuorumInfo } from '../../shared/quorum';
import { appendEvent, readEvents, seqForCommand, verifyChain, type ChainCheck } from './event-log';
import { COMMANDS, checkPayload, type CommandDefinition } from './commands';
import type { LiveTokens } from './live-tokens';
import { MeetingRuntime } from './meeting-runtime';
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
}

export class LiveService {
  readonly runtime: MeetingRuntime;

  constructor(
    private readonly db: Db,
    readonly tokens: LiveTokens,
    private readonly opts: { catchUpMaxEvents: number; publicUrl?: (path: string) => string },
  ) {
    this.runtime = new MeetingRuntime(db);
  }

  /** The principal's standing in a meeting; NOT_FOUND for non-members, exactly like a missing meeting. */
  access(principal: Principal, meetingId: string): { access: MeetingAccess | null; viewer: Viewer } {
    if (principal.kind === 'roomScreen') {
      if (principal.meetingId !== meetingId) throw new AppError('NOT_FOUND', 'Meeting not found');
      meetingAccess(this.db, { id: '', isAdmin: true }, meetingId); // the meeting must still exist
      return { access: null, viewer: { userId: null, role: null, isAdmin: false, roomScreen: true } };
    }
    const access = meetingAccess(this.db, principal.user, meetingId);
    return { access, viewer: { userId: access.userId, role: access.role, isAdmin: access.isAdmin, roomScreen: false } };
  }

  join(principal: Principal, req: JoinRequest): JoinResult {
    const { viewer } = this.access(principal, req.meetingId);
    const state = this.runtime.state(req.meetingId);
    const head = state.lastSeq;
    const since = req.sinceSeq;
    if (since !== undefined && since <= head && head - since <= this.opts.catchUpMaxEvents) {
      const events = since === head ? [] : readEvents(this.db, req.meetingId, since).filter((e) => isVisibleTo(audienceOf(e), viewer));
      return { meetingId: req.meetingId, viewer, seq: head, events };
    }
    const fresh = this.runtime.refreshMembers(req.meetingId);
    return { meetingId: req.meetingId, viewer, seq: head, snapshot: projectState(fresh, viewer) };
  }

  execute(principal: Principal, cmd: CommandEnvelope, now = new Date()): ExecuteResult {
    if (principal.kind === 'roomScreen') throw new AppError('FORBIDDEN', 'The room screen is read-only');
    const { access } = this.access(principal, cmd.meetingId);
    if (!access) throw new AppError('FORBIDDEN', 'Read-only');
    const repeat = seqForCommand(this.db, cmd.meetingId, access.userId, cmd.id);
    if (repeat !== undefined) return { seq: repeat };
    if (!isCommandType(cmd.type)) throw new AppError('INVALID', `Unknown command type ${cmd.type}`);
    const payload = cmd.payload ?? {};
    if (!checkPayload(cmd.type, payload)) throw new AppError('INVALID', `Invalid payload for ${cmd.type}`);
    // One generic path for every command type; the registry entry is typed per type.
    const def = COMMANDS[cmd.type] as CommandDefinition<typeof cmd.type>;
    const state = this.runtime.state(cmd.meetingId);
    if (!def.authorize(access, state)) throw new AppError('FORBIDDEN', `Your role may not ${cmd.type} in this meeting`);
    const eventPayload = def.decide({ db: this.db, tokens: this.tokens, meetingId: cmd.meetingId, state, access, payload, now });
    const at = now.toISOString();
    let appended;
    try {
      appended = appendEvent(
        this.db,
        { meetingId: cmd.meetingId, type: cmd.type, actor: access.userId, payload: eventPayload, at, commandId: cmd.id },
        def.alsoInTx ? (tx) => def.alsoInTx?.(tx, cmd.meetingId, eventPayload, at) : undefined,
      );
    } catch (err) {
      // another process accepted the same command id a moment ago: answer with its result
      const raced = seqForCommand(this.db, cmd.meetingId, access.userId, cmd.id);
      if (raced !== undefined) return { seq: raced };
      throw err;
    }
    this.runtime.apply(appended.event, appended.hash);
    return { seq: appended.event.seq, event: appended.event, audience: audienceOf(appended.event) };
  }

  quorum(meetingId: string): QuorumInfo {
    return quorumOf(this.runtime.state(meetingId));
  }

  /** For the room screen's QR, and officers who show it on their own device. */
  checkInToken(principal: Principal, meetingId: string, now = Date.now()): { token: string; expiresAt: string } {
    const { access } = this.access(principal, meetingId);
    if (access && !can(access, 'issueRoomToken')) throw new AppError('FORBIDDEN', 'Only the room screen and officers show the check-in code');
    return this.tokens.checkInToken(meetingId, now);
  }

  roomToken(access: MeetingAccess): { token: string; expiresAt: string } {
    if (!can(access, 'issueRoomToken')) throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator opens the room screen');
    return this.tokens.roomToken(access.meetingId);
  }

  eventLog(access: MeetingAccess): ChainCheck {
    if (!can(access, 'readEventLog')) throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator reads the log');
    return verifyChain(this.db, access.meetingId);
  }
}
