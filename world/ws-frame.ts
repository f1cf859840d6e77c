// The server side of a WebSocket, as much as a Jetstream-like server needs: the upgrade answer,
// unmasked frames out, and the client's frames read far enough to see a close. Written on
// node:http and raw sockets, so the local test servers put every byte on the wire themselves.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
export const OPCODE = { text: 0x1, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** One unmasked frame (a server never masks), FIN set. */
export function frame(payload: string | Buffer, opcode: number = OPCODE.text): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const n = body.length;
  const head = Buffer.alloc(n < 126 ? 2 : n < 65536 ? 4 : 10);
  head[0] = 0x80 | opcode;
  if (n < 126) head[1] = n;
  else if (n < 65536) {
    head[1] = 126;
    head.writeUInt16BE(n, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, body]);
}

/** Answers the upgrade request with 101, on `socket`. */
export function acceptUpgrade(req: IncomingMessage, socket: Duplex): void {
  const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${ACCEPT_GUID}`).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
}

/**
 * Reads the client's frames off `socket` (pongs, a close) and answers a close with a close, then
 * ends the connection. Frames may arrive split or several to a chunk.
 */
export function answerClose(socket: Duplex): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 2) {
      const opcode = pending[0]! & 0x0f;
      let length = pending[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (pending.length < 4) return;
        length = pending.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (pending.length < 10) return;
        length = Number(pending.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (pending[1]! & 0x80) !== 0;
      const end = offset + (masked ? 4 : 0) + length;
      if (pending.length < end) return;
      pending = pending.subarray(end);
      if (opcode === OPCODE.close) return void socket.end(frame(Buffer.from([0x03, 0xe8]), OPCODE.close));
    }
  });
}
