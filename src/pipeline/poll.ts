// Polling sources into the pipeline: what `pactwatch once` and the daemon share. Apart from the
// other commands' code, so that the commands that fetch nothing (replay, status, alerts) load no
// network code.
import type { App } from '../app.js';
import type { Source } from '../config/types.js';
import type { Item } from '../model/item.js';
import { processBatch, type ItemResult } from './process.js';
import type { Metrics } from '../web/metrics.js';
import type { Fetcher } from '../http/fetch.js';
import { differentStories, keyItems } from '../sources/guids.js';
import { pollSource, type Poll, type PollDeps, type PollOutcome } from '../sources/poll.js';
import type { BlueskyReader } from '../sources/bluesky.js';
import { configuredAccounts, knownAccounts, type KnownAccounts } from '../sources/bluesky-accounts.js';
import { canonicalUrl } from '../text/urls.js';
import { anyWordIn } from '../extract/word-patterns.js';
import { intervalMs, nextRun } from './scheduler.js';
import { withdrawDeleted, type Withdrawal } from './withdraw.js';

export interface SourceReport {
  id: string;
  outcome: PollOutcome;
  items: number;
  newItems: number;
  error?: string;
  /** Something the operator should know that is not an error: the feed's GUIDs found unreliable. */
  warning?: string;
  /** An `ok` poll of a document read only in part: why. */
  degraded?: string;
}

export interface Ingested {
  results: ItemResult[];
  /** Set when this poll found that the source's GUIDs do not identify its items. */
  warning?: string | undefined;
  /** The stored posts the poll said were deleted, and what withdrawing them did. */
  withdrawn: Withdrawal[];
}

/**
 * One poll's items through the pipeline in one batch, with the source's new state, in one
 * transaction. A source's first successful poll is catch-up: recorded, never posted. Items are
 * keyed first: by GUID while the source's GUIDs name one story each, else by link and text.
 * Then the posts the poll says were deleted are withdrawn (after the items: a post made and
 * deleted within one catch-up is stored, then withdrawn).
 */
export function ingest(app: App, poll: Poll): Ingested {
  return app.store.transaction(
    () => {
      const keyed = keyItems(poll.items, poll.state.unreliableGuids, (guid) => app.store.itemByGuid(poll.state.id, guid));
      const results = keyed.items.length ? processBatch(app, keyed.items, { silent: poll.first }) : [];
      const withdrawn = poll.deleted?.length ? withdrawDeleted(app, poll.deleted, app.deps.now()) : [];
      if (poll.outcome !== 'skipped' || poll.held) app.store.saveSourceState({ ...poll.state, unreliableGuids: keyed.unreliableGuids });
      return { results, warning: keyed.found, withdrawn };
    },
    // Items may queue alerts, and deletes retract them; a poll that brought neither need not wait for the disk.
    { durable: poll.items.length > 0 || (poll.deleted?.length ?? 0) > 0 },
  );
}

/** Counts the new items of an ingest in the daemon's metrics (items, assertions, transitions) and gives them. */
export function countFresh(metrics: Pick<Metrics, 'items' | 'assertions' | 'transitions'>, sourceId: string, results: ItemResult[]): ItemResult[] {
  const fresh = results.filter((r) => !r.duplicate);
  metrics.items.inc({ source: sourceId }, fresh.length);
  metrics.assertions.inc(fresh.reduce((n, r) => n + r.assertions, 0));
  for (const r of fresh) for (const t of r.transitions) metrics.transitions.inc({ tracker: t.tracker });
  return fresh;
}

/** The new items of a poll that extraction refused (over the per-item bound), with why: logged as warnings. */
export function refusedItems(poll: Poll, results: ItemResult[]): { id: string; reason: string }[] {
  return results.flatMap((r, i) => (r.failed === undefined ? [] : [{ id: poll.items[i]!.id, reason: r.failed }]));
}

/**
 * Article pages are fetched only for new items that name a party (the extractor's prefilter).
 * An item is new unless its link is stored or its GUID names the same story stored (a GUID that
 * a feed gives every item does not make a new story old).
 */
