import { describe, expect, it } from 'vitest';
import { runTorture } from '../../world/torture.js';

// A short version of `npm run torture` (100 kills): the real daemon against the local world,
// killed six times while the feeds misbehave, then the books are checked.
describe('the daemon under fire', () => {
  it('killed at random moments while feeds fail, it records each transition once and posts each alert once', { timeout: 240_000 }, async () => {
    const report = await runTorture({ kills: 6, noisePerHour: 60, faultRate: 0.2, seed: 7 });
    expect(report.problems, `daemon log: ${report.logFile}`).toEqual([]);
    expect(report).toMatchObject({ transitions: 3, alerts: 3, posts: 3 });
  });
});
