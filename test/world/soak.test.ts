import { describe, expect, it } from 'vitest';
import { runSoak } from '../../world/soak.js';

// A short version of `npm run soak` (a simulated day in ten minutes): the same day in 40 seconds,
// with a quarter of its noise so that the daemon reads as many items a second. As in the long run,
// the story (its first five hours) comes before the warm-up's samples, so the growth measured is
// the daemon's under the news that follows, not the one-time cost of its first alerts.
describe('the daemon over time', () => {
  it('keeps its memory under the limit and flat, grows its database with its items, and balances its books', { timeout: 180_000 }, async () => {
    const report = await runSoak({ seconds: 40, hours: 24, noisePerHour: 75 });
    expect(report.problems, JSON.stringify(report.samples.filter((_, i) => i % 5 === 0))).toEqual([]);
    expect(report.items).toBeGreaterThan(1500);
  });
});