export function wantsArticle(app: App): (item: Item) => boolean {
  return (item) => {
    if (!app.extractor.compiled.anyPartyRe.test(`${item.title ?? ''} ${item.text}`)) return false;
    const link = canonicalUrl(item.url);
    if (link !== undefined && app.store.knowsUrl(link)) return false;
    const stored = app.store.itemByGuid(item.sourceId, item.id);
    return stored === undefined || differentStories(stored, item);
  };
}

/**
 * The accounts with each handle's DID too, for the stream, which knows authors only by DID.
 * Asked at each catch-up: a DID resolved over a day ago is asked for again. Streams that ask at
 * once (authors and firehose in one pass) share one answer.
 */
export function streamAccounts(app: Pick<App, 'config' | 'store' | 'deps'>, reader: Pick<BlueskyReader, 'resolveHandle'> | undefined): () => Promise<KnownAccounts> {
  const resolve = async (handle: string) => {
    if (!reader) throw new Error('no Bluesky reader configured');
    return reader.resolveHandle(handle);
  };
  let asking: Promise<KnownAccounts> | undefined;
  return () => (asking ??= knownAccounts(app.config.sources, { resolve, cache: app.store.handles, now: app.deps.now }).finally(() => (asking = undefined)));
}

/**
 * What a poll needs from the app: its clock and randomness, the Bluesky reader, the accounts and
 * which articles to fetch, and each source's schedule. `scheduled` (the daemon) polls a source
 * only when it is due; otherwise (`once`) every source is polled, and since no schedule runs, a
 * failure backs off in minutes rather than in the source's own interval.
 */
export async function pollDeps(app: App, options: { scheduled: boolean }): Promise<PollDeps> {
  const bluesky = await app.bluesky();
  return {
    now: app.deps.now,
    random: app.deps.random,
    force: !options.scheduled,
    bluesky,
    accounts: configuredAccounts(app.config.sources),
    wantsArticle: wantsArticle(app),
    nextRun: (s) => nextRun(s.schedule),
    ...(options.scheduled ? { intervalMs: (s: Source) => intervalMs(s.schedule) } : {}),
    stop: app.deps.stop,
    stream: { prefilter: streamPrefilter(app), allowPrivateNetwork: app.settings.allowPrivateNetwork, knownAccounts: streamAccounts(app, bluesky) },
  };
}

/**
 * The firehose's cheap test, one scan of a post: does it name any party or any tracker's
 * agreement (an official account's "we signed the CAISI agreement" names no party)? Loose on
 * purpose (no word boundaries): extraction decides; this only spares it most of the firehose.
 */
export function streamPrefilter(app: Pick<App, 'config'>): (text: string) => boolean {
  const names = app.config.trackers.flatMap((t) => [...t.parties.flatMap((p) => p.aliases), ...t.agreement.aliases].map((a) => a.text));
  return anyWordIn(names);
}

/**
 * Polls every source (each host one request at a time), then ingests each source's items. An
 * item extraction refuses is told to `onRefused`, and what a feed said that lost nothing (a date
 * in the future read as now) to `onNote`; the poll goes on.
 */
export async function pollAll(
  app: App,
  deps: PollDeps,
  options: { fetcher?: Fetcher; onRefused?: (source: string, item: string, reason: string) => void; onNote?: (source: string, note: string) => void } = {},
): Promise<SourceReport[]> {
  const fetcher = options.fetcher ?? (await app.fetcher());
  const accounts = configuredAccounts(app.config.sources);
  const polls = await Promise.all(app.config.sources.map((s) => pollSource(fetcher, s, app.store.sourceState(s.id), { accounts, wantsArticle: wantsArticle(app), ...deps })));
  return app.config.sources.map((s, i) => {
    const poll = polls[i]!;
    const { results, warning, withdrawn } = ingest(app, poll);
    for (const r of refusedItems(poll, results)) options.onRefused?.(s.id, r.id, r.reason);
    for (const n of poll.notes ?? []) options.onNote?.(s.id, n);
    for (const n of withdrawn.flatMap((w) => w.notes)) options.onNote?.(s.id, n);
    const report: SourceReport = { id: s.id, outcome: poll.outcome, items: poll.items.length, newItems: results.filter((r) => !r.duplicate).length };
    if (poll.error) report.error = poll.error;
    if (warning) report.warning = warning;
    if (poll.degraded) report.degraded = poll.degraded;
    return report;
  });
}
