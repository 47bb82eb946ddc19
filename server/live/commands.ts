// The command registry: per command type, who may issue it, what makes sense now (`decide`), and
// what else commits with its event. Later issues (stroke.*, vote.*, ballot.*, floor.*, minutes.*)
// add a payload schema in shared/events.ts, a case in shared/meeting-state.ts and an entry here.
import Schema from 'typebox/schema';
import type { Query, Store, Tables } from '../db/store';
import type { MeetingAccess } from '../policies/meeting-policy';
import type { MeetingState } from '../../shared/meeting-state';
import { CommandPayloadSchemas, type CommandPayloads, type CommandType, type EventPayloads } from '../../shared/events';
import type { LiveTokens } from './live-tokens';
import { meetingControlCommands } from './meeting-commands';
import { attendanceCommands } from './attendance-commands';
import { annotationCommands } from './annotation-commands';
import type { AnnotationRuntime } from './annotation-runtime';
import { floorCommands } from './floor-commands';
import { voteCommands } from './vote-commands';
import { minutesCommands } from './minutes-commands';
import { invitationCommands } from './invitation-commands';
import type { LiveEvent } from '../../shared/events';

export interface CommandContext<T extends CommandType> {
  /** the command's write transaction (reads that decide are made on it) */
  q: Query;
  /** the store's tables (schema.ts on SQLite, schema-pg.ts on PostgreSQL): build every query on them */
  t: Tables;
  tokens: LiveTokens;
  meetingId: string;
  state: MeetingState;
  access: MeetingAccess;
  payload: CommandPayloads[T];
  now: Date;
  /** marks and undo histories (kept out of MeetingState) */
  annotations: AnnotationRuntime;
  /**
   * In a group commit: a read made once per batch (LiveService BatchReads), for reads no command
   * of the batch changes (whether a document may be read, whether a user is a member). Absent for
   * a command on its own.
   */
  reads?: { once<R>(key: string, read: () => Promise<R>): Promise<R> };
}

export interface CommandDefinition<T extends CommandType> {
  /** may this member issue it at all (refused with FORBIDDEN, before anything else is looked at) */
  authorize: (access: MeetingAccess, state: MeetingState) => boolean;
  /** refuses what makes no sense in the current state (throws AppError) and returns the event payload */
  decide: (ctx: CommandContext<T>) => EventPayloads[T] | Promise<EventPayloads[T]>;
  /** changes to other tables that must commit in the same transaction as the event */
  alsoInTx?: (
    tx: Query,
    t: Tables,
    meetingId: string,
    payload: EventPayloads[T],
    at: string,
    event?: LiveEvent,
  ) => void | Promise<void>;
  /**
   * Writes in the same transaction that need the command itself, not its event: a secret ballot's
   * choice goes, sealed, into the vote's ballot box and never into the log.
   */
  privateInTx?: (tx: Query, t: Tables, ctx: CommandContext<T>, event: LiveEvent) => void | Promise<void>;
  /**
   * An earlier result that answers this command instead of a new event (one ballot per member:
   * casting again returns the first ballot). Runs after `authorize`, before `decide`.
   */
  existing?: (
    ctx: CommandContext<T>,
  ) => { seq: number; ack?: AckExtras } | undefined | Promise<{ seq: number; ack?: AckExtras } | undefined>;
  /** what the sender's ack carries besides the seq (a secret ballot's receipt); only the sender gets it */
  ackExtras?: (ctx: CommandContext<T>, payload: EventPayloads[T]) => AckExtras | undefined | Promise<AckExtras | undefined>;
  /**
   * People to tell (server/notifications): stored with the event in its transaction and pushed once
   * it is durable, so a refused or rolled-back command notifies nobody and a committed one nobody twice.
   */
  notify?: (ctx: CommandContext<T>, payload: EventPayloads[T]) => CommandNotice[] | Promise<CommandNotice[]>;
  /** work after the commit, outside the transaction (a secret vote's close scrubs the WAL) */
  afterCommit?: (store: Store, payload: EventPayloads[T]) => void;
  /** the same extras when a command id is repeated (a retry), from the seq it produced (`q` a read handle) */
  repeatAck?: (ctx: Omit<CommandContext<T>, 'payload'>, seq: number) => AckExtras | undefined | Promise<AckExtras | undefined>;
}

/** A notification a command sends (the notification service's NotifyInput). */
export interface CommandNotice {
  userIds: readonly string[];
  kind: string;
  meetingId?: string | null;
  params?: Record<string, string | number | null>;
  link: string;
}

/** The notification service as commands need it: stage in the command's transaction, publish after. */
export interface CommandNotifier<S = unknown> {
  stage: (tx: Query, t: Tables, notice: CommandNotice) => Promise<S>;
  publish: (staged: S) => void;
}

export interface AckExtras {
  receipt?: string;
}

export type CommandRegistry = { [T in CommandType]: CommandDefinition<T> };

export const COMMANDS: CommandRegistry = {
  ...meetingControlCommands,
  ...attendanceCommands,
  ...annotationCommands,
  ...floorCommands,
  ...voteCommands,
  ...minutesCommands,
  ...invitationCommands,
};

/** Compiled once: validating a page turn must cost microseconds. */
const VALIDATORS = Object.fromEntries(
  Object.entries(CommandPayloadSchemas).map(([type, schema]) => [type, Schema.Compile(schema)]),
) as unknown as { [T in CommandType]: { Check: (v: unknown) => v is CommandPayloads[T] } };

export function checkPayload<T extends CommandType>(type: T, payload: unknown): payload is CommandPayloads[T] {
  return VALIDATORS[type].Check(payload);
}

/** A registered command type (labels for metrics stay a fixed set whatever a client sends). */
export const isCommandType = (type: string): type is CommandType => Object.prototype.hasOwnProperty.call(COMMANDS, type);
