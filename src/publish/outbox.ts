// Drains the outbox: each queued alert is handed to the publisher once, and its state recorded.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AlertRow, Store } from '../store/store.js';
import type { Publisher, PublishResult } from './dry-run.js';

export async function drainOutbox(
  store: Store,
  publisher: Publisher,
  options: {
    limit?: number;
    spacingMs?: number;
    probe?: (step: string) => void;
    now?: () => Date;
    ignoreBackoff?: boolean;
    /** Aborted when the daemon is asked to stop: the post under way finishes, no other begins. */
    stopping?: AbortSignal;
  } = {},
): Promise<AlertRow[]> {
  const done: AlertRow[] = [];
  const now = (options.now ?? (() => new Date()))().toISOString();
  const stopping = options.stopping;
  for (const alert of store.alerts('queued').slice(0, options.limit ?? Infinity)) {
    // A retry waits out its back-off, and the alerts after it wait with it, keeping their order.
    if (!options.ignoreBackoff && alert.nextAttempt && alert.nextAttempt > now) break;
    if (done.length > 0 && options.spacingMs) await sleep(options.spacingMs, undefined, { signal: stopping }).catch(() => {}); // a stop ends it early
    if (stopping?.aborted) break;
    let result: PublishResult;
    try {
      result = await publisher.publish(alert);
    } catch (err) {
      // A publisher that throws has not said the post is absent: try again, never assume.
      result = { state: 'retry', error: (err as Error).message };
    }
    options.probe?.('published');
    // A "sent" is durable: undone by a power cut, the post would be made again, and only its
    // record key would keep it from showing twice. (Any other state undone means one more try.)
    store.transaction(() => {
      if (result.state === 'retry') store.noteAttempt(alert.id, result.error ?? 'unknown error');
      else store.setAlertState(alert.id, result.state, { ...(result.uri ? { uri: result.uri } : {}), ...(result.error ? { error: result.error } : {}) });
    }, { durable: result.state === 'sent' });
    if (result.state === 'retry') {
      // Later alerts wait for this one: posts go out in the order their changes happened.
      done.push(store.alert(alert.id)!);
      break;
    }
    done.push(store.alert(alert.id)!);
  }
  return done;
}
