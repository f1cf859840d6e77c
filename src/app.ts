// Builds the app from config and its dependencies: the store, the extractor, the publisher.
import { existsSync, readFileSync } from 'node:fs';
import type { BlueskyAccess } from './sources/bluesky.js';

/** Bluesky's public service: where posts go and searches are asked, unless BSKY_SERVICE says otherwise. */
export const DEFAULT_BSKY_SERVICE = 'https://bsky.social';
import { loadConfig, type Config } from './config/load.js';
import type { Env } from './config/env.js';
import { compileConfig } from './extract/compile.js';
import { createExtractor } from './extract/extract.js';
import { ConfigError } from './errors.js';
import { PUBLISH_MODES, type PublishMode } from './model/alert.js';
import type { Pipeline } from './pipeline.js';
import { dryRunPublisher, type Publisher } from './publish/dry-run.js';
import { acquireWriterLock, databaseError, openDatabase } from './store/db.js';
import { Store } from './store/store.js';

export interface App extends Pipeline {
  /** The publisher for this run (built on first use: the Bluesky client is heavy to load). */
  publisher(): Promise<Publisher>;
  /** Set when the database had no party rows before this start: a fresh install. */
  fresh: boolean;
  /** Every fetch may reach internal addresses (PACTWATCH_ALLOW_PRIVATE_NETWORK=1). */
  allowPrivateNetwork: boolean;
  close(): void;
}

export function publishModeOf(config: Config, env: Env): PublishMode {
  const mode = env.publishMode ?? config.settings.publish.mode;
  if (!(PUBLISH_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError([{ file: 'PACTWATCH_PUBLISH_MODE', message: `"${mode}" is not one of ${PUBLISH_MODES.join(', ')}` }]);
  }
  return mode as PublishMode;
}

/** PACTWATCH_ALLOW_PRIVATE_NETWORK: 1 or true lets every fetch reach internal addresses; unset, 0 or false does not. */
export function allowPrivateNetworkOf(env: Env): boolean {
  const value = env.allowPrivateNetwork?.toLowerCase();
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ConfigError([{ file: 'PACTWATCH_ALLOW_PRIVATE_NETWORK', message: `"${env.allowPrivateNetwork}" is not one of 1, true, 0, false` }]);
}

/**
 * The publisher for this run: the dry run when the mode says so or no credentials are set (it
 * never fails for want of them); otherwise Bluesky, with the app password checked first.
 */
export async function publisherFor(mode: PublishMode, env: Env, store: Store, config: Config, stop?: AbortSignal): Promise<Publisher> {
  const { settings } = config;
  const access = blueskyAccess(env);
  if (mode === 'dry-run' || access.identifier === undefined || access.password === undefined) return dryRunPublisher();
  const { BlueskyPublisher } = await import('./publish/bluesky.js');
  const { Fetcher } = await import('./sources/fetch.js');
  const { fetchSettings } = await import('./sources/poll.js');
  const { renderBoard } = await import('./alert/board.js');
  return new BlueskyPublisher({ service: access.service, identifier: access.identifier, password: access.password }, store, {
    botLabel: settings.publish.botLabel,
    thread: settings.publish.thread,
    // Link cards fetch the pages alerts cite: URLs from feed items, guarded like the feeds.
    pages: new Fetcher(fetchSettings(settings, allowPrivateNetworkOf(env)), { stop }),
    stop,
    board: (alert) => {
      const tracker = config.trackers.find((t) => t.id === alert.tracker);
      if (!tracker) return undefined;
      const rows = tracker.parties.map((p) => ({ name: p.name, status: store.partyState(tracker.id, p.id).status }));
      return renderBoard(tracker.name, rows, new Date().toISOString().slice(0, 10));
    },
  });
}

/**
 * Whether the environment names a Bluesky account to post as: an identifier and an app password
 * (or a file holding one). Said without reading the file: a file that cannot be read is still
 * meant to post.
 */
export function blueskyConfigured(env: Env): boolean {
  return env.bskyIdentifier !== undefined && (env.bskyAppPassword !== undefined || env.bskyAppPasswordFile !== undefined);
}

/** Bluesky's service and credentials from the environment; the password may come from a file. */
export function blueskyAccess(env: Env): BlueskyAccess {
  let password = env.bskyAppPassword;
  if (password === undefined && env.bskyAppPasswordFile !== undefined) {
    try {
      password = readFileSync(env.bskyAppPasswordFile, 'utf8').trim();
    } catch (err) {
      throw new ConfigError([{ file: env.bskyAppPasswordFile, message: `BSKY_APP_PASSWORD_FILE cannot be read: ${(err as Error).message}` }]);
    }
  }
  return { service: env.bskyService ?? DEFAULT_BSKY_SERVICE, identifier: env.bskyIdentifier, password };
}

export interface OpenOptions {
  configDir: string;
  dbPath: string;
  env: Env;
  /** Take the single-writer lock (run, once, replay). */
  writer: boolean;
  /** Seed party statuses from config's initial statuses (false: every party starts unknown). */
  useInitial?: boolean;
  now?: () => Date;
  /** The config, when the caller has loaded it already. */
  config?: Config;
  /** The daemon's stop signal: it ends the publisher's requests in flight. */
  stop?: AbortSignal;
}

export function openApp(o: OpenOptions): App {
  const config = o.config ?? loadConfig(o.configDir);
  const publishMode = publishModeOf(config, o.env);
  const allowPrivateNetwork = allowPrivateNetworkOf(o.env);
  const release = o.writer ? acquireWriterLock(o.dbPath) : () => {};
  try {
    const db = openDatabase(o.dbPath);
    const store = new Store(db, o.now);
    let publisher: Promise<Publisher> | undefined;
    const fresh = store.transaction(() => {
      const empty = store.createdAt.get() === undefined;
      if (empty) store.createdAt.set((o.now?.() ?? new Date()).toISOString());
      store.seed(config.trackers, o.useInitial ?? true);
      return empty;
    });
    return {
      config,
      store,
      extractor: createExtractor(compileConfig(config)),
      publishMode,
      publisher: () => (publisher ??= publisherFor(publishMode, o.env, store, config, o.stop)),
      fresh,
      allowPrivateNetwork,
      close() {
        db.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw databaseError(o.dbPath, err);
  }
}

export function databaseExists(path: string): boolean {
  return existsSync(path);
}
