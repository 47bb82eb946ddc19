// Passive clients that speak the Engine.IO v4 / Socket.IO v5 wire protocol directly over `ws`
// (the WebSocket library socket.io itself runs on). A socket.io-client instance costs tens of
// microseconds per message to decode; 100 of them on a 2-core machine would measure the client
// process, not the server. These decode only the messages the benchmark reads. The server cannot
// tell them from socket.io-client: same handshake, cookie, origin, namespace connect, acks, pings.
import { WebSocket } from 'ws';

export interface RawReceiver {
  ws: WebSocket;
  /** emit with ack; resolves with the ack's first argument */
  emitAck: (event: string, payload: unknown, timeoutMs?: number) => Promise<unknown>;
  close: () => void;
}

export function openRawReceiver(
  url: string,
  opts: { cookie?: string; auth: Record<string, unknown>; onEvent: (name: string, body: string) => void; timeoutMs?: number },
): Promise<RawReceiver> {
  const wsUrl = `${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const ws = new WebSocket(wsUrl, {
    headers: { origin: url, ...(opts.cookie ? { cookie: opts.cookie } : {}) },
    perMessageDeflate: false,
  });
  let ackId = 0;
  const acks = new Map<number, (v: unknown) => void>();
  const r: RawReceiver = {
    ws,
    emitAck: (event, payload, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const id = ackId++;
        const t = setTimeout(() => {
          acks.delete(id);
          reject(new Error(`${event}: no ack`));
        }, timeoutMs);
        acks.set(id, (v) => {
          clearTimeout(t);
          resolve(v);
        });
        ws.send(`42${id}${JSON.stringify([event, payload])}`);
      }),
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      ws.terminate();
      reject(new Error('raw connect timed out'));
    }, opts.timeoutMs ?? 15_000);
    ws.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const s = data.toString();
      const type = s.charCodeAt(0);
      if (type === 0x32 /* '2' ping */) {
        ws.send('3');
        return;
      }
      if (type === 0x30 /* '0' open */) {
        ws.send(`40${JSON.stringify(opts.auth)}`);
        return;
      }
      if (type !== 0x34 /* '4' message */) return;
      const kind = s.charCodeAt(1);
      if (kind === 0x32 /* '2' event */) {
        const nameEnd = s.indexOf('"', 4);
        opts.onEvent(s.slice(4, nameEnd), s.slice(2));
      } else if (kind === 0x33 /* '3' ack */) {
        const br = s.indexOf('[');
        const id = Number(s.slice(2, br));
        const cb = acks.get(id);
        if (cb) {
          acks.delete(id);
          cb((JSON.parse(s.slice(br)) as unknown[])[0]);
        }
      } else if (kind === 0x30 /* '0' connected */) {
        clearTimeout(t);
        resolve(r);
      } else if (kind === 0x34 /* '4' connect error */) {
        clearTimeout(t);
        ws.close();
        reject(new Error(`connect refused: ${s.slice(2)}`));
      }
    });
  });
}
