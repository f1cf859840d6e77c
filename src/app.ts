// The composition root: builds the app (store, extractor, fetcher, Bluesky reader, publisher)
// from the config, the runtime settings and one set of dependencies (fetch, clock, randomness, logger).
import type { Config } from './config/types.js';
import type { AppSettings } from './config/settings.js';
import { compileConfig } from './extract/compile.js';
import { createExtractor, type Extractor } from './extract/extract.js';
import type { Logger } from './logger.js';
import { CopyFinder } from './pipeline/copies.js';
import type { Pipeline } from './pipeline/process.js';
import { dryRunPublisher, type Publisher } from './publish/dry-run.js';
import type { BlueskyReader } from './sources/bluesky.js';
import type { Fetcher, FetchSettings } from './http/fetch.js';
import { databaseError } from './store/db.js';
import { openStore } from './store/open.js';

/** The side effects the app reaches the world through; tests give their own. */
export interface Deps {
  /** For the Bluesky clients (feeds and pages go through the Fetcher's own undici agents). */
  fetch: typeof globalThis.fetch;
  now: () => Date;
  random: () => number;
  /** The daemon's logger (what the outbox did); the one-shot commands write their few lines to stderr themselves. */
  logger?: Logger | undefined;
  /** The daemon's signal to cut work short: it ends every request in flight (feeds, pages, Bluesky). */
  stop?: AbortSignal | undefined;
}

/** The real fetch, clock and randomness, with `over` in their place. */
export function realDeps(over: Partial<Deps> = {}): Deps {
  return { fetch: globalThis.fetch, now: () => new Date(), random: Math.random, ...over };
}

/** What an app is made of, and how it holds the ledger. */
export interface AppConfig {
  config: Config;
  settings: AppSettings;
  /** Hold the single-writer lock (run, once, replay); without it the ledger is still opened to write. */
  writer: boolean;
  /** Seed party statuses from the config's initial statuses (false: every party starts unknown); default true. */
  seed?: boolean | undefined;
}

export interface App extends Pipeline {
  settings: AppSettings;
  deps: Deps;
  /** Set when the database had no party rows before this start: a fresh install. */
  fresh: boolean;
  /** The one fetcher for feeds, article pages and link cards (built on first use: undici is heavy to load). */
  fetcher(): Promise<Fetcher>;
  /** A Bluesky reader when a source needs one (@atproto/api is loaded only then). */
  bluesky(): Promise<BlueskyReader | undefined>;
  /** The publisher for this run (built on first use: the Bluesky client is heavy to load). */
  publisher(): Promise<Publisher>;
  /** Closes the fetcher (when one was built), then the database, then lets go of the lock. */
  close(): Promise<void>;
}

export function openApp(from: AppConfig, deps: Deps): App {
  const { config, settings } = from;
  const ledger = openStore(settings.dbPath, from.writer ? 'writer' : 'write', deps.now);
  const { store } = ledger;
  let fresh: boolean;
  try {
    fresh = store.transaction(() => {
      const empty = store.createdAt.get() === undefined;
      if (empty) store.createdAt.set(deps.now().toISOString());
      store.seed(config.trackers, from.seed ?? true);
      return empty;
    });
  } catch (err) {
    ledger.close();
    throw databaseError(settings.dbPath, err);
  }
  let extractor: Extractor | undefined;
  let fetcher: Promise<Fetcher> | undefined;
  let reader: Promise<BlueskyReader | undefined> | undefined;
  let publisher: Promise<Publisher> | undefined;
  const app: App = {
    config,
    settings,
    deps,
    fresh,
    store,
    // Compiled when first asked for: replay extracts in its worker thread and never asks here.
    get extractor() {
      return (extractor ??= createExtractor(compileConfig(config)));
    },
    publishMode: settings.publishMode,
    copies: new CopyFinder(),
    fetcher: () => (fetcher ??= buildFetcher(settings, deps)),
    bluesky: () => (reader ??= buildReader(config, settings, deps)),
    publisher: () => (publisher ??= buildPublisher(app)),
    close() {
      // Without a fetcher the database closes before this returns, as callers that do not wait expect.
      if (!fetcher) return Promise.resolve(ledger.close());
      return fetcher.then((f) => f.close()).finally(() => ledger.close());
    },
  };
  return app;
}

/** The fetch layer's settings: pactwatch.yaml's `fetch`, and PACTWATCH_ALLOW_PRIVATE_NETWORK. */
export function fetchSettings(settings: Pick<AppSettings, 'fetch' | 'allowPrivateNetwork'>): FetchSettings {
  const f = settings.fetch;
  return {
    allowPrivateNetwork: settings.allowPrivateNetwork,
    maxBytes: f.maxBytes,
    deadlineMs: f.deadlineSeconds * 1000,
    connectTimeoutMs: f.connectTimeoutSeconds * 1000,
    maxRedirects: f.maxRedirects,
    hostSpacingMs: f.hostSpacingSeconds * 1000,
    userAgent: `pactwatch/0.1 (news monitor; +${f.contact})`,
  };
}

async function buildFetcher(settings: AppSettings, deps: Deps): Promise<Fetcher> {
  const { Fetcher } = await import('./http/fetch.js');
  return new Fetcher(fetchSettings(settings), { random: deps.random, now: () => deps.now().getTime(), ...(deps.stop ? { stop: deps.stop } : {}) });
}

async function buildReader(config: Config, settings: AppSettings, deps: Deps): Promise<BlueskyReader | undefined> {
  if (!config.sources.some((s) => s.kind === 'bluesky-search' || s.kind === 'bluesky-author')) return undefined;
  const { BlueskyReader } = await import('./sources/bluesky.js');
  return new BlueskyReader(settings.bluesky.access(), { stop: deps.stop, fetch: deps.fetch });
}

/**
 * The dry run when the mode says so or no credentials are set (it never fails for want of them);
 * otherwise Bluesky, with the app password checked first.
 */
async function buildPublisher(app: App): Promise<Publisher> {
  const { config, settings, store, deps } = app;
  const access = settings.bluesky.access();
  if (settings.publishMode === 'dry-run' || access.identifier === undefined || access.password === undefined) return dryRunPublisher();
  const { BlueskyPublisher } = await import('./publish/bluesky/publisher.js');
  const { renderBoard } = await import('./alert/board.js');
  return new BlueskyPublisher({ service: access.service, identifier: access.identifier, password: access.password }, store, {
    fetch: deps.fetch,
    now: deps.now,
    random: deps.random,
    stop: deps.stop,
    botLabel: settings.publish.botLabel,
    thread: settings.publish.thread,
    // Link cards fetch the pages alerts cite: URLs from feed items, guarded like the feeds.
    pages: await app.fetcher(),
    board: (alert) => {
      const tracker = config.trackers.find((t) => t.id === alert.tracker);
      if (!tracker) return undefined;
      const rows = tracker.parties.map((p) => ({ name: p.name, status: store.partyState(tracker.id, p.id).status }));
      return renderBoard(tracker.name, rows, deps.now().toISOString().slice(0, 10));
    },
  });
}
