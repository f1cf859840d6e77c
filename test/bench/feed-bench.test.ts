import { describe, expect, it } from 'vitest';
import { benchFeeds } from '../../bench/feed-bench.js';

// A short run of the feed parse bench: every figure is computed and is a number (no timing is
// judged here; `npm run bench` reports them).
describe("the bench's feed parse figures", () => {
  it('reads the same bodies both ways and reports throughput and a ratio', async () => {
    const { newsroom, fixtures } = await benchFeeds(0.1);
    for (const f of [newsroom, fixtures]) {
      expect(f.bodies).toBeGreaterThan(0);
      for (const v of [f.itemsPerSec, f.bareItemsPerSec, f.ratio]) expect(Number.isFinite(v) && v > 0).toBe(true);
    }
    expect(newsroom.items).toBe(30 * newsroom.bodies);
    expect(fixtures.bodies).toBeGreaterThanOrEqual(150);
  }, 60_000);
});
