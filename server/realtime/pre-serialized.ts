// Socket.IO's own packet format, with one addition on the sending side: a value wrapped in
// PreSerialized goes out as the JSON text it holds, spliced into the packet, instead of being
// walked for binary attachments and serialised again. A catch-up's ack is mostly events the
// server already holds as text (server/live/recent-events.ts): walking and serialising ~300 KB of
// stroke points was most of a reconnect's time on the server. What the client receives is the same
// text socket.io-parser would have written (`<type>[<nsp>,]<id>[<args as JSON>]`): any
// Socket.IO client decodes it with the stock parser. Receiving is the stock Decoder.
import * as parser from 'socket.io-parser';

/** A value already serialised: `json` must be well-formed JSON (the server made it, never a client). */
export class PreSerialized {
  constructor(readonly json: string) {}
}

class Encoder extends parser.Encoder {
  override encode(packet: parser.Packet): ReturnType<parser.Encoder['encode']> {
    const data: unknown = packet.data;
    if (
      (packet.type === parser.PacketType.ACK || packet.type === parser.PacketType.EVENT) &&
      Array.isArray(data) &&
      data.some((d) => d instanceof PreSerialized)
    ) {
      let text = String(packet.type);
      if (packet.nsp && packet.nsp !== '/') text += `${packet.nsp},`;
      if (packet.id !== undefined && packet.id !== null) text += String(packet.id);
      // JSON.stringify writes an undefined argument as null, as it does inside any array
      text += `[${data.map((d) => (d instanceof PreSerialized ? d.json : (JSON.stringify(d) ?? 'null'))).join(',')}]`;
      return [text];
    }
    return super.encode(packet);
  }
}

/** The `parser` option of the Socket.IO server. */
export const liveParser = { protocol: parser.protocol, PacketType: parser.PacketType, Encoder, Decoder: parser.Decoder };
