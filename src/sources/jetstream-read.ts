// What the catch-up (`once`) and the daemon's live connection share: one Jetstream connection
// opened through the address guard, with its raw socket at hand, and one reading of frames into
// items, so that both read a post the same way.
import type { Socket } from 'node:net';
import { Agent, buildConnector, WebSocket } from 'undici';
import type { Source } from '../config/types.js';
import type { Item } from '../model/item.js';
import { guardedConnector } from '../http/address-guard.js';
import { postItem, readFrame } from './jetstream-event.js';

/** On connect, the stream resumes this far before its cursor: endpoints' clocks differ a little. */
export const REWIND_US = 5_000_000;
/** A frame beyond this ends the connection (undici's limit); below it, an oversized frame is skipped. */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;
const CONNECT_TIMEOUT_MS = 10_000;
/** Post URIs remembered to drop the rewind's repeats before they reach the store. */
const RECENT_URIS = 10_000;

/** The /subscribe URL for `source` from `cursorUs` (minus the rewind), with its filters. */
export function subscribeUrl(endpoint: string, dids: string[] | undefined, cursorUs: number): string {
  const url = new URL(endpoint);
  url.searchParams.set('wantedCollections', 'app.bsky.feed.post');
  for (const did of dids ?? []) url.searchParams.append('wantedDids', did);
  url.searchParams.set('cursor', String(Math.max(0, cursorUs - REWIND_US)));
  return url.toString();
}

/** The DIDs authors mode follows: every account known by its DID (configured so, or its handle resolved). */
export function followedDids(accounts: Map<string, Source>): string[] {
  return [...accounts.keys()].filter((key) => key.startsWith('did:'));
}

export interface Connection {
  ws: WebSocket;
  /** The raw (net or tls) socket once connected: its bytes prove the connection alive, and it can be paused. */
  socket(): Socket | undefined;
  /** Why the connector refused or failed: undici's error event says nothing of it. */
  refused(): Error | undefined;
  /** Closes the WebSocket and its dispatcher. */
  close(): void;
}

/** Opens `url`; loopback and private addresses only when allowed. */
export function openConnection(url: string, allowPrivateNetwork: boolean): Connection {
  let refused: Error | undefined;
  let raw: Socket | undefined;
  const connector = allowPrivateNetwork ? buildConnector({ timeout: CONNECT_TIMEOUT_MS }) : guardedConnector({ timeout: CONNECT_TIMEOUT_MS });
  const connect: buildConnector.connector = (target, callback) =>
    connector(target, (err, socket) => {
      refused = err ?? undefined;
      raw = (socket as Socket | null) ?? undefined;
      callback(err, socket as never);
    });
  const dispatcher = new Agent({ webSocket: { maxPayloadSize: MAX_FRAME_BYTES }, connect });
  const ws = new WebSocket(url, { dispatcher });
  return {
    ws,
    socket: () => raw,
    refused: () => refused,
    close: () => {
      ws.onmessage = null;
      ws.close();
      void dispatcher.destroy().catch(() => undefined);
    },
  };
}

/** One frame read: skipped (why), or an event's time with the post it made an item of, or the post it deleted. */
export type FrameRead = { skip: string } | { timeUs: number; item?: Item | undefined; deleted?: string | undefined };

export interface ReaderDeps {
  now: () => Date;
  /** Bluesky accounts configured as sources, by handle and DID: their trust travels with them. */
  accounts: Map<string, Source>;
  /** Firehose mode: whether a post's text may concern a tracker (party or agreement named). */
  prefilter: (text: string) => boolean;
}

export interface FrameReader {
  read(data: string | ArrayBuffer | Buffer | Blob): FrameRead;
  /** Firehose posts by anyone no source lists, put to the prefilter, and how many passed. */
  prefiltered: number;
  prefilterHits: number;
}

/**
 * Reads frames of `source`'s stream into items: in authors mode only the followed DIDs' posts, in
 * firehose mode a configured account's post and anyone's that passes the prefilter. A post seen
 * lately (the rewind's repeat) is not made an item again.
 */
export function frameReader(source: Source, dids: string[] | undefined, deps: ReaderDeps): FrameReader {
  const wanted = dids ? new Set(dids) : undefined;
  const recent = new Set<string>();
  const remember = (uri: string) => {
    recent.add(uri);
    // A Set iterates in insertion order: the oldest goes first.
    if (recent.size > RECENT_URIS) recent.delete(recent.values().next().value!);
  };
  const reader: FrameReader = {
    prefiltered: 0,
    prefilterHits: 0,
    read(data) {
      const frame = readFrame(data as string | ArrayBuffer);
      if ('skip' in frame) return frame;
      if (frame.deleted !== undefined) {
        const did = /^at:\/\/([^/]+)\//.exec(frame.deleted)?.[1];
        return { timeUs: frame.timeUs, deleted: !wanted || (did && wanted.has(did)) ? frame.deleted : undefined };
      }
      if (!frame.post || (wanted && !wanted.has(frame.post.did))) return { timeUs: frame.timeUs };
      const account = deps.accounts.get(frame.post.did);
      const item = postItem(source, frame.post, account, deps.now());
      if (recent.has(item.id)) return { timeUs: frame.timeUs };
      // The prefilter reads words only. A post tagged in languages the rules do not read still
      // passes it when it names a party (and counts as a hit): it is stored with its tags, and the
      // extractor, which alone decides on language, reads it for nothing, as replay will.
      if (!account && !wanted) {
        reader.prefiltered++;
        if (!deps.prefilter(item.text)) return { timeUs: frame.timeUs };
        reader.prefilterHits++;
      }
      remember(item.id);
      return { timeUs: frame.timeUs, item };
    },
  };
  return reader;
}

/**
 * How long a Jetstream server keeps events to replay from a cursor, unless the source says: the
 * server's `event-ttl` (JETSTREAM_EVENT_TTL) defaults to 24 h in bluesky-social/jetstream's
 * cmd/jetstream/main.go; an operator may set it otherwise, hence the config field.
 */
export const RETENTION_SECONDS = 24 * 3600;
/** In firehose mode events come every millisecond or so: a first event this long after the cursor means the rest is gone. */
const FIREHOSE_GAP_US = 60_000_000;

export interface Gap {
  fromUs: number;
  toUs: number;
}

/** A stored cursor older than the service keeps: the span it can no longer give. */
export function expiredSpan(cursorUs: number, nowUs: number, retentionSeconds: number): Gap | undefined {
  const oldestUs = nowUs - retentionSeconds * 1_000_000;
  return cursorUs < oldestUs ? { fromUs: cursorUs, toUs: oldestUs } : undefined;
}

/** Firehose mode: the first event after connecting came long after the cursor asked for. */
export function missedSpan(source: Source, askedUs: number, firstUs: number): Gap | undefined {
  return source.mode === 'firehose' && firstUs - askedUs > FIREHOSE_GAP_US ? { fromUs: askedUs, toUs: firstUs } : undefined;
}

export const isoOf = (us: number): string => new Date(Math.floor(us / 1000)).toISOString();
