// Prometheus metrics: every name starts pactwatch_, and pactwatch_build_info is always present.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

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
