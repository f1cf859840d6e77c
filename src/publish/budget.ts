// Bluesky's write budget: the points spent in the last day, kept in the database so a restart
// remembers them, and when the next write will fit.
import type { Store } from '../store/store.js';

/**
 * Bluesky's write limits: 5,000 points an hour and 35,000 a day, a create costing 3, an update
 * 2 and a delete 1. The publisher keeps a tenth in reserve and pauses before it would reach either.
 */
export const POINTS = { hour: 5_000, day: 35_000, create: 3, update: 2, delete: 1, reserve: 0.9 };

const SPENT_KEY = 'bluesky_points';
const HOUR = 3_600_000;
const DAY = 86_400_000;

export class WriteBudget {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  /** Points spent in the last 24 hours, as [time, points] pairs, oldest first. */
  private spent(): [number, number][] {
    const day = this.now().getTime() - DAY;
    return (JSON.parse(this.store.getMeta(SPENT_KEY) ?? '[]') as [number, number][]).filter(([t]) => t > day);
  }

  /** Undefined when `cost` fits the budget now; otherwise when it will. */
  waitFor(cost: number): Date | undefined {
    const now = this.now().getTime();
    const spent = this.spent();
    const hour = spent.filter(([t]) => t > now - HOUR);
    const sum = (xs: [number, number][]) => xs.reduce((n, [, p]) => n + p, 0);
    if (sum(hour) + cost > POINTS.hour * POINTS.reserve) return new Date(hour[0]![0] + HOUR);
    if (sum(spent) + cost > POINTS.day * POINTS.reserve) return new Date(spent[0]![0] + DAY);
    return undefined;
  }

  /** Records a write before it is made: one whose answer is lost may still have counted. */
  spend(points: number): void {
    this.store.setMeta(SPENT_KEY, JSON.stringify([...this.spent(), [this.now().getTime(), points]]));
  }
}
