// The ink relay on a real Socket.IO server and real clients: batches relayed in one event-loop
// turn leave as one `ink.progress` packet per receiver (one batch per argument), in arrival order,
// and never go back to who sent them; a lone batch is exactly the contract's single-batch packet.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { InkRelay } from '../../server/realtime/ink-relay';
import type { LiveServer } from '../../server/realtime/handlers';
import type { InkProgressMessage } from '../../shared/annotations';

const ROOM = 'm:relay-test';
let httpServer: http.Server;
let server: LiveServer;
let relay: InkRelay;
const clients: Record<string, { socket: ClientSocket; packets: string[][] }> = {};

const batch = (strokeId: string, from: number): InkProgressMessage => ({
  meetingId: 'relay-test',
  strokeId,
  documentId: 'doc',
  page: 1,
  layer: 'shared',
  tool: 'pen',
  color: '#000000',
  width: 2,
  from,
  points: [[10 + from, 20, 0.5]],
  userId: `user-${strokeId}`,
});

const until = async (ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};
// a round trip on every client, after the relay's flush: one connection delivers in order, so
// whatever the relay sent before it has arrived when it returns (not a sleep)
const settle = () => Promise.all(Object.values(clients).map((c) => new Promise((r) => c.socket.emit('barrier', r))));

beforeAll(async () => {
  httpServer = http.createServer();
  server = new Server(httpServer) as LiveServer;
  relay = new InkRelay(server);
  server.on('connection', (s) => {
    void s.join(ROOM);
    (s as unknown as { on: (n: string, f: (ack: () => void) => void) => void }).on('barrier', (ack) => ack());
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  for (const name of ['a', 'b', 'c']) {
    const socket = connectClient(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    const entry = { socket, packets: [] as string[][] };
    socket.on('ink.progress', (...bs: InkProgressMessage[]) => entry.packets.push(bs.map((b) => `${b.strokeId}@${b.from}`)));
    await new Promise<void>((r) => socket.on('connect', () => r()));
    clients[name] = entry;
  }
  await until(() => (server.sockets.adapter.rooms.get(ROOM)?.size ?? 0) === 3);
});

afterAll(async () => {
  for (const c of Object.values(clients)) c.socket.close();
  await new Promise<void>((r) => {
    void server.close(() => r());
  });
});

const serverIdOf = (name: string) => clients[name]!.socket.id!;
const reset = () => {
  for (const c of Object.values(clients)) c.packets = [];
};

describe('ink relay', () => {
  it("sends one turn's batches together, in order, and each sender only the others' batches", async () => {
    reset();
    relay.relay(serverIdOf('a'), ROOM, batch('sa', 0));
    relay.relay(serverIdOf('b'), ROOM, batch('sb', 0));
    relay.relay(serverIdOf('a'), ROOM, batch('sa', 1));
    await until(() => clients.c!.packets.length > 0 && clients.a!.packets.length > 0 && clients.b!.packets.length > 0);
    await settle();
    expect(clients.c!.packets).toEqual([['sa@0', 'sb@0', 'sa@1']]);
    expect(clients.a!.packets).toEqual([['sb@0']]);
    expect(clients.b!.packets).toEqual([['sa@0', 'sa@1']]);
  });

  it('a lone batch leaves in its own turn, and nothing goes back to its sender', async () => {
    reset();
    relay.relay(serverIdOf('a'), ROOM, batch('lone', 0));
    await new Promise((r) => setImmediate(r));
    relay.relay(serverIdOf('a'), ROOM, batch('lone', 1));
    await until(() => clients.b!.packets.length === 2 && clients.c!.packets.length === 2);
    await settle();
    expect(clients.b!.packets).toEqual([['lone@0'], ['lone@1']]);
    expect(clients.c!.packets).toEqual([['lone@0'], ['lone@1']]);
    expect(clients.a!.packets).toEqual([]);
  });
});
