// A bluesky-stream source: a Jetstream /subscribe connection read from a stored cursor up to the
// present (what `once` does), its posts made items. The cursor is the time_us of the last event
// read; the caller stores it with the items in one transaction, so a crash loses and repeats
// nothing beyond the rewind, whose repeats the store drops by post URI.
import { Agent, buildConnector, WebSocket } from 'undici';
import type { Source } from '../config/types.js';
import type { Item } from '../model/item.js';
import type { SourceState } from '../model/ledger.js';
import { guardedConnector } from '../http/address-guard.js';
import { storedTime } from '../text/stored-time.js';
import { postItem, readFrame, MAX_EVENT_BYTES } from './jetstream-event.js';

/** On connect, the stream resumes this far before its cursor: endpoints' clocks differ a little. */
export const REWIND_US = 5_000_000;
/** A frame beyond this ends the connection (undici's limit); below it, an oversized frame is skipped. */
const MAX_FRAME_BYTES = 8 * 1024 * 1024;
const CONNECT_TIMEOUT_MS = 10_000;
/** At most this many skipped frames are told one by one; the rest are counted. */
const MAX_NOTES = 10;

export interface StreamDeps {
  now: () => Date;
  /** Bluesky accounts configured as sources, by handle and DID: their trust travels with them. */
  accounts: Map<string, Source>;
  /** Firehose mode: whether a post's text may concern a tracker (party or agreement named). */
  prefilter: (text: string) => boolean;
  allowPrivateNetwork: boolean;
  /** The catch-up ends when no event has come for this long (default 2 s). */
  quietMs?: number | undefined;
  /** …or after this long in all (default 60 s); the next run goes on from there. */
  deadlineMs?: number | undefined;
  /** …or once this many items are read (default 5,000). */
  maxItems?: number | undefined;
}

export interface CatchUp {
  items: Item[];
  /** time_us of the last event read, or the present when none was. */
  cursorUs: number;
  notes: string[];
  error?: string | undefined;
}

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

/** Reads `source` from its stored cursor (the present when it has none) up to now. */
export async function catchUp(source: Source, state: SourceState, deps: StreamDeps): Promise<CatchUp> {
  const startUs = deps.now().getTime() * 1000;
  const stored = state.cursor !== null && /^\d{1,16}$/.test(state.cursor) ? Number(state.cursor) : undefined;
  const dids = source.mode === 'authors' ? followedDids(deps.accounts) : undefined;
  if (dids && dids.length === 0) return { items: [], cursorUs: stored ?? startUs, notes: [], error: 'authors mode: no bluesky-author source\'s account is known by its DID, so there is nobody to follow' };
  const endpoints = source.urls ?? [source.url!];
  let last: CatchUp | undefined;
  // An endpoint that read no event is an error; the next one is tried.
  for (const endpoint of endpoints) {
    last = await readEndpoint(endpoint, source, dids, { fromUs: stored ?? startUs, startUs, first: stored === undefined }, deps);
    if (!last.error) break;
  }
  return last!;
}

function readEndpoint(endpoint: string, source: Source, dids: string[] | undefined, span: { fromUs: number; startUs: number; first: boolean }, deps: StreamDeps): Promise<CatchUp> {
  const { fromUs, startUs } = span;
  const allowPrivate = deps.allowPrivateNetwork || source.allowPrivateNetwork === true;
  // undici's WebSocket error event says nothing of why: the connector remembers it.
  let refused: Error | undefined;
  const connector = allowPrivate ? buildConnector({ timeout: CONNECT_TIMEOUT_MS }) : guardedConnector({ timeout: CONNECT_TIMEOUT_MS });
  const connect: buildConnector.connector = (target, callback) => connector(target, (err, socket) => ((refused = err ?? undefined), callback(err, socket as never)));
  const dispatcher = new Agent({ webSocket: { maxPayloadSize: MAX_FRAME_BYTES }, connect });
  const wanted = dids ? new Set(dids) : undefined;
  const maxItems = deps.maxItems ?? 5_000;
  const items: Item[] = [];
  const seen = new Set<string>();
  const notes: string[] = [];
  let skipped = 0;
  let cursorUs = fromUs;
  let events = 0;
  return new Promise<CatchUp>((resolve) => {
    let quiet: NodeJS.Timeout | undefined;
    let settled = false;
    const ws = new WebSocket(subscribeUrl(endpoint, dids, fromUs), { dispatcher });
    const deadline = setTimeout(() => finish(), deps.deadlineMs ?? 60_000);
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(quiet);
      ws.onmessage = null;
      ws.close();
      if (skipped > MAX_NOTES) notes.push(`skipped ${skipped - MAX_NOTES} more frames`);
      void dispatcher.destroy().catch(() => undefined);
      // The first run reads up to the present: the present is its cursor even if no event came.
      const reached = error === undefined && span.first ? Math.max(cursorUs, startUs) : cursorUs;
      resolve({ items, cursorUs: reached, notes, ...(error === undefined ? {} : { error }) });
    };
    const wait = () => {
      clearTimeout(quiet);
      quiet = setTimeout(() => finish(), deps.quietMs ?? 2_000);
    };
    ws.onopen = wait;
    ws.onmessage = (message) => {
      wait();
      const frame = readFrame(message.data as string | ArrayBuffer);
      if ('skip' in frame) {
        if (++skipped <= MAX_NOTES) notes.push(`skipped a frame after time_us ${cursorUs}: ${frame.skip}`);
        return;
      }
      // The present is where the catch-up ends; that event is the next run's.
      if (frame.timeUs >= startUs) return finish();
      events++;
      if (frame.post && (!wanted || wanted.has(frame.post.did))) {
        const { post } = frame;
        const account = deps.accounts.get(post.did);
        const item = postItem(source, post, account, deps.now());
        if (!seen.has(item.id) && (account || wanted || deps.prefilter(item.text))) {
          seen.add(item.id);
          items.push(item);
        }
      }
      cursorUs = Math.max(cursorUs, frame.timeUs);
      if (items.length >= maxItems) finish();
    };
    ws.onerror = (event) => {
      const fault = event as unknown as { error?: unknown; message?: string };
      const why = fault.error ?? fault.message;
      const message = refused?.message ?? (why instanceof Error && why.message ? why.message : 'no WebSocket connection (refused, or not a Jetstream /subscribe endpoint)');
      finish(events > 0 ? undefined : `${endpoint}: ${message}`);
    };
    ws.onclose = (event) => {
      // Our own close, after the catch-up ended, tells nothing.
      if (settled) return;
      if (event.code === 1009) notes.push(`the server sent a frame over ${MAX_FRAME_BYTES} bytes; the connection ended there`);
      const clean = event.code === 1000 || events > 0;
      if (clean && event.code !== 1000) notes.push(`the connection closed (${event.code}) before the present; the next run goes on from time_us ${cursorUs}`);
      finish(clean ? undefined : `${endpoint}: the connection closed (${event.code}${event.reason ? ` ${event.reason}` : ''}) before any event`);
    };
  });
}

/** The source's state after a catch-up: the cursor and, as its last success, the time it stands for. */
export function caughtUpState(state: SourceState, cursorUs: number): SourceState {
  const at = storedTime(Math.floor(cursorUs / 1000), `source ${state.id}: lastSuccess`);
  return { ...state, cursor: String(cursorUs), failures: 0, lastSuccess: at, nextPoll: null };
}

export { MAX_EVENT_BYTES };
