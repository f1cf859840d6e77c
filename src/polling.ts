// Polling every source into the pipeline: what `pactwatch once` and the daemon share. Apart
// from commands.ts, so that the commands that fetch nothing (replay, status, alerts) load no
// network code.
import { blueskyAccess, type App } from './app.js';
import type { Env } from './config/env.js';
import type { Source } from './config/load.js';
import { processBatch, type Item, type ItemResult } from './pipeline.js';
import type { BlueskyReader } from './sources/bluesky.js';
import { Fetcher } from './sources/fetch.js';
import { fetchSettings, pollSource, type Poll, type PollDeps, type PollOutcome } from './sources/poll.js';
import { canonicalUrl } from './store/dedupe.js';

export interface SourceReport {
  id: string;
  outcome: PollOutcome;
  items: number;
  newItems: number;
  error?: string;
}

/**
 * One poll's items through the pipeline in one batch, with the source's new state, in one
 * transaction. A source's first successful poll is catch-up: recorded, never posted.
 */
export function ingest(app: App, poll: Poll): ItemResult[] {
  return app.store.transaction(
    () => {
      const r = poll.items.length ? processBatch(app, poll.items, { silent: poll.first }) : [];
      if (poll.outcome !== 'skipped') app.store.saveSourceState(poll.state);
      return r;
    },
    // Items may queue alerts; a poll that brought none need not wait for the disk.
    { durable: poll.items.length > 0 },
  );
}

/** Article pages are fetched only for new items that name a party (the extractor's prefilter). */
export function wantsArticle(app: App): (item: Item) => boolean {
  return (item) =>
    !app.store.knows(item.sourceId, item.id, canonicalUrl(item.url)) && app.extractor.compiled.anyPartyRe.test(`${item.title ?? ''} ${item.text}`);
}

/** Bluesky accounts configured as sources, by handle: their trust travels with their posts. */
export function blueskyAccounts(app: App): Map<string, Source> {
  return new Map(app.config.sources.filter((s) => s.kind === 'bluesky-author' && s.actor).map((s) => [s.actor!.replace(/^@/, ''), s]));
}

/**
 * A Bluesky reader when a source needs one; @atproto/api is loaded only then (it doubles
 * start-up). `stop`: the daemon's signal that ends its requests in flight.
 */
export async function blueskyReader(app: App, env: Env, stop?: AbortSignal): Promise<BlueskyReader | undefined> {
  if (!app.config.sources.some((s) => s.kind.startsWith('bluesky-'))) return undefined;
  return new (await import('./sources/bluesky.js')).BlueskyReader(blueskyAccess(env), { stop });
}

/** Polls every source (each host one request at a time), then ingests each source's items. */
export async function pollAll(app: App, deps: PollDeps, fetcher?: Fetcher): Promise<SourceReport[]> {
  const own = fetcher ?? new Fetcher(fetchSettings(app.config.settings));
  const accounts = blueskyAccounts(app);
  try {
    const polls = await Promise.all(app.config.sources.map((s) => pollSource(own, s, app.store.sourceState(s.id), { accounts, wantsArticle: wantsArticle(app), ...deps })));
    return app.config.sources.map((s, i) => {
      const poll = polls[i]!;
      const results = ingest(app, poll);
      const report: SourceReport = { id: s.id, outcome: poll.outcome, items: poll.items.length, newItems: results.filter((r) => !r.duplicate).length };
      if (poll.error) report.error = poll.error;
      return report;
    });
  } finally {
    if (!fetcher) await own.close();
  }
}
