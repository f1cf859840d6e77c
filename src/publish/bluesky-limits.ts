// What Bluesky lets the publisher do, and when: the write-points budget, the wait a 429 asked
// for, and the daily login budget. Kept in the database, so a restart remembers them; every
// wait is bounded, so no header and no corrupt row can stop the publisher for good.
import type { Store } from '../store/store.js';
import { blueskyWait, DAY, HOUR, jitter, MAX_BLUESKY_WAIT_MS, waitingUntil } from '../waits.js';
import { retryBackoffMs } from './outbox.js';

/** Logins allowed in 24 hours: Bluesky limits them, and a loop of logins must not lock the account. */
export const MAX_LOGINS_PER_DAY = 5;

/**
 * Bluesky's write limits: 5,000 points an hour and 35,000 a day, a create costing 3, an update
 * 2 and a delete 1. The publisher keeps a tenth in reserve and pauses before it would reach either.
 */
export const POINTS = { hour: 5_000, day: 35_000, create: 3, update: 2, delete: 1, reserve: 0.9 };

/** The daily login budget is spent. */
export class LoginsSpent extends Error {}

export class BlueskyLimits {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    private readonly random: () => number,
  ) {}

  /** When the wait a 429 asked for ends, while it lasts. One longer than any Bluesky may ask (an older version's, or corrupt) is none. */
  rateLimitedUntil(): number | undefined {
    return waitingUntil(this.store.budget.rateLimitedUntil.get(), this.now().getTime(), MAX_BLUESKY_WAIT_MS);
  }

  /** Records a 429: its wait, and the words for it ("; waiting 120 s"). */
  limited(headers: Record<string, string> | undefined): { waitMs: number; why: string } {
    const wait = this.limitWait(headers);
    this.store.budget.rateLimitedUntil.set(this.now().getTime() + wait.waitMs);
    return wait;
  }

  /** The wait a 429 asks for (Retry-After, else RateLimit-Reset), at most a day; an hour or two when it names none. */
  private limitWait(headers: Record<string, string> | undefined): { waitMs: number; why: string } {
    const { waitMs, named, capped } = blueskyWait(headers, this.now().getTime(), this.random);
    if (!named) return { waitMs, why: ` with no wait named; waiting ${Math.round(waitMs / 1000)} s` };
    return { waitMs, why: `; waiting ${Math.round(waitMs / 1000)} s${capped ? ' (a day at most)' : ''}` };
  }

  /** Points spent in the last 24 hours, as [time, points] pairs. A time ahead of the clock is no spending: it would never age out. */
  private spent(): [number, number][] {
    const now = this.now().getTime();
    return this.store.budget.points.get().filter(([t]) => t > now - DAY && t <= now);
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
    this.store.budget.points.set([...this.spent(), [this.now().getTime(), points]]);
  }

  /** When a login is allowed again while the day's budget is spent (ms since the epoch); undefined while one is allowed. */
  loginsFreeAt(): number | undefined {
    const logins = this.recentLogins();
    return logins.length >= MAX_LOGINS_PER_DAY ? Math.min(...logins) + DAY : undefined;
  }

  /** Logins in the last 24 hours. A time ahead of the clock is none: it would never age out. */
  private recentLogins(): number[] {
    const now = this.now().getTime();
    return this.store.budget.logins.get().filter((t) => t > now - DAY && t <= now);
  }

  /**
   * Counts a login about to be made, before the call (one whose answer is lost may still have
   * counted at Bluesky), and returns its time; throws LoginsSpent when the day's budget is gone.
   */
  countLogin(): number {
    const free = this.loginsFreeAt();
    if (free !== undefined) {
      throw new LoginsSpent(`${MAX_LOGINS_PER_DAY} logins in the last 24 h, the most allowed; not logging in again until ${new Date(free).toISOString()}`);
    }
    const now = this.now().getTime();
    this.store.budget.logins.set([...this.recentLogins(), now]);
    return now;
  }

  /** Takes back a counted login that never reached Bluesky (no connection), so an outage cannot spend the day's budget. */
  uncountLogin(at: number): void {
    const logins = this.recentLogins();
    const i = logins.lastIndexOf(at);
    if (i >= 0) logins.splice(i, 1);
    this.store.budget.logins.set(logins);
  }

  /**
   * When to try again after a failed login (`attempts` so far). While the day's budget is spent,
   * exactly when it frees (this login may have spent its last); a 429 (logging in is rate-limited
   * too) waits as it asks. Those are known waits. Any other failure backs off, jittered, so that a
   * fault that fails every login does not bring the retries back in step.
   */
  loginRetry(err: unknown, attempts: number): { retryAt: Date } | { retryAfterMs: number } {
    const free = this.loginsFreeAt();
    if (free !== undefined) return { retryAt: new Date(free) };
    const e = err as { status?: number; headers?: Record<string, string> };
    if (e.status === 429) return { retryAt: new Date(this.now().getTime() + this.limitWait(e.headers).waitMs) };
    return { retryAfterMs: jitter(retryBackoffMs(attempts + 1), this.random) };
  }
}
