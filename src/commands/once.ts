// `pactwatch once [--json]`: one pass over every source and the publisher, then exit.
import { realDeps, type Deps } from '../app.js';
import type { Runtime } from '../config/settings.js';
import { drain } from '../pipeline/drain.js';
import { pollAll, pollDeps, type SourceReport } from '../pipeline/poll.js';
import { openCommandApp } from './open.js';
import { alertJson, note, transitionJson } from './output.js';

export async function once(runtime: Runtime, options: { json?: boolean }, deps: Deps = realDeps()): Promise<void> {
  const app = openCommandApp(runtime, { writer: true }, deps);
  try {
    const before = { transition: app.store.lastTransitionId(), alert: app.store.lastAlertId() };
    const sources = await pollAll(app, await pollDeps(app, { scheduled: false }), {
      onRefused: (source, item, reason) => note(`warning: source ${source}: item ${item} recorded as failed, not read: ${reason}`),
      onNote: (source, line) => note(`source ${source}: ${line}`),
    });
    for (const s of sources) if (s.error) note(`source ${s.id}: ${s.outcome}: ${s.error}`);
    for (const s of sources) if (s.degraded) note(`warning: source ${s.id}: read in part: ${s.degraded}`);
    const published = await drain(app);
    app.store.prune(app.settings.retention.irrelevantItemDays);
    const transitions = app.store.transitions({ since: before.transition }).map((t) => transitionJson(t, app.store));
    // This pass's alerts: the ones it queued and the ones it published.
    const ids = new Set(published.map((a) => a.id));
    const alerts = app.store.alerts().filter((a) => a.id > before.alert || ids.has(a.id));
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ sources, transitions, alerts: alerts.map(alertJson) })}\n`);
      if (sources.length > 0) note(`once: ${sourcesLine(sources)}`);
    } else note(`once: ${sourcesLine(sources)}; ${transitions.length} transitions, ${alerts.length} alerts`);
  } finally {
    await app.close();
  }
}

/**
 * "15 sources: 12 ok, 1 skipped, 2 failed". A pass whose every source failed still exits 0 (a
 * failing source is an outcome, not a failure), so the count is said where a person looks.
 */
function sourcesLine(sources: SourceReport[]): string {
  if (sources.length === 0) return '0 sources';
  const ok = sources.filter((s) => s.outcome === 'ok' || s.outcome === 'not-modified').length;
  const skipped = sources.filter((s) => s.outcome === 'skipped').length;
  const failed = sources.filter((s) => s.outcome === 'error').length;
  return `${sources.length} sources: ${ok} ok, ${skipped ? `${skipped} skipped (a server-given wait or back-off), ` : ''}${failed} failed`;
}
