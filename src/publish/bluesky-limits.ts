// What Bluesky lets the publisher do, and when: the write-points budget, the wait a 429 asked
// for, and the daily login budget. Kept in the database, so a restart remembers them; every
// wait is bounded, so no header and no corrupt row can stop the publisher for good.
import type { Store } from '../store/store.js';
import { blueskyAskedMs, DAY, HOUR, jitter, MAX_BLUESKY_WAIT_MS, MINUTE, unnamedWaitMs, waitingUntil } from '../waits.js';
import { retryBackoffMs } from './outbox.js';

/** Logins allowed in 24 hours: Bluesky limits them, and a loop of logins must not lock the account. */
export const MAX_LOGINS_PER_DAY = 5;

/**
 * Bluesky's write limits: 5,000 points an hour and 35,000 a day, a create costing 3 and a
 * delete 1. The publisher keeps a tenth in reserve and pauses before it would reach either.
 */
export const POINTS = { hour: 5_000, day: 35_000, create: 3, delete: 1, reserve: 0.9 };

const LOGINS_KEY = 'bluesky_logins';
const RETRY_AFTER_KEY = 'bluesky_retry_after';
const SPENT_KEY = 'bluesky_points';

/** The daily login budget is spent: no login before `waitMs` from now. */
export class LoginsSpent extends Error {
  constructor(
    message: string,
    readonly waitMs: number,
  ) {
    super(message);
  }
}

export class BlueskyLimits {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    private readonly random: () => number,
  ) {}

  /** When the wait a 429 asked for ends, while it lasts. One longer than any Bluesky may ask (an older version's, or corrupt) is none. */
  rateLimitedUntil(): number | undefined {
    return waitingUntil(this.store.getMeta(RETRY_AFTER_KEY), this.now().getTime(), MAX_BLUESKY_WAIT_MS);
  }

  /** Records a 429: its wait, and the words for it ("; waiting 120 s"). */
  limited(headers: Record<string, string> | undefined): { waitMs: number; why: string } {
    const wait = this.limitWait(headers);
    this.store.setMeta(RETRY_AFTER_KEY, String(this.now().getTime() + wait.waitMs));
    return wait;
  }

  /** The wait a 429 asks for (Retry-After, else RateLimit-Reset), at most a day; an hour or two when it names none. */
  private limitWait(headers: Record<string, string> | undefined): { waitMs: number; why: string } {
    const asked = blueskyAskedMs(headers, this.now().getTime());
    if (asked === undefined) {
      const waitMs = unnamedWaitMs(this.random);
      return { waitMs, why: ` with no wait named; waiting ${Math.round(waitMs / 1000)} s` };
    }
    const waitMs = Math.min(asked, MAX_BLUESKY_WAIT_MS);
    return { waitMs, why: `; waiting ${Math.round(waitMs / 1000)} s${asked > MAX_BLUESKY_WAIT_MS ? ' (a day at most)' : ''}` };
  }

  /** Points spent in the last 24 hours, as [time, points] pairs. A time ahead of the clock is no spending: it would never age out. */
  private spent(): [number, number][] {
    const now = this.now().getTime();
    return (JSON.parse(this.store.getMeta(SPENT_KEY) ?? '[]') as [number, number][]).filter(([t]) => t > now - DAY && t <= now);
  }

  /** Undefined when `cost` fits the budget; otherwise when it will. */
  budgetWait(cost: number): Date | undefined {
    const now = this.now().getTime();
    const spent = this.spent();
    const hour = spent.filter(([t]) => t > now - HOUR);
    const sum = (xs: [number, number][]) => xs.reduce((n, [, p]) => n + p, 0);
    if (sum(hour) + cost > POINTS.hour * POINTS.reserve) return new Date(hour[0]![0] + HOUR);
    if (sum(spent) + cost > POINTS.day * POINTS.reserve) return new Date(spent[0]![0] + DAY);
    return undefined;
  }

  spend(points: number): void {
    this.store.setMeta(SPENT_KEY, JSON.stringify([...this.spent(), [this.now().getTime(), points]]));
  }

  /** Counts a login about to be made; throws LoginsSpent when the day's budget is gone. */
  countLogin(): void {
    const now = this.now().getTime();
    const logins = (JSON.parse(this.store.getMeta(LOGINS_KEY) ?? '[]') as number[]).filter((t) => t > now - DAY && t <= now);
    if (logins.length >= MAX_LOGINS_PER_DAY) {
      throw new LoginsSpent(`${logins.length} logins in the last 24 h; not logging in again until the oldest is a day old`, Math.min(...logins) + DAY - now);
    }
    this.store.setMeta(LOGINS_KEY, JSON.stringify([...logins, now]));
  }

  /**
   * The wait before the next try after a failed login (`attempts` so far). Jittered, so that a
   * fault that fails every login does not bring the retries back in step; a spent budget is
   * waited out, and a 429 (logging in is rate-limited too) waits as it asks.
   */
  loginRetryMs(err: unknown, attempts: number): number {
    if (err instanceof LoginsSpent) return err.waitMs + Math.round(5 * MINUTE * this.random());
    const e = err as { status?: number; headers?: Record<string, string> };
    if (e.status === 429) return this.limitWait(e.headers).waitMs;
    return jitter(retryBackoffMs(attempts + 1), this.random);
  }
}
