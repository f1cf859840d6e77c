import { describe, expect, it } from 'vitest';
import { runTorture } from '../../world/torture.js';

// A short version of `npm run torture` (100 kills): the real daemon against the local world,
// with its Bluesky stream, killed six times while the feeds misbehave, then the books are checked.
describe('the daemon under fire', () => {
  it('killed at random moments while feeds fail, it records each transition once and posts each alert once', { timeout: 240_000 }, async () => {
    const report = await runTorture({ kills: 6, noisePerHour: 60, faultRate: 0.2, seed: 7 });
    expect(report.problems, `daemon log: ${report.logFile}`).toEqual([]);
    // The feeds' story makes three transitions, the stream's official signing a fourth.
    expect(report).toMatchObject({ transitions: 4, alerts: 4, posts: 4 });
    expect(report.stream?.mustStore).toBeGreaterThan(4);
    expect(report.stream?.stored).toBeGreaterThanOrEqual(report.stream!.mustStore);
  });
});
