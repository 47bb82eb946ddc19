// Turns anything thrown by a service into the refused-ack shape; internals never leak.
import { AppError } from '../errors';
import type { AckError } from '../../shared/events';
import type { ErrorCode } from '../../shared/errors';
import { PreSerialized } from './pre-serialized';

export const refuse = (code: ErrorCode, message: string): AckError => ({ ok: false, error: { code, message } });

export function toAckError(err: unknown): AckError {
  if (err instanceof AppError) return refuse(err.code, err.message);
  return refuse('INTERNAL', 'Internal server error');
}

/** Socket.IO passes whatever the client sent as the last argument; only a function can answer. */
export function ackOf<T>(ack: unknown): (res: T) => void {
  return typeof ack === 'function' ? (res: T) => (ack as (r: T) => void)(res) : () => {};
}

/**
 * An answer already serialised (JSON text the server built, never a client's): sent as that text
 * (pre-serialized.ts), for acks too large to serialise again (a catch-up's events). The text must
 * be the JSON of the ack's declared type.
 */
export function jsonAckOf(ack: unknown): (json: string) => void {
  return typeof ack === 'function' ? (json: string) => (ack as (r: PreSerialized) => void)(new PreSerialized(json)) : () => {};
}
