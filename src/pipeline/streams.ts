// The daemon's bluesky-stream sources: one live connection each instead of a schedule. Each batch
// goes through the pipeline as a poll, its cursor stored in the same transaction as its items;
// a batch that made alerts asks for the outbox at once; a span the stream no longer holds is
// polled from the bluesky-search and bluesky-author sources.
import type { App } from '../app.js';
import { initialStatus, type StreamStatus } from '../model/stream.js';
import type { Metrics } from '../web/metrics.js';
import { caughtUpState, storedCursor } from '../sources/jetstream.js';
import { DEFAULT_MAX_LAG_SECONDS, startStream, type LiveStream, type StreamBatch, type StreamTuning } from '../sources/jetstream-live.js';
import { followedDids } from '../sources/jetstream-read.js';
import type { KnownAccounts } from '../sources/bluesky-accounts.js';
import { initialState, type Poll } from '../sources/poll.js';
import type { Source } from '../config/types.js';
import { countFresh, ingest, refusedItems, streamPrefilter } from './poll.js';

export interface Streams {
  statuses(): StreamStatus[];
  /** Closes every connection; a batch being stored is finished, none is stored in part. */
  stop(): Promise<void>;
}

/** The stream subsystem's logger (pino's shape). */
export interface StreamLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface StreamsDeps {
  log: StreamLog;
  metrics: Pick<Metrics, 'items' | 'assertions' | 'transitions'>;
  /** Drains the outbox now (the caller runs one drain at a time). */
  publish: () => void;
  /** Polls a source now, whatever its schedule. */
  pollNow: (id: string) => void;
  /** The configured Bluesky accounts, handles resolved to DIDs (asked once, at start). */
  accounts: () => Promise<KnownAccounts>;
  tuning?: Partial<StreamTuning> | undefined;
}

/** Sources that read Bluesky by polling: what covers a span a stream no longer holds. */
const FALLBACK_KINDS = new Set(['bluesky-search', 'bluesky-author']);

export function startStreams(app: App, deps: StreamsDeps): Streams {
  const { log } = deps;
  const prefilter = streamPrefilter(app);
  const fallback = app.config.sources.filter((s) => FALLBACK_KINDS.has(s.kind)).map((s) => s.id);

  const store = (sourceId: string, batch: StreamBatch) => {
    const source = app.config.sources.find((s) => s.id === sourceId)!;
    const state = app.store.sourceState(sourceId) ?? initialState(source);
    const poll: Poll = { outcome: 'ok', items: batch.items, ...(batch.deleted.length ? { deleted: batch.deleted } : {}), state: caughtUpState(state, batch.cursorUs), first: batch.first };
    const { results, withdrawn } = ingest(app, poll);
    for (const w of withdrawn) log.info({ source: sourceId, post: w.uri, retracted: w.retracted, notes: w.notes }, 'deleted post withdrawn');
    for (const r of refusedItems(poll, results)) log.warn({ source: sourceId, item: r.id, reason: r.reason }, 'item recorded as failed, not read');
    // Only a batch with new items is counted and logged: most firehose batches have none.
    const fresh = results.some((r) => !r.duplicate) ? countFresh(deps.metrics, sourceId, results) : [];
    if (fresh.length) {
      log.info({ source: sourceId, items: batch.items.length, newItems: fresh.length }, 'stream items');
    }
    if (fresh.some((r) => r.alerts.length)) deps.publish();
  };

  const gap = (sourceId: string, from: string, to: string) => {
    if (fallback.length === 0) return log.warn({ source: sourceId, from, to }, 'stream gap: the stream no longer holds this span, and no bluesky-search or bluesky-author source is configured, so it cannot be filled');
    log.warn({ source: sourceId, from, to, polling: fallback }, 'stream gap: the stream no longer holds this span; the bluesky-search and bluesky-author sources are polled now to cover it');
    for (const id of fallback) deps.pollNow(id);
  };

  const sources = app.config.sources.filter((s) => s.kind === 'bluesky-stream');
  const live = new Map<string, LiveStream>();
  /** A stream that follows nobody is not connected (it would read the whole firehose for nothing). */
  const idle = new Map<string, StreamStatus>();
  const open = (source: Source, accounts: Map<string, Source>) =>
    startStream(source, {
      now: app.deps.now,
      random: app.deps.random,
      accounts,
      prefilter,
      allowPrivateNetwork: app.settings.allowPrivateNetwork,
      cursor: () => storedCursor(app.store.sourceState(source.id)),
      onBatch: (batch) => store(source.id, batch),
      onGap: (from, to) => gap(source.id, from, to),
      log: (level, message, fields) => log[level](fields, message),
      tuning: deps.tuning,
    });
  // The accounts are asked for before any stream connects: an authors stream follows their DIDs.
  const started = sources.length === 0 ? Promise.resolve() : deps.accounts().then(({ accounts, warnings }) => {
    for (const warning of warnings) log.warn({ warning }, 'bluesky account not followed');
    for (const source of sources) {
      if (stopped) return;
      if (source.mode === 'authors' && followedDids(accounts).length === 0) {
        const why = `authors mode follows nobody: ${warnings.length ? warnings.join('; ') : 'no bluesky-author source is configured'}`;
        log.warn({ source: source.id, error: why }, 'stream not started');
        idle.set(source.id, { ...initialStatus(source.id, source.maxLag ?? DEFAULT_MAX_LAG_SECONDS), phase: 'waiting', lastError: why });
      } else live.set(source.id, open(source, accounts));
    }
  });
  let stopped = false;
  return {
    statuses: () => sources.map((s) => live.get(s.id)?.status() ?? idle.get(s.id) ?? initialStatus(s.id, s.maxLag ?? DEFAULT_MAX_LAG_SECONDS)),
    stop: async () => {
      stopped = true;
      await started.catch(() => undefined);
      await Promise.all([...live.values()].map((s) => s.stop()));
    },
  };
}

