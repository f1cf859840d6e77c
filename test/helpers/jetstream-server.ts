// A Jetstream-like server on 127.0.0.1 for tests: answers a WebSocket upgrade on /subscribe, and
// sends the events it holds (JSON text frames, in order) from the `cursor` asked for, filtered by
// wantedCollections and wantedDids as Jetstream filters them; then it stays quiet. A raw frame
// (not JSON) is sent in its place in the order; later events can be published to open
// connections. It can misbehave (stall, refuse, drop mid-frame, rewind) and it respects TCP
// back-pressure, counting the writes a slow client held back. Written on node:http, so every byte
// is ours.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { acceptUpgrade, frame, OPCODE } from '../../world/ws-frame.js';

/** An event as Jetstream sends it, or a frame's raw text. */
export type JetstreamFrame = Record<string, unknown> | { raw: string };


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

/** How the server misbehaves, for the live connection's tests. */
export interface ServerBehaviour {
  /** Upgrades, then sends nothing and answers no ping. */
  stall?: boolean;
  /** Never answers the upgrade request. */
  mute?: boolean;
  /** Answers every upgrade with 503. */
  refuse?: boolean;
  /** For the n-th connection (from 0): after this many frames, half a frame and the socket destroyed. */
  dropAfter?: number[];
  /** Sends events this much older than the cursor asked for too (a server whose clock is behind). */
  rewindUs?: number;
}

/** What the server saw of the client's back-pressure: writes that returned false, and the most bytes left waiting to be sent. */
export interface SendStats {
  waits: number;
  maxWritableLength: number;
}

export interface JetstreamServer {
  /** ws://127.0.0.1:port/subscribe */
  url: string;
  frames: JetstreamFrame[];
  /** Each /subscribe request's URL, as asked. */
  requests: URL[];
  /** Pings received from clients. */
  pings: number;
  sent: SendStats;
  /** Appends an event and sends it at once to every connection that wants it. */
  publish(f: JetstreamFrame): void;
  /** Ends every open connection abruptly (no close frame). */
  drop(): void;
  close(): Promise<void>;
}

export async function startJetstreamServer(frames: JetstreamFrame[] = [], behaviour: ServerBehaviour = {}): Promise<JetstreamServer> {
  const sockets = new Set<Duplex>();
  const listeners = new Set<(f: JetstreamFrame) => void>();
  const requests: URL[] = [];
  const sent: SendStats = { waits: 0, maxWritableLength: 0 };
  let pings = 0;
  const server = createServer((_req, res) => res.writeHead(426).end('upgrade to a WebSocket'));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const n = requests.length;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'ws://127.0.0.1');
    requests.push(url);
    if (url.pathname !== '/subscribe') return void socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    if (behaviour.mute) return;
    if (behaviour.refuse) return void socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
    acceptUpgrade(req, socket);
    if (behaviour.stall) return;
    // A close frame from the client (opcode 8) is answered and the connection ended; a ping (9) is
    // answered with a pong. A client frame is small and comes whole.
    socket.on('data', (chunk: Buffer) => {
      const opcode = chunk[0]! & 0x0f;
      if (opcode === OPCODE.close) socket.end(frame(Buffer.from([0x03, 0xe8]), OPCODE.close));
      if (opcode === OPCODE.ping) {
        pings++;
        socket.write(frame('', OPCODE.pong));
      }
    });
    const asked = url.searchParams.has('cursor') ? Number(url.searchParams.get('cursor')) : undefined;
    const cursor = asked === undefined ? undefined : asked - (behaviour.rewindUs ?? 0);
    const collections = url.searchParams.getAll('wantedCollections');
    const dids = url.searchParams.getAll('wantedDids');
    const dropAfter = behaviour.dropAfter?.[n];
    let count = 0;
    // Sent in order, each write waiting for the last to drain: what a client that reads slowly holds back.
    const pending: Buffer[] = [];
    let waiting = false;
    const flush = () => {
      while (pending.length && !waiting && !socket.destroyed) {
        const bytes = pending.shift()!;
        if (dropAfter !== undefined && count++ >= dropAfter) {
          socket.write(bytes.subarray(0, Math.ceil(bytes.length / 2)));
          pending.length = 0;
          return void setTimeout(() => socket.destroy(), 20);
        }
        const more = socket.write(bytes);
        sent.maxWritableLength = Math.max(sent.maxWritableLength, (socket as Duplex & { writableLength: number }).writableLength);
        if (!more) {
          sent.waits++;
          waiting = true;
          socket.once('drain', () => {
            waiting = false;
            flush();
          });
        }
      }
    };
    const send = (f: JetstreamFrame) => {
      if (!wanted(f, cursor, collections, dids)) return;
      pending.push(frame(typeof f.raw === 'string' ? f.raw : JSON.stringify(f)));
      flush();
    };
    for (const f of frames) send(f);
    listeners.add(send);
    socket.on('close', () => listeners.delete(send));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/subscribe`,
    frames,
    requests,
    get pings() {
      return pings;
    },
    sent,
    publish: (f) => {
      frames.push(f);
      for (const send of listeners) send(f);
    },
    drop: () => {
      for (const s of sockets) s.destroy();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((done) => server.close(() => done()));
    },
  };
}
