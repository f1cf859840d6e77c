// Drains the outbox: each queued alert is handed to the publisher once, and its state recorded.
// One drain at a time per store, and posts spaced from the last one, across drains and restarts.
import type { AlertRow, Store } from '../store/store.js';
import type { Publisher, PublishResult } from './dry-run.js';

/** When the last post was handed to a publisher (ms since the epoch), so spacing holds across drains. */
const LAST_POST_KEY = 'outbox_last_post';

export interface DrainOptions {
  /** Posts this drain may make; the rest wait for the next. */
  limit?: number;
  /** The least time between two posts. */
  spacingMs?: number;
  probe?: (step: string) => void;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  ignoreBackoff?: boolean;
}

/** The drain running on each store: a second one waits for it rather than posting the same alerts beside it. */
const running = new WeakMap<Store, Promise<unknown>>();

export function drainOutbox(store: Store, publisher: Publisher, options: DrainOptions = {}): Promise<AlertRow[]> {
  const before = running.get(store) ?? Promise.resolve();
  const drain = before.then(
    () => drainOnce(store, publisher, options),
    () => drainOnce(store, publisher, options),
  );
  running.set(store, drain);
  return drain;
}

async function drainOnce(store: Store, publisher: Publisher, options: DrainOptions): Promise<AlertRow[]> {
  const done: AlertRow[] = [];
  const clock = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const spacing = options.spacingMs ?? 0;
  let lastPost = spacing > 0 ? Number(store.getMeta(LAST_POST_KEY) ?? 0) : 0;
  for (const alert of store.alerts('queued', options.limit)) {
    // A retry waits out its back-off, and the alerts after it wait with it, keeping their order.
    if (!options.ignoreBackoff && alert.nextAttempt && alert.nextAttempt > clock().toISOString()) break;
    if (spacing > 0) {
      // (A clock set back must not stretch the wait past one spacing.)
      const wait = Math.min(spacing, lastPost + spacing - clock().getTime());
      if (wait > 0) await sleep(wait);
    }
    let result: PublishResult;
    try {
      result = await publisher.publish(alert);
    } catch (err) {
      // A publisher that throws has not said the post is absent: try again, never assume.
      result = { state: 'retry', error: (err as Error).message };
    }
    if (spacing > 0) store.setMeta(LAST_POST_KEY, String((lastPost = clock().getTime())));
    options.probe?.('published');
    if (result.state === 'retry') {
      if (result.retryAt) store.deferAlert(alert.id, result.error ?? 'waiting', result.retryAt);
      else store.noteAttempt(alert.id, result.error ?? 'unknown error');
    } else {
      store.setAlertState(alert.id, result.state, { ...(result.uri ? { uri: result.uri } : {}), ...(result.error ? { error: result.error } : {}) });
    }
    done.push(store.alert(alert.id)!);
    // Later alerts wait for this one: posts go out in the order their changes happened.
    if (result.state === 'retry') break;
  }
  return done;
}
