// The baseline: a bare Socket.IO server with no auth, no validation, no database. It speaks the
// same event names as the product so the same client fleet drives both:
// - `meeting.join` joins a room and acks;
// - `command` stamps an event envelope exactly like the product's ({ meetingId, seq, type, actor,
//   at, payload }), broadcasts it to the room, then acks { ok, seq } (the product's order too);
// - `ink.progress` relays the batch, volatile, to the room but not the sender, stamped with userId.
import http from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2]);
const server = http.createServer((req, res) => {
  if (req.url === '/api/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
    return;
  }
  res.writeHead(404);
  res.end();
});
const io = new Server(server, { serveClient: false, maxHttpBufferSize: 256 * 1024 });
const seqs = new Map<string, number>();

io.on('connection', (socket) => {
  const userId = socket.id;
  socket.on('meeting.join', (raw: { meetingId: string }, ack: (a: unknown) => void) => {
    void socket.join(`m:${raw.meetingId}`);
    ack({ ok: true, seq: seqs.get(raw.meetingId) ?? 0 });
  });
  socket.on('command', (raw: { meetingId: string; type: string; payload: unknown }, ack: (a: unknown) => void) => {
    const seq = (seqs.get(raw.meetingId) ?? 0) + 1;
    seqs.set(raw.meetingId, seq);
    io.to(`m:${raw.meetingId}`).emit('event', {
      meetingId: raw.meetingId,
      seq,
      type: raw.type,
      actor: userId,
      at: new Date().toISOString(),
      payload: raw.payload,
    });
    ack({ ok: true, seq });
  });
  socket.on('ink.progress', (raw: { meetingId: string }) => {
    socket.volatile.to(`m:${raw.meetingId}`).emit('ink.progress', { ...raw, userId });
  });
});

server.listen(port, '127.0.0.1');
for (const s of ['SIGTERM', 'SIGINT'] as const)
  process.on(s, () => {
    void io.close();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
