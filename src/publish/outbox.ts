// Drains the outbox: each queued alert is handed to the publisher once, and its state recorded.
import { FICTIONAL_NOTE, type AlertRow, type Store } from '../store/store.js';
import { clampWait, DAY, HOUR, waitingUntil } from '../waits.js';
import type { Publisher, PublishResult } from './dry-run.js';

/** The longest a queued alert waits between attempts: a publisher may ask no more (a rate limit's day). */
export const MAX_RETRY_WAIT_MS = DAY;

/** The wait before attempt `attempts + 1` when the publisher names none: 30 s, 1 min, 2 min … at most an hour. */
export function retryBackoffMs(attempts: number): number {
  return Math.min(HOUR, 30_000 * 2 ** Math.max(0, attempts - 1));
}

export async function drainOutbox(
  store: Store,
  publisher: Publisher,
  options: { limit?: number; spacingMs?: number; probe?: (step: string) => void; now?: () => Date; ignoreBackoff?: boolean } = {},
): Promise<AlertRow[]> {
  const done: AlertRow[] = [];
  const now = (options.now ?? (() => new Date()))().getTime();
  for (const alert of store.alerts('queued').slice(0, options.limit ?? Infinity)) {
    // A retry waits out its back-off, and the alerts after it wait with it, keeping their order.
    // (A next attempt that cannot be read, or is further off than any wait, is no wait.)
    if (!options.ignoreBackoff && waitingUntil(alert.nextAttempt, now, MAX_RETRY_WAIT_MS) !== undefined) break;
    if (alert.fictional) {
      // Never queued by the pipeline; should one be queued anyway, it still goes nowhere.
      store.setAlertState(alert.id, 'dry-run', { error: FICTIONAL_NOTE });
      done.push(store.alert(alert.id)!);
      continue;
    }
    if (done.length > 0 && options.spacingMs) await new Promise((r) => setTimeout(r, options.spacingMs));
    let result: PublishResult;
    try {
      result = await publisher.publish(alert);
    } catch (err) {
      // A publisher that throws has not said the post is absent: try again, never assume.
      result = { state: 'retry', error: (err as Error).message };
    }
    options.probe?.('published');
    if (result.state === 'retry') store.noteAttempt(alert.id, result.error ?? 'unknown error', clampWait(result.retryAfterMs ?? retryBackoffMs(alert.attempts + 1), MAX_RETRY_WAIT_MS));
    else store.setAlertState(alert.id, result.state, { ...(result.uri ? { uri: result.uri } : {}), ...(result.error ? { error: result.error } : {}) });
    if (result.state === 'retry') {
      // Later alerts wait for this one: posts go out in the order their changes happened.
      done.push(store.alert(alert.id)!);
      break;
    }
    done.push(store.alert(alert.id)!);
  }
  return done;
}
