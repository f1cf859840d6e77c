// The Bluesky write budget: the points spent in the last hour and day, and the wait a 429 asked
// for. Kept in the database, so a restart remembers them; every wait is bounded, so no header
// and no corrupt row can stop the publisher for good.
import type { Store } from '../../store/store.js';
import { blueskyWait, MAX_BLUESKY_WAIT_MS } from '../../http/waits.js';
import { DAY, HOUR, waitingUntil } from '../../text/stored-time.js';

/**
 * Bluesky's write limits: 5,000 points an hour and 35,000 a day, a create costing 3, an update
 * 2 and a delete 1. The publisher keeps a tenth in reserve and pauses before it would reach either.
 */
export const POINTS = { hour: 5_000, day: 35_000, create: 3, update: 2, delete: 1, reserve: 0.9 };

/** The wait a 429 asks for (Retry-After, else RateLimit-Reset), at most a day; an hour or two when it names none. */
export function rateLimitWait(headers: Record<string, string> | undefined, now: number, random: () => number): { waitMs: number; why: string } {
  const { waitMs, named, capped } = blueskyWait(headers, now, random);
  if (!named) return { waitMs, why: ` with no wait named; waiting ${Math.round(waitMs / 1000)} s` };
  return { waitMs, why: `; waiting ${Math.round(waitMs / 1000)} s${capped ? ' (a day at most)' : ''}` };
}

export class WriteBudget {
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
    const wait = rateLimitWait(headers, this.now().getTime(), this.random);
    this.store.budget.rateLimitedUntil.set(this.now().getTime() + wait.waitMs);
    return wait;
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
}
