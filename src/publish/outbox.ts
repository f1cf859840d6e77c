// Drains the outbox: each queued alert is handed to the publisher once, and its state recorded.
// One drain at a time per store, and posts spaced from the last one, across drains and restarts.
import { setTimeout as pause } from 'node:timers/promises';
import { FICTIONAL_NOTE, type AlertRow } from '../model/alert.js';
import type { Store } from '../store/store.js';
import { clampWait, DAY, HOUR, waitingUntil } from '../text/stored-time.js';
import type { Publisher, PublishResult } from './dry-run.js';

/** The longest a queued alert waits between attempts: a publisher may ask no more (a rate limit's day). */
export const MAX_RETRY_WAIT_MS = DAY;

/** The wait before attempt `attempts + 1` when the publisher names none: 30 s, 1 min, 2 min … at most an hour. */
export function retryBackoffMs(attempts: number): number {
  return Math.min(HOUR, 30_000 * 2 ** Math.max(0, attempts - 1));
}

export interface DrainOptions {
  /** Posts this drain may make; the rest wait for the next. */
  limit?: number;
  /** The least time between two posts. */
  spacingMs?: number;
  probe?: (step: string) => void;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Aborted when the daemon is asked to stop: the post under way finishes, no other begins. */
  stopping?: AbortSignal;
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
  const stopping = options.stopping;
  // A stop ends the wait between two posts early.
  const sleep = options.sleep ?? ((ms: number) => pause(ms, undefined, { signal: stopping }).catch(() => {}));
  const spacing = options.spacingMs ?? 0;
  let lastPost = spacing > 0 ? store.lastPost.get() : 0;
  for (const alert of store.alerts('queued', options.limit)) {
    // A retry waits out its back-off, and the alerts after it wait with it, keeping their order.
    // (A next attempt that cannot be read, or is further off than any wait, is no wait.)
    if (waitingUntil(alert.nextAttempt, clock().getTime(), MAX_RETRY_WAIT_MS) !== undefined) break;
    if (alert.fictional) {
      // Never queued by the pipeline; should one be queued anyway, it still goes nowhere.
      store.setAlertState(alert.id, 'dry-run', { error: FICTIONAL_NOTE });
      done.push(store.alert(alert.id)!);
      continue;
    }
    if (spacing > 0) {
      // (A clock set back must not stretch the wait past one spacing.)
      const wait = Math.min(spacing, lastPost + spacing - clock().getTime());
      if (wait > 0) await sleep(wait);
    }
    if (stopping?.aborted) break;
    // Read again: while this drain waited or posted the one before, the alert may have been
    // taken back (a reviewer's reject, a deleted post's withdrawn claim), and must not go out.
    if (store.alert(alert.id)?.state !== 'queued') continue;
    let result: PublishResult;
    try {
      result = await publisher.publish(alert);
    } catch (err) {
      // A publisher that throws has not said the post is absent: try again, never assume.
      result = { state: 'retry', error: (err as Error).message };
    }
    if (spacing > 0) store.lastPost.set((lastPost = clock().getTime()));
    options.probe?.('published');
    // A "sent" is durable: undone by a power cut, the post would be made again, and only its
    // record key would keep it from showing twice. (Any other state undone means one more try.)
    store.transaction(() => record(store, alert, result, clock().getTime()), { durable: result.state === 'sent' });
    done.push(store.alert(alert.id)!);
    // Later alerts wait for this one: posts go out in the order their changes happened.
    if (result.state === 'retry') break;
  }
  return done;
}

/** Records what the publisher said of `alert`. A known wait is not a failed attempt; either kind is bounded (a day at most). */
function record(store: Store, alert: AlertRow, result: PublishResult, now: number): void {
  if (result.state !== 'retry') {
    store.setAlertState(alert.id, result.state, { ...(result.uri ? { uri: result.uri } : {}), ...(result.error ? { error: result.error } : {}) });
    return;
  }
  const at = result.retryAt?.getTime();
  if (at !== undefined && Number.isFinite(at)) store.deferAlert(alert.id, result.error ?? 'waiting', new Date(now + clampWait(at - now, MAX_RETRY_WAIT_MS)));
  else store.noteAttempt(alert.id, result.error ?? 'unknown error', clampWait(result.retryAfterMs ?? retryBackoffMs(alert.attempts + 1), MAX_RETRY_WAIT_MS));
}
