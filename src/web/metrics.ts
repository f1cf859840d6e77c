// Prometheus metrics: every name starts pactwatch_, and pactwatch_build_info is always present.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StreamStatus } from '../model/stream.js';

export interface Metrics {
  registry: Registry;
  polls: Counter<'source' | 'outcome'>;
  items: Counter<'source'>;
  assertions: Counter;
  transitions: Counter<'tracker'>;
  posts: Counter<'state'>;
  pollSeconds: Histogram<'source'>;
  outboxDepth: Gauge;
}

export function createMetrics(version: string): Metrics {
  const registry = new Registry();
  const build = new Gauge({ name: 'pactwatch_build_info', help: 'Build information; always 1.', labelNames: ['version', 'node'], registers: [registry] });
  build.set({ version, node: process.version }, 1);
  // The process's own figures (memory, CPU, event-loop lag, handles), under the same prefix.
  collectDefaultMetrics({ register: registry, prefix: 'pactwatch_' });
  return {
    registry,
    polls: new Counter({ name: 'pactwatch_polls_total', help: 'Source polls by outcome.', labelNames: ['source', 'outcome'], registers: [registry] }),
    items: new Counter({ name: 'pactwatch_items_total', help: 'New items stored, by source.', labelNames: ['source'], registers: [registry] }),
    assertions: new Counter({ name: 'pactwatch_assertions_total', help: 'Assertions extracted from new items.', registers: [registry] }),
    transitions: new Counter({ name: 'pactwatch_transitions_total', help: 'Confirmed status changes.', labelNames: ['tracker'], registers: [registry] }),
    posts: new Counter({ name: 'pactwatch_posts_total', help: 'Publishing attempts by resulting state.', labelNames: ['state'], registers: [registry] }),
    pollSeconds: new Histogram({ name: 'pactwatch_poll_duration_seconds', help: 'Time to fetch and parse one source.', labelNames: ['source'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20], registers: [registry] }),
    outboxDepth: new Gauge({ name: 'pactwatch_outbox_depth', help: 'Alerts queued or held.', registers: [registry] }),
  };
}

/**
 * Each live stream's figures, read from `streams` at scrape time: the counts live in the stream
 * connection, so a scrape sets them rather than the stream incrementing metrics as it goes.
 * Events per second is `rate(pactwatch_stream_events_total[5m])`.
 */
export function registerStreamMetrics(registry: Registry, streams: () => StreamStatus[]): void {
  const labelNames = ['source'] as const;
  const counter = (name: string, help: string, figure: (s: StreamStatus) => number) =>
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        // A counter only goes up: reset and add the stream's own count, which only goes up while the daemon runs.
        this.reset();
        for (const s of streams()) this.inc({ source: s.sourceId }, figure(s));
      },
    });
  const gauge = (name: string, help: string, figure: (s: StreamStatus) => number) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const s of streams()) this.set({ source: s.sourceId }, figure(s));
      },
    });
  counter('pactwatch_stream_events_total', 'Stream events processed since the daemon started (posts and the rest); events per second is its rate().', (s) => s.events);
  gauge('pactwatch_stream_lag_seconds', 'How far the stream is behind the present: now minus the time up to which every event is processed. /healthz fails past the source\'s maxLag.', (s) => s.lagSeconds);
  counter('pactwatch_stream_reconnects_total', 'Stream connections made after the first, since the daemon started.', (s) => s.reconnects);
  counter('pactwatch_stream_prefilter_posts_total', 'Firehose posts put to the prefilter since the daemon started; the hit-rate is pactwatch_stream_prefilter_hits_total divided by this.', (s) => s.prefiltered);
  counter('pactwatch_stream_prefilter_hits_total', 'Firehose posts the prefilter let through to extraction; hit-rate = this / pactwatch_stream_prefilter_posts_total.', (s) => s.prefilterHits);
  gauge('pactwatch_stream_connected', '1 while the stream is connected (catching up or live), else 0.', (s) => (s.phase === 'live' || s.phase === 'catching-up' ? 1 : 0));
  gauge('pactwatch_stream_paused', '1 while the stream\'s socket is paused because extraction is behind, else 0.', (s) => (s.paused ? 1 : 0));
}
