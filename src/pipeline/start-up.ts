// The daemon's start-up polls and the next poll times it records: every source once, soon after
// the start, spread over a short window, so a fresh start does not wait up to an hour for each
// source's cron time. A source whose stored wait (a back-off, or a server's Retry-After) has not
// ended is left to its schedule, which polls it at its first cron time after the wait.
import type { SourceState } from '../model/ledger.js';
import { MAX_FEED_WAIT_MS } from '../http/waits.js';
import { waitingUntil } from '../text/stored-time.js';
import { firstRunFrom, nextRun } from './scheduler.js';

/** Every source polls within this long of the start. */
export const START_UP_WINDOW_MS = 15_000;

export interface StartUpPlan {
  /** The sources polled at start, each with when. */
  polls: { id: string; at: Date }[];
  /** The sources left alone: still waiting until `until`, or no longer read. */
  waiting: { id: string; until: Date | null }[];
}

/**
 * Which sources poll at start, and when: the i-th of n at `now + i × window / n`, so the polls
 * are spread evenly and the last starts before the window ends. The order is the config's.
 */
export function startUpPlan(ids: string[], stored: (id: string) => SourceState | undefined, now: Date, windowMs = START_UP_WINDOW_MS): StartUpPlan {
  const polls: string[] = [];
  const waiting: StartUpPlan['waiting'] = [];
  for (const id of ids) {
    const state = stored(id);
    // A stored next poll with no failure is only the last run's schedule: the start overrides it.
    const until = state && state.failures > 0 ? waitingUntil(state.nextPoll, now.getTime(), MAX_FEED_WAIT_MS) : undefined;
    if (state?.gone) waiting.push({ id, until: null });
    else if (until !== undefined) waiting.push({ id, until: new Date(until) });
    else polls.push(id);
  }
  const step = polls.length ? Math.floor(windowMs / polls.length) : 0;
  return { polls: polls.map((id, i) => ({ id, at: new Date(now.getTime() + i * step) })), waiting };
}

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Starts each planned poll at its time; `stop` cancels those not yet started. */
export function startUpPolls(plan: StartUpPlan, now: Date, run: (id: string) => void, timers: Timers): { stop(): void } {
  const pending = new Set<unknown>();
  for (const { id, at } of plan.polls) {
    const handle = timers.setTimeout(() => {
      pending.delete(handle);
      run(id);
    }, Math.max(0, at.getTime() - now.getTime()));
    pending.add(handle);
  }
  return {
    stop() {
      for (const handle of pending) timers.clearTimeout(handle);
      pending.clear();
    },
  };
}

/**
 * When the daemon really polls a source next, as `status` and the page show it: its next cron
 * time, or, while it waits, its first cron time after the wait ends (a tick inside the wait is
 * skipped). Undefined when there is nothing better to store than what is stored.
 */
export function realNextPoll(schedule: string | undefined, state: SourceState, now: Date): string | undefined {
  if (state.gone) return undefined;
  const until = waitingUntil(state.nextPoll, now.getTime(), MAX_FEED_WAIT_MS);
  let next = until === undefined ? nextRun(schedule) : firstRunFrom(schedule, new Date(until));
  // A wait stored beyond the longest one is read by the poller as corrupt: keep the wait's own end.
  if (until !== undefined && next && next.getTime() - now.getTime() > MAX_FEED_WAIT_MS) next = new Date(until);
  if (!next || Number.isNaN(next.getTime())) return undefined;
  return next.toISOString() === state.nextPoll ? undefined : next.toISOString();
}
