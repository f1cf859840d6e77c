import { describe, expect, it } from 'vitest';
import { backoffDelay, timerSleep } from '../../src/sources/reconnect.js';

describe('reconnecting', () => {
  it('back-off doubles up to its ceiling with ±50% jitter', () => {
    const tuning = { backoffMs: 1_000, backoffMaxMs: 300_000 };
    expect([0, 1, 2].map((a) => backoffDelay(a, () => 0.5, tuning))).toEqual([1_000, 2_000, 4_000]);
    expect(backoffDelay(20, () => 0.5, tuning)).toBe(300_000);
    expect(backoffDelay(0, () => 0, tuning)).toBe(500);
    expect(backoffDelay(0, () => 0.999, tuning)).toBe(1_499);
  });

  it('a stop cuts the wait short', async () => {
    const stop = new AbortController();
    const waited = timerSleep(3_600_000, stop.signal);
    stop.abort();
    await expect(waited).resolves.toBeUndefined();
  });
});
