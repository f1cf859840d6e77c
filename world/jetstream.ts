// The local world's Jetstream: a /subscribe WebSocket on 127.0.0.1 that holds a log of post
// events stamped with the real clock (time_us, as Jetstream's are), sends each subscriber the log
// from its `cursor` (or from now, without one) and then every new event, filtered by
// wantedCollections and wantedDids; the posts come one by one (`post`) or from a generator at a
// fixed rate or as fast as the socket takes them. A subscriber's socket is written only while its
// buffer is short, so a slow reader holds its place in the log instead of filling memory.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { acceptUpgrade, answerClose, frame, OPCODE } from './ws-frame.js';

export interface StreamPost {
  did: string;
  rkey: string;
  text: string;
}

/** A post in the log: when it was sent out, and its frame, encoded once for every subscriber. */
interface Logged {
  timeUs: number;
  did: string;
  frame: Buffer;
}

interface Subscriber {
  socket: Duplex;
  /** The next log index to send. */
  next: number;
  dids: Set<string> | undefined;
  posts: boolean;
}

export interface Generation {
  /** Stops generating; returns how many posts it made. */
  stop(): number;
  made(): number;
}

export interface JetstreamGenerator {
  /** ws://127.0.0.1:port/subscribe */
  url: string;
  /** Each /subscribe request's URL, as asked. */
  requests: URL[];
  /** Appends a post made now; returns its time_us. */
  post(p: StreamPost): number;
  /** Posts `make(0)`, `make(1)`, … (`count` of them at most) at `perSecond`, or as fast as the subscribers read them ('fastest'). */
  generate(perSecond: number | 'fastest', make: (i: number) => StreamPost, count?: number): Generation;
  /** How many events the log holds. */
  size(): number;
  /** The time_us of the log's last event (of one of `dids`, when given), or undefined. */
  lastTimeUs(dids?: readonly string[]): number | undefined;
  /** How many events have time_us ≤ `timeUs`: how far a reader whose cursor is there has read. */
  countUpTo(timeUs: number): number;
  close(): Promise<void>;
}

// A subscriber's socket is filled up to this much unsent data; then it waits for 'drain'.
const SOCKET_BUFFER = 256 * 1024;
const PING_MS = 10_000;
const TICK_MS = 5;

/** A post event in Jetstream's JSON form. */
function event(p: StreamPost, timeUs: number): string {
  const record = { $type: 'app.bsky.feed.post', text: p.text, createdAt: new Date(Math.floor(timeUs / 1000)).toISOString(), langs: ['en'] };
  const commit = { rev: `3l${timeUs.toString(36)}`, operation: 'create', collection: 'app.bsky.feed.post', rkey: p.rkey, record, cid: 'bafyreiaskvjxhncv2ev3c7ldf7p4gfefwpv5mmhbn4yue5ssxxhyndqfta' };
  return JSON.stringify({ did: p.did, time_us: timeUs, kind: 'commit', commit });
}

export async function startJetstreamGenerator(): Promise<JetstreamGenerator> {
  const log: Logged[] = [];
  const subscribers = new Set<Subscriber>();
  const requests: URL[] = [];
  let lastUs = 0;
  // Microseconds of the real clock, never repeating: time_us orders the log.
  const nowUs = () => (lastUs = Math.max(lastUs + 1, Math.floor((performance.timeOrigin + performance.now()) * 1000)));
  let flood: ((i: number) => StreamPost) | undefined;
  let floodMade = 0;

  const append = (p: StreamPost): number => {
    const timeUs = nowUs();
    log.push({ timeUs, did: p.did, frame: frame(event(p, timeUs)) });
    return timeUs;
  };
  const pump = (s: Subscriber) => {
    while (s.socket.writableLength < SOCKET_BUFFER && !s.socket.destroyed) {
      if (s.next >= log.length) {
        if (!flood) return;
        append(flood(floodMade++));
      }
      const e = log[s.next++]!;
      if (s.posts && (!s.dids || s.dids.has(e.did))) s.socket.write(e.frame);
    }
  };
  const pumpAll = () => {
    for (const s of subscribers) pump(s);
  };

  const server = createServer((_req, res) => res.writeHead(426).end('upgrade to a WebSocket'));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'ws://127.0.0.1');
    requests.push(url);
    if (url.pathname !== '/subscribe') return void socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    acceptUpgrade(req, socket);
    answerClose(socket);
    const cursor = url.searchParams.has('cursor') ? Number(url.searchParams.get('cursor')) : undefined;
    const collections = url.searchParams.getAll('wantedCollections');
    const dids = url.searchParams.getAll('wantedDids');
    const s: Subscriber = {
      socket,
      next: cursor === undefined ? log.length : firstAtOrAfter(log, cursor),
      dids: dids.length ? new Set(dids) : undefined,
      posts: collections.length === 0 || collections.includes('app.bsky.feed.post'),
    };
    subscribers.add(s);
    socket.on('close', () => subscribers.delete(s));
    socket.on('drain', () => pump(s));
    pump(s);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  // Jetstream's own keep-alive, so a reader's watchdog sees a live connection in a quiet time.
  const ping = setInterval(() => {
    for (const s of subscribers) s.socket.write(frame('', OPCODE.ping));
  }, PING_MS);

  return {
    url: `ws://127.0.0.1:${port}/subscribe`,
    requests,
    post(p) {
      const timeUs = append(p);
      pumpAll();
      return timeUs;
    },
    generate(perSecond, make, count = Infinity) {
      if (perSecond === 'fastest') {
        flood = (i) => {
          if (i + 1 >= count) flood = undefined;
          return make(i);
        };
        floodMade = 0;
        pumpAll();
        return {
          made: () => floodMade,
          stop: () => ((flood = undefined), floodMade),
        };
      }
      const started = performance.now();
      let made = 0;
      const tick = setInterval(() => {
        const due = Math.min(count, Math.floor(((performance.now() - started) / 1000) * perSecond));
        while (made < due) append(make(made++));
        pumpAll();
      }, TICK_MS);
      return {
        made: () => made,
        stop: () => (clearInterval(tick), made),
      };
    },
    size: () => log.length,
    lastTimeUs(dids) {
      for (let i = log.length - 1; i >= 0; i--) if (!dids || dids.includes(log[i]!.did)) return log[i]!.timeUs;
      return undefined;
    },
    countUpTo: (timeUs) => firstAtOrAfter(log, timeUs + 1),
    close() {
      clearInterval(ping);
      flood = undefined;
      for (const s of subscribers) s.socket.destroy();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

/** The index of the first event at or after `timeUs` (the log is in time order). */
function firstAtOrAfter(log: readonly Logged[], timeUs: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (log[mid]!.timeUs < timeUs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
