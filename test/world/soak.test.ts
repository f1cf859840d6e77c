import { describe, expect, it } from 'vitest';
import { runSoak } from '../../world/soak.js';

// A short version of `npm run soak` (a simulated day in ten minutes): six simulated hours, the
// story among the noise, in 40 seconds.
describe('the daemon over time', () => {
  it('keeps its memory under the limit and flat, grows its database with its items, and balances its books', { timeout: 180_000 }, async () => {
    const report = await runSoak({ seconds: 40, hours: 6, noisePerHour: 300 });
    expect(report.problems, JSON.stringify(report.samples.filter((_, i) => i % 5 === 0))).toEqual([]);
    expect(report.items).toBeGreaterThan(1500);
  });
});
