// One poll of one source: skip it if it must wait, fetch, parse, and record what happened on the
// source's state. Never throws for a bad response: every fault is an outcome with a message.
import type { Source } from '../config/types.js';
import type { Item } from '../model/item.js';
import type { SourceState } from '../model/ledger.js';
import { decodeBody, sniffBinary } from '../http/decode.js';
import { FeedError, parseFeed, parsePage, parseTechmeme, type Entry, type ParsedFeed, type Selectors } from './feed.js';
import { STOPPED_MESSAGE, type Fetcher } from '../http/fetch.js';
import { readBluesky, type BlueskyReader } from './bluesky.js';
import { catchUp, caughtUpState, followedDids, type StreamDeps } from './jetstream.js';
import type { KnownAccounts } from './bluesky-accounts.js';
import { fetchArticle, MAX_ARTICLES_PER_POLL } from './article.js';
import { MAX_FEED_WAIT_MS } from '../http/waits.js';
import { isStoredTime, MINUTE, storedTime, timeAfter, waitingUntil } from '../text/stored-time.js';

export type PollOutcome = 'ok' | 'not-modified' | 'error' | 'skipped';

export interface Poll {
  outcome: PollOutcome;
  /** Entries parsed, relevant or not. */
  items: Item[];
  error?: string | undefined;
  /** The state to store; unchanged for a skipped poll, unless it is `held`. */
  state: SourceState;
  /** Skipped because its host asked every client to wait: the wait is stored all the same. */
  held?: boolean;
  /** This was the source's first successful poll: its backlog is catch-up, not news. */
  first: boolean;
  /** Body bytes received (after decompression); 0 for a 304. */
  bodyBytes?: number;
  /** An `ok` poll of a document read only in part: why (also kept on the state until a whole one). */
  degraded?: string | undefined;
  /** What the operator may want to know that lost nothing (a date in the future, clamped). */
  notes?: string[] | undefined;
  /** A stream's posts deleted by their authors (at:// URIs): their unconfirmed claims are withdrawn. */
  deleted?: string[] | undefined;
}

const MAX_BACKOFF = MAX_FEED_WAIT_MS;

/**
 * Exponential back-off with ±20% jitter: 1 min, 2 min, 4 min … at most 24 h. A source polled
 * more often than once a minute backs off from its own interval instead (1 s, 2 s, 4 s …), so a
 * single failure does not silence it for sixty of its polls.
 */
export function backoffMs(failures: number, random: () => number, unitMs = MINUTE): number {
  const base = Math.min(MAX_BACKOFF, Math.min(unitMs, MINUTE) * 2 ** Math.max(0, failures - 1));
  return Math.min(MAX_BACKOFF, Math.round(base * (0.8 + 0.4 * random())));
}

export function initialState(source: Source): SourceState {
  return {
    id: source.id,
    kind: source.kind,
    url: source.url ?? null,
    etag: null,
    lastModified: null,
    cursor: null,
    lastSuccess: null,
    lastError: null,
    lastErrorAt: null,
    failures: 0,
    nextPoll: null,
    gone: false,
    unreliableGuids: null,
    degraded: null,
  };
}

function toItem(source: Source, e: Entry, fetchedAt: Date, encoding: string): Item {
  return {
    id: e.id,
    sourceId: source.id,
    url: e.url,
    via: e.via,
    title: e.title,
    text: e.text,
    author: e.author,
    publishedAt: e.publishedAt,
    fetchedAt,
    trust: source.trust,
    publisher: e.publisher ?? source.publisher,
    speaksFor: source.speaksFor ?? null,
    about: source.about,
    encoding,
  };
}

/** What a fetched body gave: its entries, what it was decoded as, and what was wrong with it. */
export interface ReadBody extends ParsedFeed {
  encoding: string;
}

/** Reads a fetched body as a source of `kind` reads it (rss, techmeme, or html with its selectors). */
export async function readBody(kind: Source['kind'], got: { body: Buffer; contentType: string | undefined; url: string; base: string }, now: Date, selectors?: Selectors): Promise<ReadBody> {
  const binary = sniffBinary(got.body);
  if (binary) throw new FeedError(`not ${kind === 'html' ? 'HTML' : 'XML'}: ${binary}`);
  const { text, encoding } = decodeBody(got.body, got.contentType);
  try {
    if (kind === 'html') return { entries: parsePage(text, got.base, selectors!), notes: [], encoding };
    const read = kind === 'techmeme' ? parseTechmeme : parseFeed;
    return { ...(await read(text, { base: got.base, now })), encoding };
  } catch (err) {
    if (err instanceof FeedError) err.encoding = encoding;
    throw err;
  }
}

