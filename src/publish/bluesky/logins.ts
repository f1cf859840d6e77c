// The daily login budget: logins counted before they are made, taken back when they never
// reached Bluesky, and the wait before the next try after a failed one.
import type { Store } from '../../store/store.js';
import { jitter } from '../../http/waits.js';
import { DAY } from '../../text/stored-time.js';
import { retryBackoffMs } from '../outbox.js';
import { rateLimitWait } from './budget.js';

/** Logins allowed in 24 hours: Bluesky limits them, and a loop of logins must not lock the account. */
export const MAX_LOGINS_PER_DAY = 5;

/** The daily login budget is spent. */
export class LoginsSpent extends Error {}

export class LoginBudget {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    private readonly random: () => number,
  ) {}

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
    if (e.status === 429) return { retryAt: new Date(this.now().getTime() + rateLimitWait(e.headers, this.now().getTime(), this.random).waitMs) };
    return { retryAfterMs: jitter(retryBackoffMs(attempts + 1), this.random) };
  }
}
