// Real Socket.IO clients against a listening test app: log in over HTTP, connect with the cookie,
// record every `event`, and send commands with acks.
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  CommandAck,
  CommandType,
  CommandPayloads,
  JoinAck,
  LiveEvent,
  PresenceMessage,
  ServerToClientEvents,
} from '../../shared/events';
import type { MeetingDetail } from '../../shared/api';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents> & {
  events: LiveEvent[];
  presence: PresenceMessage[];
  /** performance.now() when each seq arrived, for latency figures */
  receivedAt: Map<number, number>;
};

export async function httpLogin(url: string, username: string, password = 'demo1234'): Promise<string> {
  const r = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
  return r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

export async function api<T = unknown>(
  url: string,
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, json: (text ? JSON.parse(text) : null) as T };
}

export function connect(
  url: string,
  opts: { cookie?: string; origin?: string; auth?: Record<string, unknown> } = {},
): Promise<LiveSocket> {
  const s = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...(opts.origin ? { origin: opts.origin } : {}) },
    ...(opts.auth ? { auth: opts.auth } : {}),
  }) as LiveSocket;
  s.events = [];
  s.presence = [];
  s.receivedAt = new Map();
  s.on('event', (e) => {
    s.receivedAt.set(e.seq, performance.now());
    s.events.push(e);
  });
  s.on('presence', (p) => {
    s.presence.push(p);
  });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => {
      s.close();
      reject(e);
    });
  });
}

export const join = (s: LiveSocket, meetingId: string, sinceSeq?: number) =>
  new Promise<JoinAck>((resolve) =>
    s.emit('meeting.join', { meetingId, ...(sinceSeq !== undefined ? { sinceSeq } : {}) }, resolve),
  );

let n = 0;
export function command<T extends CommandType>(
  s: LiveSocket,
  meetingId: string,
  type: T,
  payload: CommandPayloads[T] | Record<string, unknown>,
  id = `t-${process.pid}-${++n}`,
): Promise<CommandAck> {
  return new Promise((resolve) => s.emit('command', { id, meetingId, type, payload }, resolve));
}

/** Sends anything at all as a command, to test refusals. */
export const rawCommand = (s: LiveSocket, envelope: unknown) =>
  new Promise<CommandAck>((resolve) =>
    (s as unknown as { emit: (n: string, p: unknown, cb: (a: CommandAck) => void) => void }).emit('command', envelope, resolve),
  );

/**
 * A round trip on this socket that changes nothing (leaving a meeting it never joined). One
 * connection delivers in order, so when it resolves, everything the server emitted to this socket
 * before handling it has arrived: check that something did NOT arrive after this, never after a sleep.
 */
export const barrier = (s: Socket<ServerToClientEvents, ClientToServerEvents>) =>
  new Promise<void>((resolve) => s.emit('meeting.leave', { meetingId: 'barrier-not-a-meeting' }, () => resolve()));

export async function until(pred: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function demoMeeting(url: string, cookie: string): Promise<MeetingDetail> {
  const list = await api<{ id: string }[]>(url, cookie, 'GET', '/api/meetings');
  const id = list.json[0]?.id;
  if (!id) throw new Error('no demo meeting');
  return (await api<MeetingDetail>(url, cookie, 'GET', `/api/meetings/${id}`)).json;
}
