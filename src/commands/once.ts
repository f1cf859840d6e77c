// `pactwatch once [--json]`: one pass over every source and the publisher, then exit.
import { realDeps, type Deps } from '../app.js';
import type { Runtime } from '../config/settings.js';
import { drain } from '../pipeline/drain.js';
import { pollAll, pollDeps } from '../pipeline/poll.js';
import { openCommandApp } from './open.js';
import { alertJson, note, transitionJson } from './output.js';

export async function once(runtime: Runtime, options: { json?: boolean }, deps: Deps = realDeps()): Promise<void> {
  const app = openCommandApp(runtime, { writer: true }, deps);
  try {
    const before = { transition: app.store.lastTransitionId(), alert: app.store.lastAlertId() };
    const sources = await pollAll(app, await pollDeps(app, { scheduled: false }), {
      onRefused: (source, item, reason) => note(`warning: source ${source}: item ${item} recorded as failed, not read: ${reason}`),
    });
    for (const s of sources) if (s.error) note(`source ${s.id}: ${s.outcome}: ${s.error}`);
    const published = await drain(app);
    app.store.prune(app.settings.retention.irrelevantItemDays);
    const transitions = app.store.transitions({ since: before.transition }).map((t) => transitionJson(t, app.store));
    // This pass's alerts: the ones it queued and the ones it published.
    const ids = new Set(published.map((a) => a.id));
    const alerts = app.store.alerts().filter((a) => a.id > before.alert || ids.has(a.id));
    if (options.json) process.stdout.write(`${JSON.stringify({ sources, transitions, alerts: alerts.map(alertJson) })}\n`);
    else note(`once: ${sources.length} sources, ${transitions.length} transitions, ${alerts.length} alerts`);
  } finally {
    await app.close();
  }
}
