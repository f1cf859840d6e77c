// `pactwatch alerts approve|reject|retract ID`: a person's review of the outbox, and taking a post back.
import { realDeps, type Deps } from '../app.js';
import type { Runtime } from '../config/settings.js';
import { UsageError } from '../errors.js';
import { FICTIONAL_NOTE, type AlertState } from '../model/alert.js';
import { requireDatabase } from '../store/db.js';
import { openStore } from '../store/open.js';
import { openCommandApp } from './open.js';
import { note } from './output.js';

export type Review = 'approve' | 'reject' | 'retract';

const ALLOWED: Record<Review, AlertState[]> = {
  approve: ['held'],
  reject: ['held', 'queued'],
  retract: ['held', 'queued', 'dry-run', 'failed'],
};

/**
 * approve: held → queued; reject: held or queued → rejected; retract: any alert not rejected →
 * retracted, and a sent post is deleted (or corrected, as `publish.retract` says) on Bluesky.
 */
export async function alertsReview(runtime: Runtime, action: Review, idText: string, deps: Deps = realDeps()): Promise<void> {
  const id = Number(idText);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`alert ID must be a positive number, not "${idText}"`);
  // No alert is in a database that is not there: a mistyped path must not create one.
  requireDatabase(runtime.dbPath);
  if (action === 'retract' && (await retractSent(runtime, id, deps))) return;
  // Only the outbox's states change: no config is read and no party seeded.
  const ledger = openStore(runtime.dbPath, 'write', deps.now);
  try {
    const { store } = ledger;
    store.transaction(() => {
      const alert = store.alert(id);
      if (!alert) throw new UsageError(`no alert ${id}`);
      if (action === 'approve' && alert.fictional) throw new UsageError(`alert ${id} is ${alert.state} (${FICTIONAL_NOTE}); a fictional alert can never be approved`);
      if (!ALLOWED[action].includes(alert.state)) {
        throw new UsageError(`alert ${id} is ${alert.state}; cannot ${action} it`);
      }
      const next = action === 'approve' ? 'queued' : action === 'reject' ? 'rejected' : 'retracted';
      store.setAlertState(id, next);
      note(`alert ${id}: ${alert.state} → ${next}`);
    });
  } finally {
    ledger.close();
  }
}

/** Takes back alert `id` on Bluesky if it was posted; false when it was not (the outbox alone then changes). */
async function retractSent(runtime: Runtime, id: number, deps: Deps): Promise<boolean> {
  const app = openCommandApp(runtime, { writer: false }, deps);
  try {
    const alert = app.store.alert(id);
    if (alert?.state !== 'sent') return false;
    const publisher = await app.publisher();
    if (!publisher.retract) throw new UsageError(`alert ${id} was posted; taking it back needs the Bluesky credentials`);
    const how = app.settings.publish.retract;
    await publisher.retract(alert, how);
    // Durable: undone by a power cut, the alert would read as sent, and a second retract would post again.
    app.store.transaction(() => app.store.setAlertState(id, 'retracted'), { durable: true });
    note(`alert ${id}: sent → retracted (${how === 'delete' ? 'post deleted' : 'correction posted'})`);
    return true;
  } finally {
    await app.close();
  }
}
