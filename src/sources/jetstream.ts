// A bluesky-stream source: a Jetstream /subscribe connection read from a stored cursor up to the
// present (what `once` does), its posts made items. The cursor is the time_us of the last event
// read; the caller stores it with the items in one transaction, so a crash loses and repeats
// nothing beyond the rewind, whose repeats the store drops by post URI.
import type { Source } from '../config/types.js';
import type { Item } from '../model/item.js';
import type { SourceState } from '../model/ledger.js';
import { storedTime } from '../text/stored-time.js';
import { MAX_EVENT_BYTES } from './jetstream-event.js';
import { expiredSpan, followedDids, frameReader, isoOf, MAX_FRAME_BYTES, missedSpan, openConnection, RETENTION_SECONDS, REWIND_US, subscribeUrl, type FrameReader, type Gap } from './jetstream-read.js';

export { followedDids, REWIND_US, subscribeUrl };
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
  /** The at:// URIs of posts deleted by their authors (followed authors' only, in authors mode). */
  deleted: string[];
  /** time_us of the last event read, or the present when none was. */
  cursorUs: number;
  notes: string[];
  error?: string | undefined;
}

/** What the operator is told of a span the stream no longer holds. */
export function gapNote(gap: Gap): string {
  return `the stream no longer holds ${isoOf(gap.fromUs)} to ${isoOf(gap.toUs)}: posts of that time come only from the bluesky-search and bluesky-author sources`;
}

/** Reads `source` from its stored cursor (the present when it has none) up to now. */
export async function catchUp(source: Source, state: SourceState, deps: StreamDeps): Promise<CatchUp> {
  const startUs = deps.now().getTime() * 1000;
  const stored = storedCursor(state);
  const dids = source.mode === 'authors' ? followedDids(deps.accounts) : undefined;
  if (dids && dids.length === 0) return { items: [], deleted: [], cursorUs: stored ?? startUs, notes: [], error: 'authors mode: no bluesky-author source names its account by DID, so there is nobody to follow' };
  const endpoints = source.urls ?? [source.url!];
  const reader = frameReader(source, dids, deps);
  const expired = stored === undefined ? undefined : expiredSpan(stored, startUs, source.retention ?? RETENTION_SECONDS);
  let last: CatchUp | undefined;
  // An endpoint that read no event is an error; the next one is tried.
  for (const endpoint of endpoints) {
    last = await readEndpoint(endpoint, source, dids, reader, { fromUs: stored ?? startUs, startUs, first: stored === undefined }, deps);
    if (!last.error) break;
  }
  if (expired && !last!.notes.some((n) => n.startsWith('the stream no longer holds'))) last!.notes.unshift(gapNote(expired));
  return last!;
}

/** The cursor stored for a stream source, if it has one. */
export function storedCursor(state: SourceState | undefined): number | undefined {
  return state?.cursor != null && /^\d{1,16}$/.test(state.cursor) ? Number(state.cursor) : undefined;
}

function readEndpoint(endpoint: string, source: Source, dids: string[] | undefined, reader: FrameReader, span: { fromUs: number; startUs: number; first: boolean }, deps: StreamDeps): Promise<CatchUp> {
  const { fromUs, startUs } = span;
  const maxItems = deps.maxItems ?? 5_000;
  const items: Item[] = [];
  const deleted = new Set<string>();
  const notes: string[] = [];
  let skipped = 0;
  let cursorUs = fromUs;
  let events = 0;
  const connection = openConnection(subscribeUrl(endpoint, dids, fromUs), deps.allowPrivateNetwork || source.allowPrivateNetwork === true);
  const { ws } = connection;
  return new Promise<CatchUp>((resolve) => {
    let quiet: NodeJS.Timeout | undefined;
    let settled = false;
    const deadline = setTimeout(() => finish(), deps.deadlineMs ?? 60_000);
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(quiet);
      connection.close();
      if (skipped > MAX_NOTES) notes.push(`skipped ${skipped - MAX_NOTES} more frames`);
      // The first run reads up to the present: the present is its cursor even if no event came.
      const reached = error === undefined && span.first ? Math.max(cursorUs, startUs) : cursorUs;
      resolve({ items, deleted: [...deleted], cursorUs: reached, notes, ...(error === undefined ? {} : { error }) });
    };
    const wait = () => {
      clearTimeout(quiet);
      quiet = setTimeout(() => finish(), deps.quietMs ?? 2_000);
    };
    ws.onopen = wait;
    ws.onmessage = (message) => {
      wait();
      const read = reader.read(message.data as string | ArrayBuffer);
      if ('skip' in read) {
        if (++skipped <= MAX_NOTES) notes.push(`skipped a frame after time_us ${cursorUs}: ${read.skip}`);
        return;
      }
      // The present is where the catch-up ends; that event is the next run's.
      if (read.timeUs >= startUs) return finish();
      const missed = events === 0 && !span.first ? missedSpan(source, fromUs - REWIND_US, read.timeUs) : undefined;
      if (missed) notes.push(gapNote(missed));
      events++;
      if (read.item) items.push(read.item);
      if (read.deleted) deleted.add(read.deleted);
      cursorUs = Math.max(cursorUs, read.timeUs);
      if (items.length >= maxItems) finish();
    };
    ws.onerror = (event) => {
      const fault = event as unknown as { error?: unknown; message?: string };
      const why = fault.error ?? fault.message;
      const message = connection.refused()?.message ?? (why instanceof Error && why.message ? why.message : 'no WebSocket connection (refused, or not a Jetstream /subscribe endpoint)');
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
