// A Jetstream-like server on 127.0.0.1 for tests: answers a WebSocket upgrade on /subscribe, and
// sends the events it holds (JSON text frames, in order) from the `cursor` asked for, filtered by
// wantedCollections and wantedDids as Jetstream filters them; then it stays quiet. A raw frame
// (not JSON) is sent in its place in the order. Written on node:http, so every byte is ours.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** An event as Jetstream sends it, or a frame's raw text. */
export type JetstreamFrame = Record<string, unknown> | { raw: string };

export interface JetstreamServer {
  /** ws://127.0.0.1:port/subscribe */
  url: string;
  frames: JetstreamFrame[];
  /** Each /subscribe request's URL, as asked. */
  requests: URL[];
  close(): Promise<void>;
}

function frame(text: string, opcode = 0x1): Buffer {
  const body = Buffer.from(text);
  const n = body.length;
  const head = n < 126 ? Buffer.from([0x80 | opcode, n]) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (n >= 126 && n < 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(n, 2);
  } else if (n >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, body]);
}

function wanted(f: JetstreamFrame, cursor: number | undefined, collections: string[], dids: string[]): boolean {
  if ('raw' in f) return true;
  if (cursor !== undefined && typeof f.time_us === 'number' && f.time_us < cursor) return false;
  if (dids.length && !dids.includes(f.did as string)) return false;
  const commit = f.commit as { collection?: string } | undefined;
  return !(f.kind === 'commit' && collections.length && !collections.includes(commit?.collection ?? ''));
}

/** A fixture file of events, one a line; a line that is not JSON is sent as it is. */
export function readFrames(text: string): JetstreamFrame[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { raw: line };
      }
    });
}

export async function startJetstreamServer(frames: JetstreamFrame[] = []): Promise<JetstreamServer> {
  const sockets = new Set<Duplex>();
  const requests: URL[] = [];
  const server = createServer((_req, res) => res.writeHead(426).end('upgrade to a WebSocket'));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'ws://127.0.0.1');
    requests.push(url);
    if (url.pathname !== '/subscribe') return void socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${ACCEPT_GUID}`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    // A close frame from the client (opcode 8) is answered and the connection ended.
    socket.on('data', (chunk: Buffer) => {
      if ((chunk[0]! & 0x0f) === 0x8) socket.end(frame('\x03\xe8', 0x8));
    });
    const cursor = url.searchParams.has('cursor') ? Number(url.searchParams.get('cursor')) : undefined;
    const collections = url.searchParams.getAll('wantedCollections');
    const dids = url.searchParams.getAll('wantedDids');
    for (const f of frames) if (wanted(f, cursor, collections, dids)) socket.write(frame(typeof f.raw === 'string' ? f.raw : JSON.stringify(f)));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/subscribe`,
    frames,
    requests,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((done) => server.close(() => done()));
    },
  };
}