/**
 * Polls `source`. `force` (for `once`) polls even before the next scheduled time, but still
 * waits out a Retry-After or a back-off, and never polls a source that is gone.
 */
export interface PollDeps {
  now: () => Date;
  random: () => number;
  force: boolean;
  bluesky?: BlueskyReader | undefined;
  /** Bluesky accounts configured as sources, by handle and DID: their trust travels with them. */
  accounts?: Map<string, Source> | undefined;
  /** When the source's schedule next fires, for the state `status` shows. */
  nextRun?: ((source: Source) => Date | null) | undefined;
  /** The time between two runs of the source's schedule: the unit of its back-off. */
  intervalMs?: ((source: Source) => number) | undefined;
  /** For `articleText` sources: is this item new, and does it name a party? Only those are fetched. */
  wantsArticle?: ((item: Item) => boolean) | undefined;
  /** The daemon's stop signal, which also ends the fetcher's and the Bluesky reader's requests. */
  stop?: AbortSignal | undefined;
  /**
   * For bluesky-stream sources: the firehose prefilter, the network they may reach, and the
   * accounts with their handles resolved to DIDs (else `accounts`, as configured).
   */
  stream?: (Omit<StreamDeps, 'now' | 'accounts'> & { knownAccounts?: (() => Promise<KnownAccounts>) | undefined }) | undefined;
}

export async function pollSource(fetcher: Fetcher, source: Source, stored: SourceState | undefined, deps: PollDeps): Promise<Poll> {
  let poll: Poll;
  try {
    poll = await readSource(fetcher, source, stored, deps);
  } catch (err) {
    // A fault nobody foresaw is this source's outcome too: `once` still saves the others, and
    // the back-off keeps the daemon from repeating it every tick.
    const state = stored ? { ...stored, kind: source.kind } : initialState(source);
    return failed(state, deps.now(), deps.random, `unexpected error: ${(err as Error).message}`, deps.intervalMs?.(source) ?? MINUTE);
  }
  if (!deps.stop?.aborted || poll.outcome === 'skipped') return poll;
  // Cut short by the stop: not the source's fault, so no failure counts and no back-off starts;
  // and nothing it read is kept (a feed without its articles would be known and never read
  // again), so the next start reads it all again.
  const before = stored ? { ...stored, kind: source.kind } : initialState(source);
  return { outcome: 'error', items: [], error: STOPPED_MESSAGE, state: { ...before, lastError: STOPPED_MESSAGE, lastErrorAt: storedTime(deps.now(), `source ${source.id}: lastErrorAt`) }, first: false };
}

