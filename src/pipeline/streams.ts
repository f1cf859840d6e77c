// The daemon's bluesky-stream sources: one live connection each instead of a schedule. Each batch
// goes through the pipeline as a poll, its cursor stored in the same transaction as its items;
// a batch that made alerts asks for the outbox at once; a span the stream no longer holds is
// polled from the bluesky-search and bluesky-author sources.
import type { App } from '../app.js';
import type { StreamStatus } from '../model/stream.js';
import type { Metrics } from '../web/metrics.js';
import { caughtUpState, storedCursor } from '../sources/jetstream.js';
import { startStream, type LiveStream, type StreamBatch, type StreamTuning } from '../sources/jetstream-live.js';
import { initialState, type Poll } from '../sources/poll.js';
import { blueskyAccounts, ingest, refusedItems, streamPrefilter } from './poll.js';

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
  tuning?: Partial<StreamTuning> | undefined;
}

/** Sources that read Bluesky by polling: what covers a span a stream no longer holds. */
const FALLBACK_KINDS = new Set(['bluesky-search', 'bluesky-author']);

export function startStreams(app: App, deps: StreamsDeps): Streams {
  const { log } = deps;
  const accounts = blueskyAccounts(app);
  const prefilter = streamPrefilter(app);
  const fallback = app.config.sources.filter((s) => FALLBACK_KINDS.has(s.kind)).map((s) => s.id);

  const store = (sourceId: string, batch: StreamBatch) => {
    const source = app.config.sources.find((s) => s.id === sourceId)!;
    const state = app.store.sourceState(sourceId) ?? initialState(source);
    const poll: Poll = { outcome: 'ok', items: batch.items, ...(batch.deleted.length ? { deleted: batch.deleted } : {}), state: caughtUpState(state, batch.cursorUs), first: batch.first };
    const { results, withdrawn } = ingest(app, poll);
    for (const w of withdrawn) log.info({ source: sourceId, post: w.uri, retracted: w.retracted, notes: w.notes }, 'deleted post withdrawn');
    for (const r of refusedItems(poll, results)) log.warn({ source: sourceId, item: r.id, reason: r.reason }, 'item recorded as failed, not read');
    const fresh = results.filter((r) => !r.duplicate);
    if (fresh.length) {
      deps.metrics.items.inc({ source: sourceId }, fresh.length);
      deps.metrics.assertions.inc(fresh.reduce((n, r) => n + r.assertions, 0));
      for (const r of fresh) for (const t of r.transitions) deps.metrics.transitions.inc({ tracker: t.tracker });
      log.info({ source: sourceId, items: batch.items.length, newItems: fresh.length }, 'stream items');
    }
    if (fresh.some((r) => r.alerts.length)) deps.publish();
  };

  const gap = (sourceId: string, from: string, to: string) => {
    if (fallback.length === 0) return log.warn({ source: sourceId, from, to }, 'stream gap: the stream no longer holds this span, and no bluesky-search or bluesky-author source is configured, so it cannot be filled');
    log.warn({ source: sourceId, from, to, polling: fallback }, 'stream gap: the stream no longer holds this span; the bluesky-search and bluesky-author sources are polled now to cover it');
    for (const id of fallback) deps.pollNow(id);
  };

  const live: LiveStream[] = app.config.sources
    .filter((s) => s.kind === 'bluesky-stream')
    .map((source) =>
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
      }),
    );
  return {
    statuses: () => live.map((s) => s.status()),
    stop: async () => void (await Promise.all(live.map((s) => s.stop()))),
  };
}
