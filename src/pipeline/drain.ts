// Draining the outbox through the app's publisher: within the configured cap and spacing (a dry
// run needs no spacing), each alert logged when the app has a logger.
import type { App } from '../app.js';
import type { AlertRow } from '../model/alert.js';
import { drainOutbox } from '../publish/outbox.js';

/** One pass of the outbox. */
export async function drain(app: App, options: { stopping?: AbortSignal | undefined } = {}): Promise<AlertRow[]> {
  const { settings, deps } = app;
  const chosen = await app.publisher();
  const p = settings.publish;
  const spacingMs = chosen.name === 'dry-run' ? 0 : p.spacingSeconds * 1000;
  const drained = await drainOutbox(app.store, chosen, { limit: p.maxPostsPerRun, spacingMs, stopping: options.stopping, now: deps.now });
  for (const a of drained) {
    const level = a.state === 'queued' || a.state === 'failed' || a.state === 'held' ? 'warn' : 'info';
    deps.logger?.[level]({ subsystem: 'publish', alert: a.id, state: a.state, error: a.lastError ?? undefined }, 'alert');
  }
  return drained;
}