async function readSource(fetcher: Fetcher, source: Source, stored: SourceState | undefined, deps: PollDeps): Promise<Poll> {
  const now = deps.now();
  const unit = deps.intervalMs?.(source) ?? MINUTE;
  const fail = (state: SourceState, message: string) => failed(state, now, deps.random, message, unit);
  const scheduled = scheduledTime(deps.nextRun?.(source));
  const at = storedTime(now, `source ${source.id}: poll time`);
  let state: SourceState = stored ? { ...stored, kind: source.kind } : initialState(source);
  // A changed url in config wins over a stored redirect target.
  if (stored && source.url && stored.url !== source.url && !stored.lastSuccess) state.url = source.url;
  const skip = (why: string): Poll => ({ outcome: 'skipped', items: [], error: why, state, first: false });
  if (state.gone) return skip(`stopped: ${state.lastError ?? 'gone'}`);
  const until = waitingUntil(state.nextPoll, now.getTime(), MAX_FEED_WAIT_MS);
  if (until !== undefined && (!deps.force || state.failures > 0)) return skip(`waiting until ${storedTime(until, 'nextPoll')} (${state.lastError ?? 'scheduled'})`);
  if (source.kind === 'bluesky-search' || source.kind === 'bluesky-author') {
    if (!deps.bluesky) return fail(state, 'no Bluesky reader configured');
    const got = await readBluesky(deps.bluesky, source, state, deps.accounts ?? new Map(), now, deps.random);
    if ('error' in got) return got.retryAfterMs === undefined ? fail(state, got.error) : waited(state, now, got.retryAfterMs, got.error, got.held ?? false);
    const first = state.lastSuccess === null;
    state = { ...state, cursor: got.cursor, failures: 0, lastSuccess: at, nextPoll: scheduled };
    return { outcome: got.items.length ? 'ok' : 'not-modified', items: got.items, state, first };
  }

  if (source.kind === 'bluesky-stream') {
    if (!deps.stream) return fail(state, 'no stream reader configured');
    const { knownAccounts, ...stream } = deps.stream;
    const known = knownAccounts ? await knownAccounts() : { accounts: deps.accounts ?? new Map<string, Source>(), warnings: [] };
    // Never a stream that silently follows nobody: the accounts that did not resolve say why.
    if (source.mode === 'authors' && followedDids(known.accounts).length === 0 && known.warnings.length > 0) {
      return fail(state, `authors mode follows nobody: ${known.warnings.join('; ')}`);
    }
    const got = await catchUp(source, state, { ...stream, now: deps.now, accounts: known.accounts });
    const notes = [...known.warnings, ...got.notes];
    if (got.error !== undefined) return { ...fail(state, got.error), notes };
    // Each post read is news: a stream has no backlog but what its first run reads up to the present.
    return { outcome: 'ok', items: got.items, deleted: got.deleted, state: caughtUpState(state, got.cursorUs), first: state.lastSuccess === null, notes };
  }

  const url = state.url ?? source.url!;
  const access = { allowPrivateNetwork: source.allowPrivateNetwork };
  const got = await fetcher.get(url, { etag: state.etag, lastModified: state.lastModified }, access);
  const first = state.lastSuccess === null;
  if (got.kind === 'gone') {
    state = { ...state, gone: true, lastError: got.message, lastErrorAt: at, nextPoll: null };
    return { outcome: 'error', items: [], error: got.message, state, first: false };
  }
  if (got.kind === 'retry-later') return waited(state, now, got.retryAfterMs ?? backoffMs(state.failures + 1, deps.random, unit), got.message, got.held ?? false);
  if (got.kind === 'error') return fail(state, got.message);
  const moved = got.permanentUrl ? { url: got.permanentUrl } : {};
  if (got.kind === 'not-modified') {
    state = { ...state, ...moved, ...validators(got.validators, state), failures: 0, lastSuccess: at, nextPoll: scheduled };
    return { outcome: 'not-modified', items: [], state, first: false };
  }
  let parsed: ReadBody;
  try {
    parsed = await readBody(source.kind, got, now, source.selectors);
  } catch (err) {
    // A parse failure keeps the old validators, so the next poll fetches the body again.
    return fail({ ...state, ...moved }, (err as Error).message);
  }
  state = { ...state, ...moved, ...validators(got.validators, state), failures: 0, lastSuccess: at, nextPoll: scheduled, degraded: parsed.degraded ?? null };
  const items = parsed.entries.map((e) => toItem(source, e, now, parsed.encoding));
  if (source.articleText && deps.wantsArticle) {
    for (const item of items.filter((i) => i.url && deps.wantsArticle!(i)).slice(0, MAX_ARTICLES_PER_POLL)) {
      const text = await fetchArticle(fetcher, item.url!, access);
      if (text) item.text = `${item.text}\n\n${text}`;
    }
  }
  return { outcome: 'ok', items, state, first, bodyBytes: got.body.length, degraded: parsed.degraded, notes: parsed.notes };
}

function validators(v: { etag?: string | null | undefined; lastModified?: string | null | undefined }, state: SourceState) {
  return { etag: v.etag ?? state.etag ?? null, lastModified: v.lastModified ?? state.lastModified ?? null };
}

function failed(state: SourceState, now: Date, random: () => number, message: string, unitMs: number): Poll {
  return waited(state, now, backoffMs(state.failures + 1, random, unitMs), message, false);
}

/**
 * The source waits `waitMs` (a day at most) before its next poll. The wait counts as a failure,
 * so `once`, which ignores schedules, honours it too. A `held` source made no request (its host
 * is being left alone): skipped, but its wait is stored, so the next run skips it as well.
 */
function waited(state: SourceState, now: Date, waitMs: number, message: string, held: boolean): Poll {
  const nextPoll = timeAfter(now, waitMs, MAX_FEED_WAIT_MS, `source ${state.id}: nextPoll`);
  const error = held ? `waiting until ${nextPoll}: ${message}` : message;
  const next: SourceState = { ...state, failures: state.failures + 1, lastError: error, lastErrorAt: storedTime(now, `source ${state.id}: lastErrorAt`), nextPoll };
  return held ? { outcome: 'skipped', items: [], error, state: next, first: false, held } : { outcome: 'error', items: [], error, state: next, first: false };
}

/** When the schedule runs the source next; shown by `status`, so a time that cannot be stored is none. */
function scheduledTime(next: Date | null | undefined): string | null {
  const text = next && !Number.isNaN(next.getTime()) ? next.toISOString() : '';
  return isStoredTime(text) ? text : null;
}
